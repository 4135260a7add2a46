"""Disownments: the hold with the case, roles, decisions and the TIQV late-reply indemnity."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.engine import transaction
from db.models import Case, ContractEvent, Hold, Indemnity, Letter, Nonconformity, Restoration
from flows.disownment_decisions import CaseAlreadyDecided, case_queue, decide_disownment, record_sportello_finding
from protocol.complaints import late_reply_indemnity
from flows.disownments import open_disownment, release_hold
from flows.users import RoleNotAllowed, UnknownUser, add_user
from protocol.codes import CaseOutcome, ContractState, Role
from tests.integration.lifecycle_support import NOW, Scenario


@pytest.fixture
def scenario(engine, tmp_path):
    scenario = Scenario(engine=engine, folder=tmp_path)
    for name, role in (("cs.bianchi", Role.CUSTOMER_SERVICE), ("sales.verdi", Role.SALES_MANAGER),
                       ("csr.neri", Role.COMPLIANCE)):
        add_user(engine=engine, username=name, role=role, full_name=name, now=NOW)
    return scenario


def disown(scenario, contract, *, received_on, by="cs.bianchi"):
    return open_disownment(engine=scenario.engine, contract_reference=contract, received_on=received_on, sent_on=None,
                           channel="phone", by=by, now=NOW, rules=scenario.context.rules,
                           calendar=scenario.context.calendar)


def decide(scenario, case, outcome, *, on, by="csr.neri", reason="verified with the customer"):
    return decide_disownment(engine=scenario.engine, case_reference=case, outcome=CaseOutcome(outcome), reason=reason,
                             by=by, as_of=on, now=NOW, rules=scenario.context.rules, calendar=scenario.context.calendar,
                             settings=scenario.settings)


def snapshot(scenario):
    with transaction(scenario.engine) as session:
        return tuple(session.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Case, Hold, ContractEvent, Letter, Nonconformity, Indemnity))


def test_the_case_and_the_hold_are_recorded_together_and_a_second_report_changes_nothing(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 22), agency=True)
    scenario.run(date(2026, 4, 23), date(2026, 4, 27))

    opened = disown(scenario, contract, received_on=date(2026, 4, 27))

    assert opened.hold_placed and opened.reply_due_on == date(2026, 5, 27)
    assert scenario.contract(contract).on_hold
    before = snapshot(scenario)
    again = disown(scenario, contract, received_on=date(2026, 4, 28))
    assert again.already_open and again.case_reference == opened.case_reference
    assert snapshot(scenario) == before


def test_a_sales_manager_may_not_decide_and_nothing_changes(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 22), agency=True)
    scenario.run(date(2026, 4, 23), date(2026, 4, 24))
    case = disown(scenario, contract, received_on=date(2026, 4, 24)).case_reference
    before = snapshot(scenario)

    with pytest.raises(RoleNotAllowed, match="sales manager may not decide a disownment"):
        decide(scenario, case, "accepted", on=date(2026, 4, 28), by="sales.verdi")
    with pytest.raises(UnknownUser):
        decide(scenario, case, "accepted", on=date(2026, 4, 28), by="nobody")

    assert snapshot(scenario) == before
    assert scenario.contract(contract).state is ContractState.COOLING_OFF


def test_accepted_while_activation_can_be_stopped_voids_the_contract_with_a_letter_and_a_nonconformity(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 22), agency=True)
    scenario.run(date(2026, 4, 23), date(2026, 4, 24))
    case = disown(scenario, contract, received_on=date(2026, 4, 24)).case_reference

    result = decide(scenario, case, "accepted", on=date(2026, 4, 28))

    assert result.activation_stopped and result.late_reply_indemnity is None
    assert scenario.contract(contract).state is ContractState.CANCELLED
    with transaction(scenario.engine) as session:
        assert session.execute(select(Nonconformity.type)).scalar_one().value == "unsolicited_contract"
        assert session.execute(select(Letter.kind).order_by(Letter.id.desc())).scalars().first() == "activation_stopped"
        events = session.execute(select(ContractEvent.kind, ContractEvent.actor)).all()
    assert ("disownment_accepted", "csr.neri") in events and ("cancelled", "csr.neri") in events
    with pytest.raises(CaseAlreadyDecided):
        decide(scenario, case, "rejected", on=date(2026, 4, 29))


def test_accepted_after_the_point_of_no_return_opens_a_restoration_with_the_domestic_opt_in(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 1), early_execution=True, agency=True)
    scenario.run(date(2026, 4, 2), date(2026, 4, 20))
    case = disown(scenario, contract, received_on=date(2026, 4, 20)).case_reference

    result = decide(scenario, case, "accepted", on=date(2026, 4, 22))

    assert not result.activation_stopped and result.restoration == "awaiting_opt_in"
    with transaction(scenario.engine) as session:
        restoration = session.execute(select(Restoration)).scalar_one()
    assert restoration.opt_in_due_on == date(2026, 5, 12)


def test_rejected_keeps_the_hold_until_released_by_an_explicit_act_and_the_sportello_can_reopen_it(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 1), early_execution=True, agency=True)
    scenario.run(date(2026, 4, 2), date(2026, 4, 20))
    case = disown(scenario, contract, received_on=date(2026, 4, 20)).case_reference
    decide(scenario, case, "rejected", on=date(2026, 4, 22), reason="the recorded call shows the customer's consent")
    assert scenario.contract(contract).on_hold

    assert release_hold(engine=scenario.engine, case_reference_=case, by="cs.bianchi", reason="rejection sent",
                        as_of=date(2026, 4, 23), now=NOW)
    assert not scenario.contract(contract).on_hold

    reopened = record_sportello_finding(engine=scenario.engine, case_reference=case, finding="unfounded",
                                        on=date(2026, 6, 1), by="csr.neri", now=NOW, rules=scenario.context.rules,
                                        calendar=scenario.context.calendar, settings=scenario.settings)
    assert reopened.outcome == "accepted" and reopened.restoration == "awaiting_opt_in"


@pytest.mark.parametrize(("days", "indemnity"), [(30, None), (31, "25.00"), (60, "25.00"), (61, "50.00"),
                                                  (90, "50.00"), (91, "75.00")])
def test_a_decision_after_the_30_day_standard_owes_the_tiqv_indemnity_once(scenario, days, indemnity):
    contract = scenario.add_contract(signed_on=date(2026, 4, 1), early_execution=True, agency=True)
    scenario.run(date(2026, 4, 2), date(2026, 4, 3))
    received = date(2026, 4, 3)
    case = disown(scenario, contract, received_on=received).case_reference

    result = decide(scenario, case, "rejected", on=received + timedelta(days=days))

    assert result.late_reply_indemnity == indemnity
    with transaction(scenario.engine) as session:
        owed = session.execute(select(Indemnity.amount)).scalars().all()
    assert owed == ([] if indemnity is None else [Decimal(indemnity)])


def test_the_case_queue_is_sorted_by_deadline_and_marks_the_overdue(scenario):
    first = scenario.add_contract(signed_on=date(2026, 4, 1), agency=True)
    second = scenario.add_contract(signed_on=date(2026, 4, 1), agency=True)
    scenario.run(date(2026, 4, 2), date(2026, 4, 3))
    disown(scenario, second, received_on=date(2026, 4, 10))
    disown(scenario, first, received_on=date(2026, 4, 3))

    queue = case_queue(engine=scenario.engine, as_of=date(2026, 5, 6))

    assert [row["contract"] for row in queue] == [first, second]
    assert [row["overdue"] for row in queue] == [True, False]
    assert [r["contract"] for r in case_queue(engine=scenario.engine, as_of=date(2026, 5, 6), overdue_only=True)] == [first]


def test_the_tiqv_tiers_follow_the_rule_file():
    from protocol.ruleset import load_rule_set

    rules = load_rule_set()
    received = date(2026, 1, 10)
    assert [late_reply_indemnity(received_on=received, replied_on=received + timedelta(days=d), rules=rules)
            for d in (30, 31, 61, 91)] == [0, 25, 50, 75]
