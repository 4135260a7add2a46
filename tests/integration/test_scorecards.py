"""The agency scorecard read from the database, its CLI and the monthly Prefect flow.

The book: 150 seeded contracts signed 5 January - 4 April 2026, the real weekly audit draws,
verdicts recorded through ``record_verdict`` (penalties, a warning with its corrective plan, a
forgery revoking an agency), withdrawal and disownment cases written by hand, and a few rows on
the periods' edges. A plain-Python recount from the raw tables must give the same figures.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from agencies.periods import period_bounds
from agencies.scorecard import AgencyPeriodFigures
from db.engine import make_engine, transaction
from db.models import (Agency, Audit, AuditBatch, Case, Contract, CorrectiveAction, Mandate, Nonconformity,
                       Penalty)
from flows.agency_findings import register_nonconformity
from flows.audit_draw import draw_audit_week
from flows.audit_verdicts import record_verdict
from flows.cli_output import to_jsonable
from flows.runtime import app_context
from flows.scorecards import agency_scorecard, scorecard_figures
from flows.seeding import seed_book
from flows.settings import Settings
from protocol.codes import AgencyStatus, AuditVerdict, CaseKind, CaseOutcome, CaseStatus, RequestChannel
from protocol.codes import NonconformityType as N

BOOK = {"contracts": 150, "start": date(2026, 1, 5), "days": 90, "seed": 3}
NOW = datetime(2026, 5, 4, 9, 30, tzinfo=timezone.utc)
PERIODS = ("2025-Q4", "2026-01", "2026-02", "2026-03", "2026-04", "2026-Q1", "2026-Q2", "2026-H1", "2026")
FINDINGS = {("AG002", 0): [N.MISSING_DOCUMENTS], ("AG002", 3): [N.MISSING_DOCUMENTS],
            ("AG005", 0): [N.MISLEADING_PRACTICE], ("AG005", 2): [N.MISSING_DOCUMENTS, N.OPT_OUT_VIOLATION],
            ("AG006", 1): [N.FORGED_CONTRACT], ("AG009", 1): [N.UNSOLICITED_CONTRACT], ("INT", 0): [N.MISLEADING_PRACTICE]}


def _case(number: int, contract: Contract, kind: CaseKind, received_on: date, outcome: CaseOutcome | None) -> Case:
    return Case(reference=f"T-{number:05d}", contract_id=contract.id, kind=kind, channel=RequestChannel.EMAIL,
                received_on=received_on, counted_on=received_on, opened_by="test", missing_fields=[],
                status=CaseStatus.DECIDED if outcome else CaseStatus.OPEN, outcome=outcome,
                decided_on=received_on + timedelta(days=3) if outcome else None, rule_set_version="2026.1",
                created_at=NOW)


def build_book(engine, folder) -> None:
    seed_book(engine=engine, checksum=False, **BOOK)
    rules = app_context(engine.url.render_as_string(hide_password=False)).rules
    settings = Settings(letters_dir=folder / "letters", outbox_dir=folder / "outbox", reports_dir=folder / "reports")
    for week in range(14):
        draw_audit_week(engine=engine, week_start=BOOK["start"] + timedelta(weeks=week), rules=rules, now=NOW)
    with transaction(engine) as session:
        audits = session.execute(select(Audit.id, AuditBatch.week_start, Agency.code)
                                 .join(AuditBatch, AuditBatch.id == Audit.batch_id)
                                 .join(Agency, Agency.id == AuditBatch.agency_id).order_by(Audit.id)).all()
    seen: Counter[str] = Counter()
    for audit_id, week_start, code in audits:
        n = seen[code]
        seen[code] += 1
        if n % 5 == 4:
            continue  # still waiting for its verdict
        kinds = FINDINGS.get((code, n), [])
        record_verdict(engine=engine, audit_id=audit_id, nonconformities=kinds, note=None, by="auditor",
                       verdict=AuditVerdict.NONCONFORMING if kinds else AuditVerdict.COMPLIANT,
                       as_of=week_start + timedelta(days=10), now=NOW, rules=rules, settings=settings)
    with transaction(engine) as session:
        contracts = session.execute(select(Contract).order_by(Contract.id)).scalars().all()
        number = 0
        for contract in contracts:
            plan = []
            if contract.id % 6 == 0:
                plan.append((CaseKind.WITHDRAWAL, 5, CaseOutcome.ACCEPTED if contract.id % 12 == 0 else CaseOutcome.REJECTED))
            if contract.id % 13 == 1:
                plan.append((CaseKind.WITHDRAWAL, 4, None))
            if contract.id % 9 == 0:
                outcome = CaseOutcome.ACCEPTED if contract.id % 18 == 0 else CaseOutcome.REJECTED if contract.id % 27 == 0 else None
                plan.append((CaseKind.DISOWNMENT, 25, outcome))
            if contract.id in (12, 36):  # a second request for the same contract counts once
                plan += [(CaseKind.WITHDRAWAL, 6, CaseOutcome.ACCEPTED), (CaseKind.DISOWNMENT, 26, CaseOutcome.ACCEPTED)]
            for kind, days, outcome in plan:
                number += 1
                case = _case(number, contract, kind, contract.signed_on + timedelta(days=days), outcome)
                session.add(case)
                session.flush()
                if kind is CaseKind.DISOWNMENT and outcome is CaseOutcome.ACCEPTED:
                    register_nonconformity(session, contract=contract, kind=N.UNSOLICITED_CONTRACT, actor="test",
                                           found_on=case.decided_on, now=NOW, rules=rules, case_id=case.id)
        edge = Agency(code="AG900", name='Prova "Bordi" <Edge> & C. S.r.l.', vat_number="00000000000",
                      status=AgencyStatus.ACTIVE, status_since=date(2025, 1, 1), is_internal=False)
        session.add(edge)
        session.flush()  # no mandate, no contract: listed only in periods where it has a figure
        for opened, closed in ((date(2026, 1, 10), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 4, 1)),
                               (date(2026, 4, 1), None), (date(2025, 12, 31), None)):
            session.add(CorrectiveAction(agency_id=edge.id, opened_on=opened, due_on=opened + timedelta(days=30),
                                         closed_on=closed, description="test plan"))
        for found_on, amount in ((date(2026, 1, 31), Decimal("1234.57")), (date(2026, 3, 31), Decimal("0.01")),
                                 (date(2026, 4, 1), Decimal("0.03"))):
            finding = Nonconformity(agency_id=edge.id, contract_id=contracts[0].id, type=N.UNAUTHORISED_SUBAGENT,
                                    serious=True, found_on=found_on)
            session.add(finding)
            session.flush()
            session.add(Penalty(agency_id=edge.id, nonconformity_id=finding.id, amount=amount, accrued_on=found_on))


@pytest.fixture
def book(engine, tmp_path):
    build_book(engine, tmp_path)
    return engine


def recount(session, *, start: date, end: date) -> list[AgencyPeriodFigures]:
    """The scorecard figures again, from plain SELECTs of whole tables, counted in Python."""
    contracts = {c.id: c for c in session.execute(select(Contract.id, Contract.agency_id, Contract.channel,
                                                         Contract.signed_on)).all()}
    audits = session.execute(select(Audit.contract_id, Audit.verdict)).all()
    findings = session.execute(select(Nonconformity.agency_id, Nonconformity.type, Nonconformity.found_on)).all()
    penalties = session.execute(select(Penalty.agency_id, Penalty.amount, Penalty.accrued_on)).all()
    cases = session.execute(select(Case.contract_id, Case.kind, Case.outcome, Case.received_on)).all()
    plans = session.execute(select(CorrectiveAction.agency_id, CorrectiveAction.opened_on,
                                   CorrectiveAction.closed_on)).all()
    mandates = session.execute(select(Mandate.agency_id, Mandate.valid_from, Mandate.valid_to, Mandate.revoked_on)).all()
    result = []
    for agency in sorted(session.execute(select(Agency)).scalars(), key=lambda a: a.code):
        if agency.is_internal:
            continue
        mine = {i for i, c in contracts.items() if c.agency_id == agency.id}
        sold = {i for i in mine if start <= contracts[i].signed_on < end}
        disowned = [c for c in cases if c.contract_id in mine and c.kind is CaseKind.DISOWNMENT
                    and start <= c.received_on < end]
        figures = AgencyPeriodFigures(
            agency_code=agency.code, agency_name=agency.name,
            contracts_by_channel=Counter(contracts[i].channel.value for i in sold),
            audited=len({a.contract_id for a in audits if a.contract_id in sold and a.verdict is not None}),
            nonconforming_audited=len({a.contract_id for a in audits
                                       if a.contract_id in sold and a.verdict is AuditVerdict.NONCONFORMING}),
            nonconformities_by_type=Counter(f.type.value for f in findings
                                            if f.agency_id == agency.id and start <= f.found_on < end),
            withdrawals=len({c.contract_id for c in cases if c.contract_id in sold and c.kind is CaseKind.WITHDRAWAL
                             and c.outcome is CaseOutcome.ACCEPTED}),
            disownments_received=len({c.contract_id for c in disowned}),
            disownments_accepted=len({c.contract_id for c in disowned if c.outcome is CaseOutcome.ACCEPTED}),
            penalties_eur=sum((p.amount for p in penalties if p.agency_id == agency.id and start <= p.accrued_on < end),
                              Decimal("0.00")),
            corrective_actions_open=sum(1 for p in plans if p.agency_id == agency.id and p.opened_on < end
                                        and (p.closed_on is None or p.closed_on >= end)),
            mandate_status=agency.status,
        )
        in_force = any(m.agency_id == agency.id and m.valid_from < end and (m.valid_to is None or m.valid_to > start)
                       and (m.revoked_on is None or m.revoked_on > start) for m in mandates)
        active = (sold or figures.audited or any(figures.nonconformities_by_type.values()) or figures.withdrawals
                  or disowned or figures.penalties_eur or figures.corrective_actions_open)
        if in_force or active:
            result.append(figures)
    return result


def test_every_figure_of_every_agency_matches_a_plain_python_recount_of_the_raw_tables(book):
    totals = Counter()
    for period in PERIODS:
        start, end = period_bounds(period)
        with transaction(book) as session:
            computed = scorecard_figures(session, period_start=start, period_end=end)
            expected = recount(session, start=start, end=end)
        assert computed == expected, period
        for row in computed:
            totals.update({f"{period}:{name}": int(bool(getattr(row, name))) for name in (
                "nonconforming_audited", "withdrawals", "disownments_accepted", "corrective_actions_open", "penalties_eur")})
            totals[f"{period}:revoked"] += row.mandate_status is AgencyStatus.REVOKED
    assert all(totals[f"2026-Q1:{name}"] for name in ("nonconforming_audited", "withdrawals", "disownments_accepted",
                                                       "corrective_actions_open", "penalties_eur", "revoked")), totals


def test_the_scorecard_judges_outside_agencies_only_and_ranks_those_with_audits(book):
    rows = agency_scorecard(engine=book, period="2026-Q1")
    codes = [row.agency_code for row in rows]
    assert "INT" not in codes and codes and len(codes) == len(set(codes))
    ranks = [row.rank for row in rows if row.rank is not None]
    assert ranks == sorted(ranks) and ranks[0] == 1
    assert all(row.period_start == date(2026, 1, 1) and row.period_end == date(2026, 4, 1) for row in rows)


def test_penalties_and_open_plans_are_counted_on_the_edges_of_the_half_open_period(book):
    def edge(period: str):
        return next((r for r in agency_scorecard(engine=book, period=period) if r.agency_code == "AG900"), None)

    figures = {p: (edge(p).penalties_eur, edge(p).corrective_actions_open) for p in ("2026-01", "2026-02", "2026-03",
                                                                                   "2026-04", "2025-Q4")}
    assert figures == {"2026-01": (Decimal("1234.57"), 2), "2026-02": (Decimal("0.00"), 3),
                       "2026-03": (Decimal("0.01"), 2), "2026-04": (Decimal("0.03"), 2),
                       "2025-Q4": (Decimal("0.00"), 1)}
    assert edge("2025-Q3") is None  # no mandate and nothing in the period
    assert edge("2026-Q1").penalties_eur == Decimal("1234.58")


# A ``python -c`` entry point that is ``sentinella`` itself, with ``agencies scorecard`` registered
# when flows/cli.py does not register it (yet).
CLI = """
import flows.cli as cli
from flows import cli_scorecard
base = cli._register
def _register():
    base()
    if not any(group.typer_instance is cli_scorecard.agencies_app for group in cli.app.registered_groups):
        cli_scorecard.register(cli.app)
