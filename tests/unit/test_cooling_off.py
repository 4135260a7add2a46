"""The right of withdrawal (rulebook §2.3, §9), with dates chosen so that the rules bite.

Every expected date is counted by hand in the comments: "(n)" marks the n-th day counted.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol.calendar import WorkingCalendar
from protocol.codes import Channel, ContractState, CustomerKind, RequestChannel
from protocol.cooling_off import (
    ImpossibleDates,
    UnknownRequestField,
    WithdrawalContract,
    WithdrawalDecision,
    WithdrawalOutcome,
    WithdrawalRequest,
    WithdrawalWindow,
    accepted_channels,
    counted_on,
    decide_withdrawal,
    statutory_window_end,
    withdrawal_deadline,
)
from protocol.lifecycle import TERMINAL_STATES
from protocol.ruleset import DayKind, RequestField, WithdrawalChannel, load_rule_set
from protocol.switching import point_of_no_return

D = dt.date
RULES = load_rule_set()
COOLING = RULES.cooling_off
SWITCHING = RULES.switching
ITALY = WorkingCalendar()
NO_ROLL = WorkingCalendar(roll_calendar_deadlines=False)
CALENDAR_DAYS = dataclasses.replace(COOLING, day_kind=DayKind.CALENDAR)
NO_EXTENSION = dataclasses.replace(COOLING, extend_to_point_of_no_return=False)
SHOP_NOT_COVERED = dataclasses.replace(COOLING, on_premises_covered=False)
Outcome = WithdrawalOutcome

# A door-to-door contract signed Wednesday 22 April 2026, normal execution.
# Statutory end Wed 13 May (see the 2026 window test); switch filed the next working day,
# Thu 14 May (after the 10th) => switch 1 July 2026, point of no return Wed 10 June 2026.
SIGNED_2026 = D(2026, 4, 22)
WAITING = WithdrawalContract(
    signed_on=SIGNED_2026, channel=Channel.DOOR_TO_DOOR, early_execution=False,
    state=ContractState.COOLING_OFF, switch_requested=False,
    point_of_no_return=D(2026, 6, 10), switch_date=D(2026, 7, 1),
)
FILED = dataclasses.replace(WAITING, state=ContractState.SWITCH_REQUESTED, switch_requested=True)

# Early execution: signed Wed 4 March 2026, intake Thu 5 March, switch filed that day
# (by the 10th) => switch 1 April 2026, point of no return Tue 10 March 2026.
# Statutory end: Mar 5(1) 6(2) 9(3) 10(4) 11(5) 12(6) 13(7) 16(8) 17(9) 18(10) 19(11)
# 20(12) 23(13) 24(14) => Tue 24 March 2026.
EARLY = WithdrawalContract(
    signed_on=D(2026, 3, 4), channel=Channel.PHONE, early_execution=True,
    state=ContractState.SWITCH_REQUESTED, switch_requested=True,
    point_of_no_return=D(2026, 3, 10), switch_date=D(2026, 4, 1),
)


def request(
    received_on: dt.date,
    *,
    sent_on: dt.date | None = None,
    channel: RequestChannel = RequestChannel.EMAIL,
    kind: CustomerKind = CustomerKind.DOMESTIC,
    missing: frozenset[str] = frozenset(),
) -> WithdrawalRequest:
    return WithdrawalRequest(
        sent_on=sent_on, received_on=received_on, channel=channel, customer_kind=kind, missing_fields=missing
    )


def decide(req: WithdrawalRequest, contract: WithdrawalContract, rules=RULES, **kwargs) -> WithdrawalDecision:
    return decide_withdrawal(request=req, contract=contract, rules=rules, calendar=ITALY, **kwargs)


# -- the statutory window --------------------------------------------------------------------


def test_a_2025_window_across_liberation_day_and_labour_day_skips_both() -> None:
    # Signed Tue 22 April 2025 (Easter Monday, 21 April, already behind). Fri 25 April and
    # Thu 1 May are holidays: Apr 23(1) 24(2) 28(3) 29(4) 30(5) May 2(6) 5(7) 6(8) 7(9) 8(10)
    # 9(11) 12(12) 13(13) 14(14) => Wed 14 May 2025.
    assert D(2025, 4, 25).weekday() == 4 and D(2025, 5, 1).weekday() == 3
    assert statutory_window_end(signed_on=D(2025, 4, 22), rules=COOLING, calendar=ITALY) == D(2025, 5, 14)


def test_a_2026_window_loses_only_labour_day_since_liberation_day_is_a_saturday() -> None:
    # Signed Wed 22 April 2026. 25 April is a Saturday anyway; Fri 1 May is a holiday:
    # Apr 23(1) 24(2) 27(3) 28(4) 29(5) 30(6) May 4(7) 5(8) 6(9) 7(10) 8(11) 11(12) 12(13)
    # 13(14) => Wed 13 May 2026.
    assert D(2026, 4, 25).weekday() == 5 and D(2026, 5, 1).weekday() == 4
    assert statutory_window_end(signed_on=SIGNED_2026, rules=COOLING, calendar=ITALY) == D(2026, 5, 13)


def test_a_calendar_day_window_counts_holidays_like_any_other_day() -> None:
    # 22 April + 14 calendar days = Wed 6 May 2026 (a working day, nothing to roll); 2025: Tue 6 May.
    assert statutory_window_end(signed_on=SIGNED_2026, rules=CALENDAR_DAYS, calendar=ITALY) == D(2026, 5, 6)
    assert statutory_window_end(signed_on=D(2025, 4, 22), rules=CALENDAR_DAYS, calendar=ITALY) == D(2025, 5, 6)


def test_a_calendar_day_window_ending_on_labour_day_rolls_to_the_next_working_day() -> None:
    # Fri 17 April 2026 + 14 = Fri 1 May (holiday) -> Sat, Sun -> Mon 4 May.
    assert statutory_window_end(signed_on=D(2026, 4, 17), rules=CALENDAR_DAYS, calendar=ITALY) == D(2026, 5, 4)
    assert statutory_window_end(signed_on=D(2026, 4, 17), rules=CALENDAR_DAYS, calendar=NO_ROLL) == D(2026, 5, 1)


def test_a_calendar_day_window_ending_on_liberation_day_2026_rolls_past_the_weekend() -> None:
    # Sat 11 April 2026 + 14 = Sat 25 April (holiday and Saturday) -> Mon 27 April.
    assert statutory_window_end(signed_on=D(2026, 4, 11), rules=CALENDAR_DAYS, calendar=ITALY) == D(2026, 4, 27)


def test_the_whole_rule_set_can_be_passed_instead_of_its_section() -> None:
    assert statutory_window_end(signed_on=SIGNED_2026, rules=RULES, calendar=ITALY) == D(2026, 5, 13)


# -- the deadline ----------------------------------------------------------------------------


def test_the_deadline_extends_to_a_later_point_of_no_return() -> None:
    window = withdrawal_deadline(
        signed_on=SIGNED_2026, channel=Channel.DOOR_TO_DOOR, point_of_no_return=D(2026, 6, 10),
        rules=COOLING, calendar=ITALY,
    )
    assert window == WithdrawalWindow(
        statutory_end=D(2026, 5, 13), deadline=D(2026, 6, 10), extended_to_point_of_no_return=True,
        covered=True, point_of_no_return=D(2026, 6, 10),
    )


def test_the_deadline_stays_at_the_statutory_end_when_the_extension_is_off() -> None:
    window = withdrawal_deadline(
        signed_on=SIGNED_2026, channel=Channel.DOOR_TO_DOOR, point_of_no_return=D(2026, 6, 10),
        rules=NO_EXTENSION, calendar=ITALY,
    )
    assert (window.deadline, window.extended_to_point_of_no_return) == (D(2026, 5, 13), False)


def test_an_earlier_point_of_no_return_does_not_shorten_the_statutory_window() -> None:
    window = withdrawal_deadline(
        signed_on=D(2026, 3, 4), channel=Channel.PHONE, point_of_no_return=D(2026, 3, 10),
        rules=COOLING, calendar=ITALY,
    )
    assert (window.deadline, window.extended_to_point_of_no_return) == (D(2026, 3, 24), False)


def test_without_a_point_of_no_return_the_deadline_is_the_statutory_end() -> None:
    window = withdrawal_deadline(
        signed_on=SIGNED_2026, channel=Channel.WEB, point_of_no_return=None, rules=COOLING, calendar=ITALY
    )
    assert window.deadline == window.statutory_end == D(2026, 5, 13)


def test_a_shop_contract_is_covered_only_when_the_rules_extend_the_right_to_it() -> None:
    kwargs = dict(signed_on=SIGNED_2026, channel=Channel.SHOP, point_of_no_return=None, calendar=ITALY)
    assert withdrawal_deadline(rules=COOLING, **kwargs).covered
    assert not withdrawal_deadline(rules=SHOP_NOT_COVERED, **kwargs).covered
    assert withdrawal_deadline(rules=SHOP_NOT_COVERED, **{**kwargs, "channel": Channel.STAND}).covered


# -- the date that counts --------------------------------------------------------------------


def test_a_letter_received_on_saturday_counts_from_saturday_whatever_its_sending_date() -> None:
    assert counted_on(sent_on=D(2026, 5, 15), received_on=D(2026, 5, 16), channel=RequestChannel.LETTER) == D(2026, 5, 16)


@pytest.mark.parametrize("channel", [RequestChannel.RACCOMANDATA, RequestChannel.EMAIL, RequestChannel.FAX])
def test_a_channel_that_proves_the_sending_date_counts_from_it(channel: RequestChannel) -> None:
    assert counted_on(sent_on=D(2026, 5, 15), received_on=D(2026, 5, 18), channel=channel) == D(2026, 5, 15)


def test_an_unknown_sending_date_counts_from_receipt() -> None:
    assert counted_on(sent_on=None, received_on=D(2026, 5, 18), channel=RequestChannel.RACCOMANDATA) == D(2026, 5, 18)


def test_a_request_sent_after_it_was_received_is_impossible() -> None:
    with pytest.raises(ImpossibleDates, match="sent on 2026-05-19, after it was received on 2026-05-18"):
        counted_on(sent_on=D(2026, 5, 19), received_on=D(2026, 5, 18), channel=RequestChannel.LETTER)


# -- decisions: the last day -----------------------------------------------------------------


def test_a_withdrawal_on_the_point_of_no_return_is_in_time_and_revokes_nothing_yet_filed() -> None:
    decision = decide(request(D(2026, 6, 10)), WAITING)
    assert decision.outcome is Outcome.IN_TIME
    assert decision.window.deadline == D(2026, 6, 10)
    assert (decision.revoke_switch, decision.return_via_restoration) == (False, False)
    assert decision.new_state is ContractState.WITHDRAWN


def test_a_withdrawal_the_day_after_the_point_of_no_return_is_too_late() -> None:
    decision = decide(request(D(2026, 6, 11)), WAITING)
    assert decision.outcome is Outcome.TOO_LATE
    assert decision.new_state is None
    assert "2026-06-11" in decision.reason and "2026-06-10" in decision.reason
    assert "termination (recesso)" in decision.reason and "disownment" in decision.reason


def test_without_the_extension_the_last_day_is_the_statutory_end() -> None:
    assert decide(request(D(2026, 5, 13)), WAITING, rules=NO_EXTENSION).outcome is Outcome.IN_TIME
    assert decide(request(D(2026, 5, 14)), WAITING, rules=NO_EXTENSION).outcome is Outcome.TOO_LATE


def test_a_contract_without_a_known_point_of_no_return_gets_the_planned_one() -> None:
    unplanned = dataclasses.replace(WAITING, point_of_no_return=None, switch_date=None)
    decision = decide(request(D(2026, 6, 10)), unplanned)
    assert decision.window.point_of_no_return == D(2026, 6, 10)
    assert decision.outcome is Outcome.IN_TIME
    assert decide(request(D(2026, 6, 11)), unplanned).outcome is Outcome.TOO_LATE


def test_a_contract_with_only_a_switch_date_gets_that_switch_s_point_of_no_return() -> None:
    decision = decide(request(D(2026, 6, 1)), dataclasses.replace(FILED, point_of_no_return=None))
    assert decision.window.point_of_no_return == D(2026, 6, 10)


# -- decisions: extension to the point of no return ------------------------------------------


def test_after_the_statutory_window_but_before_the_point_of_no_return_the_switch_is_revoked() -> None:
    decision = decide(request(D(2026, 6, 1)), FILED)
    assert decision.outcome is Outcome.IN_TIME
    assert decision.window.extended_to_point_of_no_return
    assert decision.revoke_switch and not decision.return_via_restoration
    assert "switch request is revoked" in decision.reason


def test_a_raccomandata_posted_on_the_point_of_no_return_and_received_after_returns_the_supply() -> None:
    # Posted Wed 10 June (the PNR), received Fri 12 June: in time, but the switch can no
    # longer be revoked when the letter arrives.
    late_arrival = request(D(2026, 6, 12), sent_on=D(2026, 6, 10), channel=RequestChannel.RACCOMANDATA)
    decision = decide(late_arrival, FILED)
    assert decision.outcome is Outcome.IN_TIME and decision.counted_on_sending_date
    assert not decision.revoke_switch and decision.return_via_restoration


def test_a_decision_taken_after_the_point_of_no_return_cannot_revoke_the_switch() -> None:
    decision = decide(request(D(2026, 6, 1)), FILED, as_of=D(2026, 6, 11))
    assert decision.outcome is Outcome.IN_TIME
    assert decision.return_via_restoration and not decision.revoke_switch


def test_a_decision_before_the_receipt_is_impossible() -> None:
    with pytest.raises(ImpossibleDates):
        decide(request(D(2026, 6, 1)), FILED, as_of=D(2026, 5, 31))


def test_when_switches_cannot_be_revoked_an_in_time_withdrawal_returns_the_supply() -> None:
    rules = dataclasses.replace(RULES, switching=dataclasses.replace(SWITCHING, revocable_until_point_of_no_return=False))
    decision = decide(request(D(2026, 6, 1)), FILED, rules=rules)
    assert decision.outcome is Outcome.IN_TIME and decision.return_via_restoration


# -- decisions: early execution (§9) ---------------------------------------------------------


def test_early_execution_withdrawn_before_the_point_of_no_return_revokes_the_switch() -> None:
    decision = decide(request(D(2026, 3, 9)), EARLY)
    assert decision.outcome is Outcome.IN_TIME
    assert decision.revoke_switch and not decision.return_via_restoration


def test_early_execution_withdrawn_in_the_statutory_window_after_the_point_of_no_return_goes_back_by_restoration() -> None:
    irrevocable = dataclasses.replace(EARLY, state=ContractState.IRREVOCABLE)
    decision = decide(request(D(2026, 3, 20)), irrevocable)
    assert decision.outcome is Outcome.IN_TIME
    assert decision.window.deadline == D(2026, 3, 24) and not decision.window.extended_to_point_of_no_return
    assert decision.return_via_restoration and not decision.revoke_switch
    assert decision.new_state is ContractState.WITHDRAWN
    assert "restoration channel" in decision.reason and "energy actually supplied" in decision.reason


def test_early_execution_on_the_last_statutory_day_after_activation_still_goes_back_by_restoration() -> None:
    # Postmarked on Tue 24 March, received after the switch date of 1 April: the contract is active.
    active = dataclasses.replace(EARLY, state=ContractState.ACTIVE)
    late = request(D(2026, 4, 2), sent_on=D(2026, 3, 24), channel=RequestChannel.RACCOMANDATA)
    decision = decide(late, active)
    assert decision.outcome is Outcome.IN_TIME and decision.return_via_restoration


def test_early_execution_withdrawn_after_the_statutory_window_and_the_point_of_no_return_is_too_late() -> None:
    irrevocable = dataclasses.replace(EARLY, state=ContractState.IRREVOCABLE)
    decision = decide(request(D(2026, 3, 25)), irrevocable)
    assert decision.outcome is Outcome.TOO_LATE
    assert not decision.return_via_restoration and not decision.revoke_switch


# -- decisions: which date counts ------------------------------------------------------------


# Signed Fri 24 April 2026: Apr 27(1) 28(2) 29(3) 30(4) May 4(5) 5(6) 6(7) 7(8) 8(9) 11(10)
# 12(11) 13(12) 14(13) 15(14) => statutory end Fri 15 May 2026. Extension off, so that
# Friday is the deadline.
FRIDAY_DEADLINE = dataclasses.replace(WAITING, signed_on=D(2026, 4, 24), point_of_no_return=None, switch_date=None)


def test_a_simple_letter_received_on_the_saturday_after_the_deadline_is_too_late() -> None:
    letter = request(D(2026, 5, 16), sent_on=D(2026, 5, 15), channel=RequestChannel.LETTER)
    decision = decide(letter, FRIDAY_DEADLINE, rules=NO_EXTENSION)
    assert decision.window.deadline == D(2026, 5, 15)
    assert decision.counted_on == D(2026, 5, 16) and not decision.counted_on_sending_date
    assert decision.outcome is Outcome.TOO_LATE
    assert "received on 2026-05-16" in decision.reason


def test_a_raccomandata_posted_on_friday_and_received_on_monday_after_the_deadline_is_in_time() -> None:
    raccomandata = request(D(2026, 5, 18), sent_on=D(2026, 5, 15), channel=RequestChannel.RACCOMANDATA)
    decision = decide(raccomandata, FRIDAY_DEADLINE, rules=NO_EXTENSION)
    assert decision.counted_on == D(2026, 5, 15) and decision.counted_on_sending_date
    assert decision.outcome is Outcome.IN_TIME
    assert "sent on 2026-05-15" in decision.reason


def test_with_the_extension_the_saturday_letter_is_in_time_until_the_planned_point_of_no_return() -> None:
    # Planned: filed Mon 18 May => switch 1 July, point of no return 10 June.
    letter = request(D(2026, 5, 16), sent_on=D(2026, 5, 15), channel=RequestChannel.LETTER)
    decision = decide(letter, FRIDAY_DEADLINE)
    assert decision.window.deadline == D(2026, 6, 10)
    assert decision.outcome is Outcome.IN_TIME and not decision.revoke_switch


def test_a_request_received_before_the_signature_is_impossible() -> None:
    with pytest.raises(ImpossibleDates):
        decide(request(D(2026, 4, 21)), WAITING)


# -- decisions: channel, completeness, coverage, state ---------------------------------------


def test_an_e_mail_from_a_business_is_not_an_accepted_channel() -> None:
    decision = decide(request(D(2026, 5, 4), kind=CustomerKind.BUSINESS), WAITING)
    assert decision.outcome is Outcome.CHANNEL_NOT_ACCEPTED
    assert decision.reason == "A withdrawal by email is not accepted from a business customer; accepted: raccomandata."


def test_a_raccomandata_from_a_small_business_is_accepted() -> None:
    req = request(D(2026, 5, 4), channel=RequestChannel.RACCOMANDATA, kind=CustomerKind.SMALL_BUSINESS)
    assert decide(req, WAITING).outcome is Outcome.IN_TIME


@pytest.mark.parametrize("channel", [RequestChannel.PHONE, RequestChannel.BRANCH, RequestChannel.SPORTELLO])
def test_a_withdrawal_by_a_channel_outside_the_rules_is_not_accepted_even_from_a_household(
    channel: RequestChannel,
) -> None:
    assert decide(request(D(2026, 5, 4), channel=channel), WAITING).outcome is Outcome.CHANNEL_NOT_ACCEPTED


def test_domestic_customers_may_use_every_listed_channel_and_others_raccomandata_only() -> None:
    assert accepted_channels(customer_kind=CustomerKind.DOMESTIC, rules=RULES) == set(WithdrawalChannel)
    for kind in set(CustomerKind) - {CustomerKind.DOMESTIC}:
        assert accepted_channels(customer_kind=kind, rules=RULES) == {WithdrawalChannel.RACCOMANDATA}


def test_a_request_lacking_required_fields_is_kept_as_incomplete() -> None:
    decision = decide(request(D(2026, 5, 4), missing=frozenset({"phone", "supply_point"})), WAITING)
    assert decision.outcome is Outcome.INCOMPLETE
    assert decision.missing_fields == {RequestField.PHONE, RequestField.SUPPLY_POINT}
    assert decision.new_state is None
    assert "phone, supply point" in decision.reason


def test_incompleteness_is_checked_before_the_channel() -> None:
    req = request(D(2026, 5, 4), kind=CustomerKind.BUSINESS, missing=frozenset({"name"}))
    assert decide(req, WAITING).outcome is Outcome.INCOMPLETE


def test_a_missing_field_the_rules_do_not_require_is_ignored() -> None:
    rules = dataclasses.replace(COOLING, required_request_fields=frozenset({RequestField.NAME}))
    decision = decide(request(D(2026, 5, 4), missing=frozenset({"phone"})), WAITING, rules=rules)
    assert decision.outcome is Outcome.IN_TIME and decision.missing_fields == frozenset()


def test_an_unknown_missing_field_name_is_refused() -> None:
    with pytest.raises(UnknownRequestField, match="pod"):
        decide(request(D(2026, 5, 4), missing=frozenset({"pod"})), WAITING)


def test_a_shop_contract_is_withdrawable_when_covered() -> None:
    shop = dataclasses.replace(WAITING, channel=Channel.SHOP)
    assert decide(request(D(2026, 5, 4)), shop).outcome is Outcome.IN_TIME


def test_a_shop_contract_is_not_covered_when_the_rules_leave_it_out() -> None:
    shop = dataclasses.replace(WAITING, channel=Channel.SHOP)
    decision = decide(request(D(2026, 5, 4)), shop, rules=SHOP_NOT_COVERED)
    assert decision.outcome is Outcome.NOT_COVERED
    assert "premises" in decision.reason


def test_a_shop_contract_with_and_without_the_extension_to_the_point_of_no_return() -> None:
    shop = dataclasses.replace(WAITING, channel=Channel.SHOP)
    assert decide(request(D(2026, 6, 1)), shop).outcome is Outcome.IN_TIME
    assert decide(request(D(2026, 6, 1)), shop, rules=NO_EXTENSION).outcome is Outcome.TOO_LATE


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES))
def test_a_contract_that_has_ended_cannot_be_withdrawn(state: ContractState) -> None:
    decision = decide(request(D(2026, 5, 4)), dataclasses.replace(WAITING, state=state))
    assert decision.outcome is Outcome.NOT_WITHDRAWABLE
    assert f"'{state}'" in decision.reason


def test_the_ended_contract_check_comes_before_completeness() -> None:
    ended = dataclasses.replace(WAITING, state=ContractState.CANCELLED)
    assert decide(request(D(2026, 5, 4), missing=frozenset({"name"})), ended).outcome is Outcome.NOT_WITHDRAWABLE


def test_a_record_rejected_at_intake_can_still_be_withdrawn_so_no_correction_revives_it() -> None:
    rejected = dataclasses.replace(WAITING, state=ContractState.REJECTED_AT_INTAKE)
    assert decide(request(D(2026, 4, 23)), rejected).outcome is Outcome.IN_TIME


def test_a_withdrawal_on_the_day_of_signature_is_in_time() -> None:
    received = dataclasses.replace(WAITING, state=ContractState.RECEIVED)
    assert decide(request(SIGNED_2026), received).outcome is Outcome.IN_TIME


# -- properties ------------------------------------------------------------------------------

signatures = st.dates(min_value=D(2020, 1, 1), max_value=D(2039, 12, 31))
cooling_rules = st.builds(
    lambda kind, extend, shop: dataclasses.replace(
        COOLING, day_kind=kind, extend_to_point_of_no_return=extend, on_premises_covered=shop
    ),
    st.sampled_from(list(DayKind)), st.booleans(), st.booleans(),
)


@given(signatures, st.one_of(st.none(), st.integers(min_value=-30, max_value=120)), st.sampled_from(list(Channel)),
       cooling_rules)
def test_the_withdrawal_deadline_is_never_before_the_statutory_end(
    signed_on: dt.date, pnr_offset: int | None, channel: Channel, rules
) -> None:
    pnr = None if pnr_offset is None else signed_on + dt.timedelta(days=pnr_offset)
    window = withdrawal_deadline(signed_on=signed_on, channel=channel, point_of_no_return=pnr, rules=rules, calendar=ITALY)
    assert window.deadline >= window.statutory_end > signed_on
    assert window.extended_to_point_of_no_return == (window.deadline != window.statutory_end)
    if window.extended_to_point_of_no_return:
        assert window.deadline == pnr


@st.composite
def contracts(draw) -> WithdrawalContract:
    signed_on = draw(signatures)
    early = draw(st.booleans())
    state = draw(st.sampled_from([
        ContractState.CONFIRMED, ContractState.COOLING_OFF, ContractState.SWITCH_REQUESTED,
        ContractState.IRREVOCABLE, ContractState.ACTIVE,
    ]))
    planned = draw(st.booleans())
    filed = state in (ContractState.SWITCH_REQUESTED, ContractState.IRREVOCABLE, ContractState.ACTIVE)
    switch_date = None
    pnr = None
    if planned or filed:
        months = draw(st.integers(min_value=1, max_value=3))
        index = signed_on.year * 12 + signed_on.month - 1 + months
        switch_date = D(index // 12, index % 12 + 1, 1)
        pnr = point_of_no_return(switch_date=switch_date, rules=SWITCHING)
    return WithdrawalContract(
        signed_on=signed_on, channel=draw(st.sampled_from(list(Channel))), early_execution=early, state=state,
        switch_requested=filed, point_of_no_return=pnr, switch_date=switch_date,
    )


@given(contracts(), st.integers(min_value=0, max_value=120), st.data())
def test_being_in_time_is_monotone_every_earlier_day_after_signature_is_in_time_too(
    contract: WithdrawalContract, offset: int, data: st.DataObject
) -> None:
    later = decide(request(contract.signed_on + dt.timedelta(days=offset)), contract)
    earlier_offset = data.draw(st.integers(min_value=0, max_value=offset))
    earlier = decide(request(contract.signed_on + dt.timedelta(days=earlier_offset)), contract)
    if later.outcome is Outcome.IN_TIME:
        assert earlier.outcome is Outcome.IN_TIME
    if earlier.outcome is Outcome.TOO_LATE:
        assert later.outcome is Outcome.TOO_LATE


@given(contracts(), st.integers(min_value=0, max_value=120), st.sampled_from(list(RequestChannel)),
       st.sampled_from(list(CustomerKind)))
def test_a_decision_never_both_revokes_and_restores_and_only_withdraws_in_time(
    contract: WithdrawalContract, offset: int, channel: RequestChannel, kind: CustomerKind
) -> None:
    decision = decide(request(contract.signed_on + dt.timedelta(days=offset), channel=channel, kind=kind), contract)
    assert not (decision.revoke_switch and decision.return_via_restoration)
    if decision.outcome is not Outcome.IN_TIME:
        assert not decision.revoke_switch and not decision.return_via_restoration and decision.new_state is None
    else:
        assert decision.counted_on <= decision.window.deadline
        assert decision.new_state is ContractState.WITHDRAWN
        filed = contract.switch_requested
        assert decision.revoke_switch or decision.return_via_restoration or not filed
        if contract.state in (ContractState.IRREVOCABLE, ContractState.ACTIVE):
            assert decision.return_via_restoration
    assert decision.window.deadline >= decision.window.statutory_end
