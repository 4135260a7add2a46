"""The contract lifecycle through the daily cycle, with the dates that make the rules bite."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from db.engine import transaction
from db.models import Case, Letter, OutboxMessage, SwitchRequest
from flows.withdrawals import record_withdrawal
from protocol.codes import ContractState, RequestChannel, SwitchStatus
from tests.integration.lifecycle_support import NOW, Scenario


@pytest.fixture
def scenario(engine, tmp_path):
    return Scenario(engine=engine, folder=tmp_path)


def withdraw(scenario, external_id, *, received_on, sent_on=None, channel="email", missing=(), as_of=None):
    context = scenario.context
    return record_withdrawal(
        engine=scenario.engine, contract_reference=external_id, received_on=received_on, sent_on=sent_on,
        channel=RequestChannel(channel), missing_fields=frozenset(missing), as_of=as_of or received_on,
        actor="cs.test", now=NOW, rules=context.rules, calendar=context.calendar, settings=scenario.settings,
    )


def messages(scenario, kind):
    with transaction(scenario.engine) as session:
        return session.execute(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.kind == kind)).scalar_one()


def test_a_window_across_25_april_and_1_may_holds_the_switch_request_until_it_ends(scenario):
    # Signed Thursday 17 April 2025. Working days after it: 18, 22, 23, 24, 28, 29, 30 April
    # (21 April Easter Monday and 25 April Liberation Day are holidays, weekends skipped),
    # 2, 5, 6, 7, 8, 9, 12 May (1 May is a holiday): the 14th working day is Monday 12 May.
    contract = scenario.add_contract(signed_on=date(2025, 4, 17))
    scenario.run(date(2025, 4, 18), date(2025, 5, 12))
    assert scenario.contract(contract).state is ContractState.COOLING_OFF
    assert messages(scenario, "switch_request") == 0

    scenario.run(date(2025, 5, 13))

    filed = scenario.contract(contract)
    assert filed.state is ContractState.SWITCH_REQUESTED
    # filed on 13 May, after the 10th: effective 1 July; revocable until 10 June
    assert (filed.switch_date, filed.point_of_no_return) == (date(2025, 7, 1), date(2025, 6, 10))
    assert filed.withdrawal_deadline == date(2025, 6, 10)


@pytest.mark.parametrize(("signed_on", "switch_date"), [
    (date(2026, 3, 9), date(2026, 4, 1)),   # early execution: filed at intake on Tue 10 March
    (date(2026, 3, 10), date(2026, 5, 1)),  # filed at intake on Wed 11 March, after the cut-off
])
def test_a_request_filed_by_the_10th_switches_next_month_and_after_it_a_month_later(scenario, signed_on, switch_date):
    contract = scenario.add_contract(signed_on=signed_on, early_execution=True)
    scenario.run(signed_on, date(2026, 3, 11))
    filed = scenario.contract(contract)
    assert filed.switch_date == switch_date
    # filed on the 10th, the request is already past its point of no return (the 10th) on the 11th
    assert filed.state in (ContractState.SWITCH_REQUESTED, ContractState.IRREVOCABLE)


def _to_deadline(scenario):
    # Signed Wednesday 22 April 2026: statutory window to 13 May, switch filed 14 May for
    # 1 July, so activation can be stopped until the cut-off of 10 June: the deadline.
    contract = scenario.add_contract(signed_on=date(2026, 4, 22))
    scenario.run(date(2026, 4, 23), date(2026, 6, 10))
    assert scenario.contract(contract).withdrawal_deadline == date(2026, 6, 10)
    return contract


def test_a_withdrawal_on_the_last_valid_day_is_accepted_and_revokes_the_switch(scenario):
    contract = _to_deadline(scenario)

    result = withdraw(scenario, contract, received_on=date(2026, 6, 10))

    assert result.outcome == "in_time"
    assert scenario.contract(contract).state is ContractState.WITHDRAWN
    assert messages(scenario, "switch_revocation") == 1
    with transaction(scenario.engine) as session:
        request = session.execute(select(SwitchRequest)).scalar_one()
        assert request.status is SwitchStatus.REVOKED
        kinds = session.execute(select(Letter.kind).order_by(Letter.id)).scalars().all()
    assert kinds == ["confirmation", "withdrawal_accepted"]


def test_a_withdrawal_the_next_day_is_refused_with_a_letter_offering_termination_or_disownment(scenario):
    contract = _to_deadline(scenario)
    scenario.run(date(2026, 6, 11))

    result = withdraw(scenario, contract, received_on=date(2026, 6, 11))

    assert result.outcome == "too_late"
    assert scenario.contract(contract).state is ContractState.IRREVOCABLE
    with transaction(scenario.engine) as session:
        assert session.execute(select(Letter.kind).order_by(Letter.id.desc())).scalars().first() == "withdrawal_too_late"
        assert session.execute(select(Case.outcome)).scalar_one().value == "rejected"


def test_a_saturday_letter_counts_when_received_but_a_raccomandata_when_posted(scenario):
    contract = _to_deadline(scenario)
    scenario.run(date(2026, 6, 11), date(2026, 6, 13))

    late = withdraw(scenario, contract, received_on=date(2026, 6, 13), sent_on=date(2026, 6, 10), channel="letter")
    posted = withdraw(scenario, contract, received_on=date(2026, 6, 13), sent_on=date(2026, 6, 10),
                      channel="raccomandata")

    assert (late.outcome, late.counted_on) == ("too_late", date(2026, 6, 13))
    assert (posted.outcome, posted.counted_on) == ("in_time", date(2026, 6, 10))
    assert posted.return_on == date(2026, 8, 1)  # past the point of no return: returned via restoration
    assert messages(scenario, "restoration_request") == 2  # hub and previous supplier


def test_an_on_premises_contract_can_be_withdrawn_too(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 22), channel="shop")
    scenario.run(date(2026, 4, 23), date(2026, 5, 4))

    result = withdraw(scenario, contract, received_on=date(2026, 5, 4), channel="letter")

    assert result.outcome == "in_time"
    assert scenario.contract(contract).state is ContractState.WITHDRAWN
    assert messages(scenario, "switch_revocation") == 0  # the switch had not been sent yet


def test_early_execution_withdrawn_within_the_statutory_window_returns_via_restoration(scenario):
    # Signed Wednesday 1 April 2026 with early execution: filed at intake (2 April) for 1 May,
    # irrevocable after 10 April. 14 working days from 1 April (6 April Easter Monday) end on
    # 22 April: a withdrawal on 20 April is still in time.
    contract = scenario.add_contract(signed_on=date(2026, 4, 1), early_execution=True)
    scenario.run(date(2026, 4, 2), date(2026, 4, 20))
    assert scenario.contract(contract).state is ContractState.IRREVOCABLE

    result = withdraw(scenario, contract, received_on=date(2026, 4, 20))

    assert result.outcome == "in_time"
    assert result.return_on == date(2026, 6, 1)
    ended = scenario.contract(contract)
    assert (ended.state, ended.ended_on) == (ContractState.WITHDRAWN, date(2026, 6, 1))


def test_recording_the_same_withdrawal_twice_changes_nothing(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 22))
    scenario.run(date(2026, 4, 23), date(2026, 4, 24))
    first = withdraw(scenario, contract, received_on=date(2026, 4, 24))
    again = withdraw(scenario, contract, received_on=date(2026, 4, 24))
    assert again.already_recorded and again.case_reference == first.case_reference
    with transaction(scenario.engine) as session:
        assert session.execute(select(func.count()).select_from(Case)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(Letter)).scalar_one() == 2


def test_an_incomplete_request_is_kept_and_decided_once_completed(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 22))
    scenario.run(date(2026, 4, 23), date(2026, 4, 24))
    first = withdraw(scenario, contract, received_on=date(2026, 4, 24), missing=("phone",))
    assert first.outcome == "incomplete"
    assert scenario.contract(contract).state is ContractState.COOLING_OFF

    completed = withdraw(scenario, contract, received_on=date(2026, 4, 24), as_of=date(2026, 4, 27))

    assert completed.outcome == "in_time" and completed.case_reference == first.case_reference
    assert scenario.contract(contract).state is ContractState.WITHDRAWN


def test_rerunning_days_writes_no_second_letter_and_queues_no_second_message(scenario):
    scenario.add_contract(signed_on=date(2026, 3, 9), early_execution=True)
    scenario.add_contract(signed_on=date(2026, 3, 9))
    scenario.run(date(2026, 3, 10), date(2026, 4, 2))
    with transaction(scenario.engine) as session:
        before = [session.execute(select(func.count()).select_from(m)).scalar_one() for m in (Letter, OutboxMessage)]

    for summaries in scenario.run(date(2026, 3, 10), date(2026, 4, 2)):
        assert sum(s.changed + s.letters + s.messages for s in summaries) == 0

    with transaction(scenario.engine) as session:
        after = [session.execute(select(func.count()).select_from(m)).scalar_one() for m in (Letter, OutboxMessage)]
    assert before == after == [2, 2]


def test_the_confirmation_pdf_states_the_customer_supply_point_deadline_and_prices_in_italian(scenario):
    import re

    from pypdf import PdfReader

    from db.models import Customer, SupplyPoint

    contract = scenario.add_contract(signed_on=date(2026, 4, 22))
    scenario.run(date(2026, 4, 23))
    with transaction(scenario.engine) as session:
        letter = session.execute(select(Letter).where(Letter.kind == "confirmation")).scalar_one()
        row = scenario.contract(contract)
        customer = session.get(Customer, row.customer_id)
        point = session.get(SupplyPoint, row.supply_point_id)

    text = " ".join(page.extract_text() for page in PdfReader(letter.path).pages)
    flat = re.sub(r"\s+", " ", text)

    assert f"{customer.first_name} {customer.last_name}" in flat
    assert point.code in flat
    assert "10 giugno 2026" in flat  # the withdrawal deadline, extended to the point of no return
    assert "1 luglio 2026" in flat  # the planned switch date
    assert re.search(r"\d,\d{2,6} €/(kWh|Smc)", flat), flat  # unit price, Italian decimal comma
    assert re.search(r"\d+,\d{2} €/mese", flat), flat
    import hashlib

    assert hashlib.sha256(open(letter.path, "rb").read()).hexdigest() == letter.sha256