cli._register = _register
cli.main()
"""


@pytest.fixture
def sqlite_book(sqlite_template, tmp_path):
    path = tmp_path / "cli.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(url=f"sqlite:///{path}")
    build_book(engine, tmp_path)
    yield engine
    engine.dispose()


def _cli(*args: str, engine, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=engine.url.render_as_string(hide_password=False),
               SENTINELLA_VAR_DIR=str(tmp_path / "var"), PYTHONHASHSEED="0", COLUMNS="250")
    return subprocess.run([sys.executable, "-c", CLI, "agencies", "scorecard", *args], env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_command_prints_every_field_as_json_writes_csv_and_html_and_refuses_a_bad_period(sqlite_book, tmp_path):
    rows = agency_scorecard(engine=sqlite_book, period="2026-Q1")
    shown = _cli("--period", "2026-Q1", "--json", engine=sqlite_book, tmp_path=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == to_jsonable(list(rows))

    out = tmp_path / "exports" / "q1.csv"
    written = _cli("--period", "2026-q1", "--csv", "--out", str(out), engine=sqlite_book, tmp_path=tmp_path)
    assert written.returncode == 0, written.stderr
    lines = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [line["agency_code"] for line in lines] == [row.agency_code for row in rows]

    page = _cli("--period", "2026-Q1", "--html", engine=sqlite_book, tmp_path=tmp_path)
    assert page.returncode == 0, page.stderr
    assert "<title>Scheda di valutazione delle agenzie — 2026-Q1</title>" in page.stdout and "<svg" in page.stdout

    table = _cli("--period", "2026-Q1", engine=sqlite_book, tmp_path=tmp_path)
    assert table.returncode == 0 and rows[0].agency_code in table.stdout, table.stderr

    refused = _cli("--period", "2026-Q5", engine=sqlite_book, tmp_path=tmp_path)
    assert refused.returncode == 2 and "2026-Q5" in refused.stderr and "Traceback" not in refused.stderr


def test_the_monthly_flow_writes_the_month_and_the_quarter_to_date_and_publishes_artifacts(
        book, tmp_path, prefect_api_url):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    from flows.monthly import monthly_scorecards

    reports = tmp_path / "published"
    result = monthly_scorecards(month="2026-02", database_url=book.url.render_as_string(hide_password=False),
                                reports_dir=str(reports))
    folder = reports / "scorecards"
    assert sorted(p.name for p in folder.iterdir()) == [
        "scorecard-2026-02.csv", "scorecard-2026-02.html", "scorecard-2026-Q1-to-2026-02.csv",
        "scorecard-2026-Q1-to-2026-02.html"]
    assert (result["quarter_to_date"]["start"], result["quarter_to_date"]["end"]) == ("2026-01-01", "2026-03-01")
    february = list(csv.DictReader(io.StringIO((folder / "scorecard-2026-02.csv").read_text(encoding="utf-8"))))
    assert [line["agency_code"] for line in february] == [
        row.agency_code for row in agency_scorecard(engine=book, period="2026-02")]
    assert "fino al 28 febbraio 2026" in (folder / "scorecard-2026-Q1-to-2026-02.html").read_text(encoding="utf-8")

    async def artifacts():
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(
                any_=["scorecard-2026-02", "scorecard-2026-q1-to-2026-02"])))

    found = asyncio.run(artifacts())
    assert {a.key for a in found} == {"scorecard-2026-02", "scorecard-2026-q1-to-2026-02"}
    table = json.loads(next(a for a in found if a.key == "scorecard-2026-02").data)
    assert [line["agency"] for line in table] == [line["agency_code"] for line in february]


def test_a_month_gives_itself_and_its_quarter_to_date_and_the_default_is_the_month_before():
    from flows.monthly import InvalidPeriod, previous_month, scorecard_periods

    month, quarter = scorecard_periods("2026-03")
    assert (month.start, month.end, month.slug) == (date(2026, 3, 1), date(2026, 4, 1), "2026-03")
    assert (quarter.start, quarter.end, quarter.label, quarter.slug) == (date(2026, 1, 1), date(2026, 4, 1), "2026-Q1",
                                                                         "2026-Q1")
    assert scorecard_periods("2026-11")[1].label == "2026-Q4 (fino al 30 novembre 2026)"
    assert (previous_month(date(2026, 1, 15)), previous_month(date(2026, 3, 31))) == ("2025-12", "2026-02")
    for bad in ("2026-Q1", "2026-13", "03-2026"):
        with pytest.raises(InvalidPeriod):
            scorecard_periods(bad)
