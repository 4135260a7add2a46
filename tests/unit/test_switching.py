"""Switching dates (rulebook §2.4): cut-off day, year rollover, point of no return, filing day."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol.calendar import WorkingCalendar
from protocol.errors import SentinellaError
from protocol.ruleset import load_rule_set
from protocol.switching import (
    ImpossibleDates,
    NotASwitchDate,
    SwitchPlan,
    is_revocable,
    plan_switch,
    point_of_no_return,
    switch_date_for,
    switch_send_on,
)

D = dt.date
RULES = load_rule_set()
SWITCHING = RULES.switching
ITALY = WorkingCalendar()
days = st.dates(min_value=D(2020, 1, 1), max_value=D(2040, 12, 31))


# -- switch date -----------------------------------------------------------------------------


def test_a_request_filed_on_the_tenth_switches_on_the_first_of_next_month() -> None:
    assert switch_date_for(filed_on=D(2026, 3, 10), rules=SWITCHING) == D(2026, 4, 1)


def test_a_request_filed_on_the_eleventh_switches_a_month_later() -> None:
    assert switch_date_for(filed_on=D(2026, 3, 11), rules=SWITCHING) == D(2026, 5, 1)


def test_a_request_filed_on_the_first_switches_on_the_first_of_next_month() -> None:
    assert switch_date_for(filed_on=D(2026, 3, 1), rules=SWITCHING) == D(2026, 4, 1)


def test_a_request_filed_on_the_tenth_of_december_switches_on_new_years_day() -> None:
    assert switch_date_for(filed_on=D(2026, 12, 10), rules=SWITCHING) == D(2027, 1, 1)


def test_a_request_filed_on_new_years_eve_switches_on_the_first_of_february() -> None:
    assert switch_date_for(filed_on=D(2026, 12, 31), rules=SWITCHING) == D(2027, 2, 1)


def test_a_request_filed_late_in_november_switches_in_january() -> None:
    assert switch_date_for(filed_on=D(2026, 11, 11), rules=SWITCHING) == D(2027, 1, 1)


def test_a_request_filed_on_a_leap_day_switches_on_the_first_of_april() -> None:
    assert switch_date_for(filed_on=D(2028, 2, 29), rules=SWITCHING) == D(2028, 4, 1)


def test_the_cutoff_and_switch_day_come_from_the_rules() -> None:
    rules = dataclasses.replace(SWITCHING, cutoff_day_of_month=20, switch_day_of_month=15)
    assert switch_date_for(filed_on=D(2026, 3, 20), rules=rules) == D(2026, 4, 15)
    assert switch_date_for(filed_on=D(2026, 3, 21), rules=rules) == D(2026, 5, 15)
    assert point_of_no_return(switch_date=D(2026, 5, 15), rules=rules) == D(2026, 4, 20)


# -- point of no return ----------------------------------------------------------------------


def test_the_point_of_no_return_of_a_switch_on_the_first_of_march_in_a_leap_year_is_the_tenth_of_february() -> None:
    # 2028 is a leap year: February has 29 days, but the cut-off day stays the 10th.
    assert point_of_no_return(switch_date=D(2028, 3, 1), rules=SWITCHING) == D(2028, 2, 10)


def test_the_point_of_no_return_of_a_january_switch_is_in_december_of_the_year_before() -> None:
    assert point_of_no_return(switch_date=D(2027, 1, 1), rules=SWITCHING) == D(2026, 12, 10)


def test_the_point_of_no_return_is_not_moved_off_a_sunday() -> None:
    assert D(2026, 5, 10).weekday() == 6  # a Sunday
    assert point_of_no_return(switch_date=D(2026, 6, 1), rules=SWITCHING) == D(2026, 5, 10)


def test_a_day_that_is_not_a_switch_day_has_no_point_of_no_return() -> None:
    with pytest.raises(NotASwitchDate, match="2026-06-02 is not a switch date"):
        point_of_no_return(switch_date=D(2026, 6, 2), rules=SWITCHING)
    assert issubclass(NotASwitchDate, SentinellaError)


def test_a_switch_is_revocable_on_the_point_of_no_return_and_not_the_day_after() -> None:
    pnr = D(2026, 4, 10)
    assert is_revocable(point_of_no_return=pnr, on=D(2026, 3, 31), rules=SWITCHING)
    assert is_revocable(point_of_no_return=pnr, on=pnr, rules=SWITCHING)
    assert not is_revocable(point_of_no_return=pnr, on=D(2026, 4, 11), rules=SWITCHING)


def test_without_revocation_a_filed_switch_is_never_revocable() -> None:
    rules = dataclasses.replace(SWITCHING, revocable_until_point_of_no_return=False)
    assert not is_revocable(point_of_no_return=D(2026, 4, 10), on=D(2026, 3, 31), rules=rules)


# -- filing day ------------------------------------------------------------------------------


def test_without_early_execution_the_switch_is_filed_the_working_day_after_the_statutory_window() -> None:
    # Window ends Friday 2026-05-15: the next working day is Monday 2026-05-18.
    send_on = switch_send_on(
        signed_on=D(2026, 4, 24), early_execution=False, intake_on=D(2026, 4, 27),
        statutory_window_end=D(2026, 5, 15), calendar=ITALY, rules=SWITCHING,
    )
    assert send_on == D(2026, 5, 18)


def test_a_window_ending_before_the_first_of_may_files_on_the_fourth() -> None:
    # Signed Friday 10 April: 14 working days end Thursday 2026-04-30 (13-17, 20-24, 27-30;
    # 25 April is a Saturday). 1 May (Friday) is a holiday, then the weekend.
    send_on = switch_send_on(
        signed_on=D(2026, 4, 10), early_execution=False, intake_on=D(2026, 4, 13),
        statutory_window_end=D(2026, 4, 30), calendar=ITALY, rules=SWITCHING,
    )
    assert send_on == D(2026, 5, 4)


def test_with_early_execution_the_switch_is_filed_on_the_intake_day() -> None:
    send_on = switch_send_on(
        signed_on=D(2026, 4, 24), early_execution=True, intake_on=D(2026, 4, 27),
        statutory_window_end=D(2026, 5, 15), calendar=ITALY, rules=SWITCHING,
    )
    assert send_on == D(2026, 4, 27)


def test_when_the_rules_do_not_wait_the_switch_is_filed_on_the_intake_day() -> None:
    rules = dataclasses.replace(SWITCHING, wait_for_statutory_window=False)
    send_on = switch_send_on(
        signed_on=D(2026, 4, 24), early_execution=False, intake_on=D(2026, 4, 27),
        statutory_window_end=D(2026, 5, 15), calendar=ITALY, rules=rules,
    )
    assert send_on == D(2026, 4, 27)


def test_the_switch_is_never_filed_before_intake() -> None:
    send_on = switch_send_on(
        signed_on=D(2026, 4, 24), early_execution=False, intake_on=D(2026, 6, 1),
        statutory_window_end=D(2026, 5, 15), calendar=ITALY, rules=SWITCHING,
    )
    assert send_on == D(2026, 6, 1)


def test_an_intake_before_the_signature_is_impossible() -> None:
    with pytest.raises(ImpossibleDates):
        switch_send_on(
            signed_on=D(2026, 4, 24), early_execution=True, intake_on=D(2026, 4, 23),
            statutory_window_end=D(2026, 5, 15), calendar=ITALY, rules=SWITCHING,
        )


def test_the_plan_of_a_contract_signed_on_the_twenty_fourth_of_april() -> None:
    # Filed Monday 18 May (after the 10th) => switch 1 July, point of no return 10 June.
    plan = plan_switch(
        signed_on=D(2026, 4, 24), early_execution=False, intake_on=D(2026, 4, 27),
        statutory_window_end=D(2026, 5, 15), calendar=ITALY, rules=SWITCHING,
    )
    assert plan == SwitchPlan(send_on=D(2026, 5, 18), switch_date=D(2026, 7, 1), point_of_no_return=D(2026, 6, 10))


# -- properties ------------------------------------------------------------------------------


@given(days)
def test_the_switch_date_is_a_first_of_the_month_strictly_after_filing_and_within_two_months(filed_on: dt.date) -> None:
    switch = switch_date_for(filed_on=filed_on, rules=SWITCHING)
    assert switch.day == 1
    assert filed_on < switch
    assert (switch - filed_on).days <= 62
    months_later = (switch.year * 12 + switch.month) - (filed_on.year * 12 + filed_on.month)
    assert months_later == (1 if filed_on.day <= 10 else 2)


@given(days)
def test_the_point_of_no_return_is_before_the_switch_in_the_month_before_and_not_before_filing(filed_on: dt.date) -> None:
    switch = switch_date_for(filed_on=filed_on, rules=SWITCHING)
    pnr = point_of_no_return(switch_date=switch, rules=SWITCHING)
    assert pnr < switch
    before = switch - dt.timedelta(days=1)
    assert (pnr.year, pnr.month) == (before.year, before.month)
    assert pnr.day == 10
    assert filed_on <= pnr  # a freshly filed switch is always revocable for a while


@given(days, st.booleans(), st.integers(min_value=0, max_value=40))
def test_the_filing_day_is_never_before_intake_nor_before_the_window_ends(
    signed_on: dt.date, early: bool, window_days: int
) -> None:
    intake = ITALY.next_working_day(signed_on)
    window_end = ITALY.add_working_days(signed_on, window_days)
    plan = plan_switch(
        signed_on=signed_on, early_execution=early, intake_on=intake,
        statutory_window_end=window_end, calendar=ITALY, rules=SWITCHING,
    )
    assert plan.send_on >= intake
    if not early:
        assert plan.send_on > window_end
        assert ITALY.is_working_day(plan.send_on)
    assert plan.send_on <= plan.point_of_no_return < plan.switch_date
