"""Every figure of both monitoring reports equals the same figure recomputed in plain Python
from the raw rows, on SQLite and PostgreSQL, for a scenario built with the use cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from db.engine import transaction
from db.models import Case, Contract, CreditNote, Customer, Indemnity, Restoration
from flows.audit_verdicts import open_audits, record_verdict
from flows.disownment_decisions import decide_disownment, record_sportello_finding
from flows.disownments import open_disownment, release_hold
from flows.reports.association import association_report
from flows.reports.compliance import compliance_report
from flows.reports.period import period_from_to
from flows.users import add_user
from flows.withdrawals import record_withdrawal
from protocol.codes import (AuditVerdict, CaseOutcome, CreditNoteKind, IndemnityKind, NonconformityType, RequestChannel,
                            RestorationStatus, Role)
from tests.conftest import DATABASES, POSTGRES_URL, fresh_postgres_engine, fresh_sqlite_engine
from tests.integration.lifecycle_support import NOW, Scenario
from tests.integration.test_reports_recompute import recompute_association, recompute_compliance

PERIODS = [(date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 4, 1), date(2026, 4, 30)),
           (date(2026, 5, 1), date(2026, 5, 31))]


def build_report_scenario(engine, folder) -> Scenario:
    """Ten agency contracts signed on 1 April 2026 and what customer service, compliance and the
    auditors do with them in April and May: disownments accepted (stopped and restored), rejected,
    late, reopened by the Sportello, left open; withdrawals in time and too late; audits."""
    s = Scenario(engine=engine, folder=folder)
    for name, role in (("cs.bianchi", Role.CUSTOMER_SERVICE), ("csr.neri", Role.COMPLIANCE)):
        add_user(engine=engine, username=name, role=role, full_name=name, now=NOW)
    early = [s.add_contract(signed_on=date(2026, 4, 1), early_execution=True, agency=True) for _ in range(7)]
    normal = [s.add_contract(signed_on=date(2026, 4, 1), agency=True) for _ in range(3)]
    s.run(date(2026, 4, 2), date(2026, 4, 13))  # confirmations, the audit draw, the point of no return
    rules, calendar = s.context.rules, s.context.calendar

    def disown(contract, on, channel="phone"):
        return open_disownment(engine=engine, contract_reference=contract, received_on=on, sent_on=None,
                               channel=channel, by="cs.bianchi", now=NOW, rules=rules, calendar=calendar).case_reference

    def decide(case, outcome, on):
        decide_disownment(engine=engine, case_reference=case, outcome=CaseOutcome(outcome), reason="verified",
                          by="csr.neri", as_of=on, now=NOW, rules=rules, calendar=calendar, settings=s.settings)

    def withdraw(contract, on):
        record_withdrawal(engine=engine, contract_reference=contract, received_on=on, sent_on=None,
                          channel=RequestChannel.EMAIL, missing_fields=frozenset(), as_of=on, actor="cs.bianchi",
                          now=NOW, rules=rules, calendar=calendar, settings=s.settings)

    audits = {a["contract"]: a["audit"] for a in open_audits(engine=engine)}
    record_verdict(engine=engine, audit_id=audits[early[5]], verdict=AuditVerdict.NONCONFORMING,
                   nonconformities=[NonconformityType.MISSING_DOCUMENTS], note="no ID copy", by="qa.test",
                   as_of=date(2026, 4, 21), now=NOW, rules=rules, settings=s.settings)
    record_verdict(engine=engine, audit_id=audits[early[6]], verdict=AuditVerdict.COMPLIANT, nonconformities=[],
                   note=None, by="qa.test", as_of=date(2026, 5, 4), now=NOW, rules=rules, settings=s.settings)

    restored = disown(early[0], date(2026, 4, 20))
    decide(restored, "accepted", date(2026, 4, 22))  # past the point of no return: restoration
    late = disown(early[1], date(2026, 4, 20), channel="association")
    decide(late, "rejected", date(2026, 5, 25))  # 35 days: the TIQV indemnity
    reopened = disown(early[2], date(2026, 4, 14))
    decide(reopened, "rejected", date(2026, 4, 16))
    release_hold(engine=engine, case_reference_=reopened, by="cs.bianchi", reason="letter sent",
                 as_of=date(2026, 4, 17), now=NOW)
    record_sportello_finding(engine=engine, case_reference=reopened, finding="unfounded", on=date(2026, 5, 5),
                             by="csr.neri", now=NOW, rules=rules, calendar=calendar, settings=s.settings)
    disown(early[3], date(2026, 4, 15))  # never answered: overdue from 15 May
    stopped = disown(normal[0], date(2026, 4, 16))
    decide(stopped, "accepted", date(2026, 4, 17))  # still stoppable: the contract is void
    withdraw(normal[1], date(2026, 4, 20))  # in time
    withdraw(early[4], date(2026, 5, 20))  # after the point of no return and the statutory window

    with transaction(engine) as session:  # rows as the restoration run writes them, at fixed dates
        case_ids = dict(session.execute(select(Case.reference, Case.id)).all())
        contract_of = dict(session.execute(select(Case.reference, Case.contract_id)).all())
        session.execute(update(Case).where(Case.reference == late).values(conciliation_on=date(2026, 6, 10)))
        session.execute(update(Restoration).where(Restoration.case_id == case_ids[restored]).values(
            status=RestorationStatus.COMPLETED, requested_on=date(2026, 5, 18), return_on=date(2026, 6, 1), completed_on=date(2026, 6, 1)))
        customer = session.get(Contract, contract_of[late]).customer_id
        session.execute(update(Customer).where(Customer.id == customer).values(
            kind="business", employees=120, turnover_eur=Decimal("30000000.00"), vulnerable=False))
        note = CreditNote(number="NCI-2026-000001", series="NCI", kind=CreditNoteKind.PROTOCOL_INDEMNITY,
                          contract_id=contract_of[restored], case_id=case_ids[restored], issued_on=date(2026, 6, 5),
                          amount=Decimal("25.00"), reason="indennizzo art. 8")
        session.add(note)
        session.flush()
        session.add(Indemnity(contract_id=contract_of[restored], case_id=case_ids[restored],
                              kind=IndemnityKind.PROTOCOL_153, amount=Decimal("25.00"), owed_on=date(2026, 6, 2),
                              credit_note_id=note.id, rule_set_version=rules.version))
    return s


@pytest.fixture(scope="module", params=DATABASES)
def scenario(request, tmp_path_factory, sqlite_template):
    """One scenario per database for the whole module: the reports only read it."""
    if request.param == "sqlite":
        engine = fresh_sqlite_engine(sqlite_template, tmp_path_factory.mktemp("reports-db"))
    else:
        if not POSTGRES_URL:
            pytest.skip("PostgreSQL suite: set SENTINELLA_TEST_POSTGRES_URL")
        engine = fresh_postgres_engine("sentinella_reports")
    yield build_report_scenario(engine, tmp_path_factory.mktemp("reports-files"))
    engine.dispose()


def test_every_association_and_compliance_figure_equals_a_recount_from_the_raw_rows(scenario):
    rules = scenario.context.rules
    for first, last in PERIODS:
        period = period_from_to(first_day=first, last_day=last)
        association = association_report(engine=scenario.engine, period=period, rules=rules)
        compliance = compliance_report(engine=scenario.engine, period=period)
        with transaction(scenario.engine) as session:
            assert association == recompute_association(session, period=period, rules=rules), (first, last)
            assert compliance == recompute_compliance(session, period=period), (first, last)


def test_the_scenario_exercises_every_part_of_the_reports(scenario):
    period = period_from_to(first_day=date(2026, 4, 1), last_day=date(2026, 6, 30))
    report = association_report(engine=scenario.engine, period=period, rules=scenario.context.rules)
    assert report.disownments["total"] == {"received": 5, "accepted": 3, "rejected": 1, "pending": 1}
    assert report.disownments["out_of_scope"]["received"] == 1
    assert report.outcomes["activation_stopped"] == 1 and report.outcomes["restored"] == 1
    assert report.outcomes["restoration_in_progress"] == 1
    assert report.reply_times["replies"] == 4 and report.reply_times["within_standard"] == 3
    # reply times 1, 2, 2 (the reopened case keeps its first reply) and 35 days: median (2 + 2) / 2,
    # p95 at rank 0.95 x 3 = 2.85, 2 + 0.85 x (35 - 2) = 30.05
    assert report.reply_times["median_days"] == Decimal("2.0") and report.reply_times["p95_days"] == Decimal("30.1")  # half-up to a tenth
    assert report.indemnities["tiqv_late_reply"]["owed_eur"] == Decimal("25.00")
    assert report.indemnities["protocol_153"]["paid_eur"] == Decimal("25.00")
    assert report.withdrawals == {"received": 2, "accepted": 1, "late": 0, "rejected": 1, "pending": 0}
    assert report.audits["concluded"] == 2 and report.audits["nonconforming"] == 1
    assert report.escalations == {"sportello": 1, "sportello_unfounded": 1, "conciliation": 1}
    assert report.agencies["penalties"] == 4  # three accepted disownments and the missing documents
    compliance = compliance_report(engine=scenario.engine, period=period)
    assert compliance.overdue_counts["reply"] == 1
    (overdue,) = [row for row in compliance.overdue if row["step"] == "reply"]
    assert overdue["owner_user"] == "cs.bianchi" and overdue["owner_role"] == "customer_service"
    assert overdue["due_on"] == date(2026, 5, 15) and overdue["days_overdue"] == 46
    assert compliance.rebilling == {"completed": 1, "rebilled": 0, "share": Decimal("0.0000")}
    assert compliance.overdue_counts["rebilling"] == 1


def test_an_empty_period_reports_zeros_and_no_rates(scenario):
    period = period_from_to(first_day=date(2025, 1, 1), last_day=date(2025, 1, 31))
    report = association_report(engine=scenario.engine, period=period, rules=scenario.context.rules)
    assert report.reply_times["median_days"] is None and report.audits["nonconformity_rate"] is None
    assert report.disownments["total"]["received"] == 0 and len(report.months) == 1
    assert compliance_report(engine=scenario.engine, period=period).overdue == []


def test_the_scope_test_in_sql_agrees_with_protocol_scope_for_every_customer_of_a_seeded_book(engine):
    from flows.reports.sql import in_scope_sql
    from flows.runtime import app_context
    from flows.seeding import seed_book
    from protocol.scope import in_protocol_scope

    seed_book(engine=engine, contracts=400, start=date(2026, 1, 5), days=30, seed=9, checksum=False)
    rules = app_context(engine.url.render_as_string(hide_password=False)).rules
    with transaction(engine) as session:
        rows = session.execute(select(Customer, Contract.commodity, in_scope_sql(rules=rules.scope,
                                                                                commodity_column=Contract.commodity))
                               .join(Contract, Contract.customer_id == Customer.id)).all()
    expected = [in_protocol_scope(customer_kind=c.kind, commodity=commodity, vulnerable=c.vulnerable,
                                  employees=c.employees, turnover_eur=c.turnover_eur, rules=rules).in_scope
                for c, commodity, _ in rows]
    assert [bool(in_sql) for _, _, in_sql in rows] == expected
    assert len(set(expected)) == 2 and len({c.kind for c, _, _ in rows}) == 5
