"""Benchmark: the monitoring reports on a large book (rulebook §8).

    .venv/bin/python bench/reports.py [--contracts 1000000] [--cases 50000] [--url URL]

Builds a book in an empty schema (``sentinella_reports_bench``, dropped afterwards unless
``--keep``) of the database named by ``--url`` or ``SENTINELLA_BENCH_URL`` /
``SENTINELLA_TEST_POSTGRES_URL`` (a ``sqlite:///`` URL works too): the synthetic book through the
seeder (COPY on PostgreSQL), then, in bulk SQL, what a year of operations leaves behind:
confirmation letters (one ``INSERT ... SELECT``), ``--cases`` disownments and withdrawals with
holds, replies, restorations, indemnities and credit notes, sample audits with nonconformities and
penalties, warnings and a revocation. The case history is drawn from a seeded generator, so the
same arguments give the same book. Then it times each report (best of three) and prints the figures.
``build_report_book`` is also what ``scripts/render-report-sample`` uses for the README picture.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

# bench/ holds a letters.py: take this folder off the path so ``import letters`` finds the package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [str(_HERE.parent)] + [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from sqlalchemy import Engine, func, insert, select, text  # noqa: E402

from bench.schemas import drop_schema, fresh_schema_url  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from db.models import (Agency, AgencyEvent, Audit, AuditBatch, Case, Contract, CreditNote, Hold,  # noqa: E402
                       Indemnity,
                       Nonconformity, Penalty, Restoration, User)
from flows.seeding import seed_book  # noqa: E402

START = date(2026, 1, 5)
NOW = datetime(2026, 12, 31, 12, 0, tzinfo=timezone.utc)
SCHEMA = "sentinella_reports_bench"
USERS = ("cs.bianchi", "cs.russo", "cs.gallo", "csr.neri", "csr.conti")
VERSION = "2026.1"
CHUNK = 10_000


def _insert(connection, model, rows: list[dict]) -> None:
    for index in range(0, len(rows), CHUNK):
        connection.execute(insert(model), rows[index:index + CHUNK])


def _confirmations(connection) -> None:
    """Every contract confirmed: due two days after signature, the letter on time but for 1 in 40."""
    sqlite = connection.dialect.name == "sqlite"
    due = "date(signed_on, '+2 days')" if sqlite else "signed_on + 2"
    written = "date(confirmation_due_on, '+1 day')" if sqlite else "confirmation_due_on + 1"
    connection.execute(text(f"UPDATE contracts SET confirmation_due_on = {due}, state = 'active'"))
    connection.execute(text(
        "INSERT INTO letters (contract_id, kind, event_key, written_on, path, sha256, rule_set_version, created_at) "
        f"SELECT id, 'confirmation', 'confirmation', CASE WHEN id % 40 = 0 THEN {written} ELSE confirmation_due_on "
        "END, 'bench', 'bench', :version, :now FROM contracts WHERE id % 97 <> 0"), {"version": VERSION, "now": NOW})


def _reply_days(rng: random.Random) -> int:
    return rng.choice((1, 2, 3, 5, 8, 12, 15, 20, 25, 28, 29, 30)) if rng.random() < 0.92 else rng.randint(31, 95)


def _cases(connection, rng: random.Random, *, picked: list[tuple], last_day: date) -> None:
    cases, holds, restorations, indemnities, notes = [], [], [], [], []
    for number, (contract_id, signed_on) in enumerate(picked, start=1):
        received = signed_on + timedelta(days=rng.randint(3, 160))
        if received > last_day:
            received = last_day - timedelta(days=rng.randint(0, 40))
        user = rng.choice(USERS)
        row = dict(id=number, contract_id=contract_id, channel="email", sent_on=None, received_on=received,
                   counted_on=received, opened_by=user, missing_fields=[], rule_set_version=VERSION, created_at=NOW,
                   decided_on=None, decided_by=None, replied_on=None, outcome=None, activation_stoppable=None,
                   reply_due_on=None, sportello_finding=None, sportello_on=None, conciliation_on=None)
        if rng.random() < 0.3:  # a withdrawal
            outcome = rng.choices(("accepted", "rejected", None), (85, 10, 5))[0]
            cases.append(row | dict(reference=f"RIP-2026-{number:06d}", kind="withdrawal", outcome=outcome,
                                    status="decided" if outcome else "incomplete",
                                    decided_on=received if outcome else None))
            continue
        reply = received + timedelta(days=_reply_days(rng))
        outcome = None if reply > last_day or rng.random() < 0.06 else rng.choices(("accepted", "rejected"), (6, 4))[0]
        row |= dict(reference=f"DIS-2026-{number:06d}", kind="disownment", reply_due_on=received + timedelta(days=30),
                    status="decided" if outcome else "open", outcome=outcome)
        if outcome:
            row |= dict(decided_on=reply, decided_by=rng.choice(USERS[3:]), replied_on=reply,
                        activation_stoppable=outcome == "accepted" and rng.random() < 0.45)
            if outcome == "rejected" and rng.random() < 0.05:
                row |= dict(sportello_on=reply + timedelta(days=rng.randint(20, 60)), sportello_finding="founded")
            if outcome == "rejected" and rng.random() < 0.02:
                row |= dict(conciliation_on=reply + timedelta(days=rng.randint(30, 90)))
            late = (reply - received).days
            if late > 30:
                amount = Decimal("25.00") if late <= 60 else Decimal("50.00") if late <= 90 else Decimal("75.00")
                indemnities.append(dict(contract_id=contract_id, case_id=number, kind="tiqv_late_reply", amount=amount,
                                        owed_on=reply, credit_note_id=None, rule_set_version=VERSION))
        cases.append(row)
        placed = received + timedelta(days=1 if rng.random() < 0.01 else 0)
        holds.append(dict(contract_id=contract_id, case_id=number, placed_on=placed, placed_at=NOW, placed_by=user,
                          released_at=NOW if outcome == "rejected" else None))
        if outcome == "accepted" and not row["activation_stoppable"]:
            decided = row["decided_on"]
            requested = decided + timedelta(days=rng.choice((1, 2, 2, 2, 4)))
            done = rng.random() < 0.7 and requested + timedelta(days=30) <= last_day
            restorations.append(dict(case_id=number, contract_id=contract_id, opt_in_required=False,
                                     status="completed" if done else "requested", request_due_on=decided + timedelta(days=2),
                                     requested_on=requested, return_on=requested + timedelta(days=30) if done else None,
                                     completed_on=requested + timedelta(days=30) if done else None,
                                     rebilled_on=requested + timedelta(days=35) if done and rng.random() < 0.8 else None))
            if done and rng.random() < 0.6:
                owed = requested + timedelta(days=31)
                note = len(notes) + 1 if rng.random() < 0.9 else None
                if note:
                    notes.append(dict(id=note, number=f"NCI-2026-{note:06d}", series="NCI", kind="protocol_indemnity",
                                      contract_id=contract_id, case_id=number, issued_on=owed + timedelta(days=3),
                                      amount=Decimal("25.00"), reason="indennizzo art. 8"))
                indemnities.append(dict(contract_id=contract_id, case_id=number, kind="protocol_153",
                                        amount=Decimal("25.00"), owed_on=owed, credit_note_id=note,
                                        rule_set_version=VERSION))
    for model, rows in ((Case, cases), (Hold, holds), (Restoration, restorations), (CreditNote, notes),
                        (Indemnity, indemnities)):
        _insert(connection, model, rows)


def _audits(connection, rng: random.Random, *, audited: list[tuple]) -> None:
    batches, audits, findings, penalties = {}, [], [], []
    for contract_id, signed_on, agency_id, agent_id in audited:
        week = signed_on - timedelta(days=signed_on.weekday())
        batch = batches.setdefault((agency_id, week), dict(
            id=len(batches) + 1, agency_id=agency_id, week_start=week, group="paper", seed=1, rate="0.05",
            population_size=0, drawn_count=0, inputs={}, created_at=NOW))
        batch["drawn_count"] += 1
        failed = rng.random() < 0.03
        verdict_on = week + timedelta(days=rng.randint(8, 20))
        audits.append(dict(id=len(audits) + 1, batch_id=batch["id"], contract_id=contract_id, steps={},
                           verdict="nonconforming" if failed else "compliant", verdict_on=verdict_on, verdict_by="qa"))
        if failed:
            kind = rng.choice(("misleading_practice", "missing_documents", "unsolicited_contract"))
            findings.append(dict(id=len(findings) + 1, agency_id=agency_id, agent_id=agent_id, contract_id=contract_id,
                                 audit_id=len(audits), type=kind, serious=kind != "missing_documents",
                                 found_on=verdict_on))
            penalties.append(dict(agency_id=agency_id, nonconformity_id=len(findings), accrued_on=verdict_on,
                                  amount=Decimal({"misleading_practice": "300.00", "missing_documents": "100.00",
                                                  "unsolicited_contract": "500.00"}[kind])))
    for model, rows in ((AuditBatch, list(batches.values())), (Audit, audits), (Nonconformity, findings),
                        (Penalty, penalties)):
        _insert(connection, model, rows)


def build_report_book(*, engine: Engine, contracts: int, cases: int, seed: int = 7, days: int = 120) -> None:
    """Seed ``contracts`` and write ``cases`` cases, audits and their consequences, all in bulk."""
    seed_book(engine=engine, contracts=contracts, start=START, days=days, seed=seed, checksum=False)
    rng = random.Random(seed)
    last_day = START + timedelta(days=days + 170)
    with engine.begin() as connection:
        _insert(connection, User, [dict(username=u, full_name=u, role="compliance" if u.startswith("csr")
                                        else "customer_service", active=True, created_at=NOW) for u in USERS])
        _confirmations(connection)
        low, high = connection.execute(select(func.min(Contract.id), func.max(Contract.id))).one()
        ids = sorted(rng.sample(range(low, high + 1), min(cases, high - low + 1)))
        picked = []
        for index in range(0, len(ids), 5000):
            picked += connection.execute(select(Contract.id, Contract.signed_on)
                                         .where(Contract.id.in_(ids[index:index + 5000])).order_by(Contract.id)).all()
        _cases(connection, rng, picked=[tuple(row) for row in picked], last_day=last_day)
        audited = connection.execute(select(Contract.id, Contract.signed_on, Contract.agency_id, Contract.agent_id)
                                     .where(Contract.agency_id.is_not(None), Contract.id % 20 == 0)
                                     .order_by(Contract.id)).all()
        _audits(connection, rng, audited=[tuple(row) for row in audited])
        agencies = connection.execute(select(Agency.id).where(Agency.is_internal.is_(False)).order_by(Agency.id)
                                      ).scalars().all()
        events = [dict(agency_id=agencies[0], occurred_on=START + timedelta(days=70), kind="warning"),
                  dict(agency_id=agencies[0], occurred_on=START + timedelta(days=110), kind="revocation"),
                  dict(agency_id=agencies[-1], occurred_on=START + timedelta(days=150), kind="warning")]
        _insert(connection, AgencyEvent, [e | dict(actor="bench", reason="bench", payload={}, rule_set_version=VERSION)
                                          for e in events])
        if connection.dialect.name == "postgresql":
            connection.execute(text("ANALYZE"))
            for table in ("cases", "holds", "restorations", "credit_notes", "indemnities", "audit_batches", "audits",
                          "nonconformities"):
                connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                        f"(SELECT coalesce(max(id), 1) FROM {table}))"))


def _best_of_three(action) -> float:
    times = []
    for _ in range(3):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--url", default=os.environ.get("SENTINELLA_BENCH_URL")
                        or os.environ.get("SENTINELLA_TEST_POSTGRES_URL"))
    parser.add_argument("--keep", action="store_true", help="keep the bench schema afterwards")
    args = parser.parse_args()
    if not args.url:
        parser.error("give --url (or set SENTINELLA_BENCH_URL / SENTINELLA_TEST_POSTGRES_URL)")
    from flows.reports.association import association_report
    from flows.reports.compliance import compliance_report
    from flows.reports.period import period_from_to
    from flows.reports.render import monitoring_csv, monitoring_json, monitoring_pdf
    from flows.reports.render_compliance import compliance_html
    from protocol.ruleset import load_rule_set

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    engine = make_engine(url=args.url if args.url.startswith("sqlite") else fresh_schema_url(args.url, SCHEMA))
    upgrade(engine=engine)
    began = time.perf_counter()
    build_report_book(engine=engine, contracts=args.contracts, cases=args.cases)
    print(f"book: {args.contracts:,} contracts, {args.cases:,} cases on {engine.dialect.name}, built in "
          f"{time.perf_counter() - began:.1f} s")
    rules = load_rule_set()
    for first, last, label in ((date(2026, 1, 1), date(2026, 6, 30), "half year"),
                               (date(2026, 4, 1), date(2026, 6, 30), "quarter")):
        period = period_from_to(first_day=first, last_day=last)
        figures = association_report(engine=engine, period=period, rules=rules)
        print(f"{label} {first}..{last}: {figures.disownments['total']['received']:,} disownments, "
              f"{figures.audits['concluded']:,} audits, median reply {figures.reply_times['median_days']} days")
        for name, action in (
            ("association figures (SQL)", lambda: association_report(engine=engine, period=period, rules=rules)),
            ("association JSON + CSV", lambda: (monitoring_json(figures), monitoring_csv(figures))),
            ("association PDF (charts + WeasyPrint)", lambda: monitoring_pdf(figures, supplier_name="bench")),
            ("compliance figures (SQL)", lambda: compliance_report(engine=engine, period=period)),
            ("compliance HTML", lambda: compliance_html(compliance_report(engine=engine, period=period),
                                                         supplier_name="bench")),
        ):
            print(f"  {name:<40} {_best_of_three(action):7.3f} s")
    engine.dispose()
    if not args.keep and not args.url.startswith("sqlite"):
        drop_schema(args.url, SCHEMA)


if __name__ == "__main__":
    main()
