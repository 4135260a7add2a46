"""Working days and deadlines (rulebook §9), with dates chosen so that the rules bite."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.calendar import (
    LAST_YEAR,
    CalendarError,
    NegativeDaysError,
    OutOfCalendarRangeError,
    ReversedPeriodError,
    UnknownDayKindError,
    UnknownProvinceError,
    WorkingCalendar,
    calendar_from_rules,
)
from protocol.errors import SentinellaError
from protocol.ruleset import DayKind, load_rule_set

D = dt.date
ITALY = WorkingCalendar()
BOLOGNA = WorkingCalendar(province="BO")
MILANO = WorkingCalendar(province="MI")


def naive_add_working_days(start: dt.date, n: int) -> dt.date:
    """Reference implementation: step one day at a time against the `holidays` package."""
    national = holidays.country_holidays("IT", years=range(start.year, start.year + 3))
    day, counted = start, 0
    while counted < n:
        day += dt.timedelta(days=1)
        is_san_francesco = (day.month, day.day) == (10, 4) and day.year >= 2026
        if day.weekday() < 5 and day not in national and not is_san_francesco:
            counted += 1
    return day


# -- which days are working days ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "why"),
    [
        (D(2026, 1, 1), "Capodanno"),
        (D(2026, 1, 6), "Epifania"),
        (D(2026, 4, 6), "Lunedì dell'Angelo (Easter Monday)"),
        (D(2026, 5, 1), "Festa del Lavoro"),
        (D(2026, 6, 2), "Festa della Repubblica"),
        (D(2026, 12, 8), "Immacolata"),
        (D(2026, 12, 25), "Natale"),
        (D(2025, 12, 26), "Santo Stefano"),
        (D(2025, 4, 25), "Liberazione"),
        (D(2027, 10, 4), "San Francesco, a Monday in 2027"),
        (D(2028, 10, 4), "San Francesco, a Wednesday in 2028"),
        (D(2026, 5, 9), "a Saturday"),
        (D(2026, 5, 10), "a Sunday"),
    ],
)
def test_holidays_and_weekends_are_not_working_days(day: dt.date, why: str) -> None:
    assert not ITALY.is_working_day(day), why


def test_ordinary_weekdays_are_working_days() -> None:
    assert ITALY.is_working_day(D(2026, 4, 7))  # Tuesday after Easter Monday
    assert ITALY.is_working_day(D(2026, 12, 24))  # Christmas Eve is not a holiday
    assert ITALY.is_working_day(D(2028, 2, 29))  # leap day, a Tuesday


def test_san_francesco_was_a_working_day_before_2026() -> None:
    assert D(2024, 10, 4).weekday() == 4  # a Friday
    assert ITALY.is_working_day(D(2024, 10, 4))


def test_san_francesco_is_named_as_a_national_holiday_from_2026() -> None:
    assert "San Francesco" in (ITALY.holiday_name(D(2027, 10, 4)) or "")
    assert ITALY.holiday_name(D(2024, 10, 4)) is None


def test_holiday_names_are_in_italian() -> None:
    assert ITALY.holiday_name(D(2026, 4, 6)) == "Lunedì dell'Angelo"
    assert ITALY.holiday_name(D(2026, 4, 7)) is None


def test_bologna_closes_for_san_petronio_even_before_san_francesco_was_national() -> None:
    assert not BOLOGNA.is_working_day(D(2024, 10, 4))
    assert ITALY.is_working_day(D(2024, 10, 4))


def test_milan_closes_for_sant_ambrogio_and_the_rest_of_italy_does_not() -> None:
    assert D(2026, 12, 7).weekday() == 0
    assert not MILANO.is_working_day(D(2026, 12, 7))
    assert ITALY.is_working_day(D(2026, 12, 7))
    assert MILANO.add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 9)  # Mon 7 and Tue 8 closed
    assert ITALY.add_working_days(D(2026, 12, 4), 1) == D(2026, 12, 7)


def test_an_unknown_province_is_refused() -> None:
    with pytest.raises(UnknownProvinceError):
        WorkingCalendar(province="XX")


# -- adding and counting working days -------------------------------------------------------


def test_fourteen_working_days_across_easter_liberation_and_labour_day_2025() -> None:
    # Thu 17 Apr 2025; lost: 21 Apr (Easter Monday), 25 Apr (Fri), 1 May (Thu), and weekends.
    assert ITALY.add_working_days(D(2025, 4, 17), 14) == D(2025, 5, 12)


def test_fourteen_working_days_across_25_april_and_1_may_2026() -> None:
    # Mon 20 Apr 2026: 25 April is a Saturday this year (no day lost), 1 May a Friday (one lost).
    assert ITALY.add_working_days(D(2026, 4, 20), 14) == D(2026, 5, 11)
    assert ITALY.working_days_between(D(2026, 4, 20), D(2026, 5, 11)) == 14


def test_the_working_day_after_good_friday_2026_is_the_tuesday_after_easter_monday() -> None:
    assert ITALY.next_working_day(D(2026, 4, 3)) == D(2026, 4, 7)


def test_the_working_day_after_1_june_2026_skips_festa_della_repubblica() -> None:
    assert ITALY.next_working_day(D(2026, 6, 1)) == D(2026, 6, 3)


def test_christmas_and_st_stephen_are_skipped() -> None:
    assert ITALY.next_working_day(D(2025, 12, 24)) == D(2025, 12, 29)  # Thu 25, Fri 26, weekend
    assert ITALY.next_working_day(D(2026, 12, 24)) == D(2026, 12, 28)  # Fri 25, Sat 26, Sun 27


def test_a_monday_san_francesco_pushes_the_next_working_day_to_tuesday() -> None:
    assert ITALY.next_working_day(D(2027, 10, 1)) == D(2027, 10, 5)
    assert ITALY.next_working_day(D(2024, 10, 3)) == D(2024, 10, 4)


def test_working_days_roll_over_month_ends_and_the_leap_day() -> None:
    assert ITALY.next_working_day(D(2026, 1, 30)) == D(2026, 2, 2)
    assert ITALY.next_working_day(D(2028, 2, 28)) == D(2028, 2, 29)
    assert ITALY.next_working_day(D(2028, 2, 29)) == D(2028, 3, 1)
    assert ITALY.add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 4)  # 31 Dec, (1 Jan), 4 Jan


def test_a_window_starting_on_a_saturday_counts_from_monday() -> None:
    assert ITALY.add_working_days(D(2026, 5, 9), 1) == D(2026, 5, 11)
    assert ITALY.working_days_between(D(2026, 5, 9), D(2026, 5, 11)) == 1
    assert ITALY.working_days_between(D(2026, 5, 9), D(2026, 5, 10)) == 0


def test_adding_zero_working_days_returns_the_start_even_on_a_holiday() -> None:
    assert ITALY.add_working_days(D(2026, 12, 25), 0) == D(2026, 12, 25)


def test_the_start_day_is_not_counted() -> None:
    assert ITALY.working_days_between(D(2026, 3, 2), D(2026, 3, 2)) == 0
    assert ITALY.working_days_between(D(2026, 3, 2), D(2026, 3, 3)) == 1


def test_working_day_on_or_after_keeps_a_working_day_and_moves_a_holiday() -> None:
    assert ITALY.working_day_on_or_after(D(2026, 3, 2)) == D(2026, 3, 2)
    assert ITALY.working_day_on_or_after(D(2026, 4, 25)) == D(2026, 4, 27)


def test_far_dates_are_covered_by_growing_the_table() -> None:
    calendar = WorkingCalendar()
    assert calendar.is_working_day(D(2026, 3, 2))
    assert not calendar.is_working_day(D(2090, 12, 25))
    assert not calendar.is_working_day(D(1990, 12, 25))
    assert calendar.add_working_days(D(1990, 12, 24), 1) == D(1990, 12, 27)


# -- windows --------------------------------------------------------------------------------


def test_a_calendar_window_ending_on_1_may_rolls_to_the_next_working_day() -> None:
    end = ITALY.window_end(start=D(2026, 4, 17), days=14, kind="calendar", roll_to_working_day=True)
    assert end == D(2026, 5, 4)  # Fri 1 May holiday, then the weekend
    unrolled = ITALY.window_end(start=D(2026, 4, 17), days=14, kind="calendar", roll_to_working_day=False)
    assert unrolled == D(2026, 5, 1)


def test_a_calendar_window_crosses_month_ends_and_the_leap_day() -> None:
    assert ITALY.window_end(start=D(2026, 1, 31), days=30, kind="calendar", roll_to_working_day=False) == D(2026, 3, 2)
    assert ITALY.window_end(start=D(2028, 1, 30), days=30, kind="calendar", roll_to_working_day=True) == D(2028, 2, 29)


def test_the_cooling_off_window_from_the_rule_set_is_fourteen_working_days() -> None:
    rules = load_rule_set()
    calendar = calendar_from_rules(rules)
    end = calendar.window_end(
        start=D(2026, 4, 20), days=rules.cooling_off.statutory_days, kind=rules.cooling_off.day_kind
    )
    assert end == D(2026, 5, 11)
    assert calendar.roll_calendar_deadlines is True
    assert calendar.province is None


def test_the_calendar_can_be_built_from_the_rules_calendar_section() -> None:
    calendar = calendar_from_rules(load_rule_set().calendar)
    assert isinstance(calendar, WorkingCalendar)


def test_an_act_on_the_last_day_is_in_time_and_the_day_after_is_late() -> None:
    window = dict(start=D(2026, 4, 20), days=14, kind=DayKind.WORKING, roll_to_working_day=False)
    assert ITALY.is_in_time(**window, act_on=D(2026, 5, 11))
    assert not ITALY.is_in_time(**window, act_on=D(2026, 5, 12))
    assert ITALY.is_in_time(**window, act_on=D(2026, 4, 20))


def test_a_rolled_calendar_deadline_accepts_an_act_after_the_holiday() -> None:
    window = dict(start=D(2026, 4, 17), days=14, kind="calendar")
    assert ITALY.is_in_time(**window, act_on=D(2026, 5, 4), roll_to_working_day=True)
    assert not ITALY.is_in_time(**window, act_on=D(2026, 5, 4), roll_to_working_day=False)
    assert ITALY.is_in_time(**window, act_on=D(2026, 5, 4))  # the calendar's default: roll


# -- bad input ------------------------------------------------------------------------------


def test_a_negative_number_of_days_is_refused() -> None:
    with pytest.raises(NegativeDaysError):
        ITALY.add_working_days(D(2026, 1, 5), -1)
    with pytest.raises(NegativeDaysError):
        ITALY.window_end(start=D(2026, 1, 5), days=-1, kind="calendar", roll_to_working_day=False)


def test_a_non_integer_number_of_days_is_refused() -> None:
    with pytest.raises(NegativeDaysError):
        ITALY.add_working_days(D(2026, 1, 5), 1.5)  # type: ignore[arg-type]


def test_an_unknown_day_kind_is_refused() -> None:
    with pytest.raises(UnknownDayKindError):
        ITALY.window_end(start=D(2026, 1, 5), days=3, kind="business", roll_to_working_day=False)


def test_a_reversed_period_is_refused() -> None:
    with pytest.raises(ReversedPeriodError):
        ITALY.working_days_between(D(2026, 1, 5), D(2026, 1, 2))


def test_dates_beyond_the_holidays_package_are_refused_rather_than_guessed() -> None:
    with pytest.raises(OutOfCalendarRangeError):
        ITALY.is_working_day(D(LAST_YEAR + 1, 3, 1))
    with pytest.raises(OutOfCalendarRangeError):
        ITALY.add_working_days(D(LAST_YEAR, 12, 1), 40)


def test_calendar_errors_are_value_errors_and_sentinella_errors() -> None:
    for error in (NegativeDaysError, UnknownProvinceError, UnknownDayKindError, ReversedPeriodError):
        assert issubclass(error, CalendarError)
    assert issubclass(CalendarError, ValueError)
    assert issubclass(CalendarError, SentinellaError)


# -- properties -----------------------------------------------------------------------------

starts = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))
counts = st.integers(min_value=0, max_value=300)
calendars = st.sampled_from([ITALY, BOLOGNA, MILANO])


@given(start=starts, n=st.integers(min_value=1, max_value=300), calendar=calendars)
def test_adding_working_days_always_lands_on_a_working_day(start: dt.date, n: int, calendar: WorkingCalendar) -> None:
    assert calendar.is_working_day(calendar.add_working_days(start, n))


@given(start=starts, n=counts)
def test_adding_working_days_is_monotone_in_n(start: dt.date, n: int) -> None:
    assert ITALY.add_working_days(start, n) < ITALY.add_working_days(start, n + 1)


@given(start=starts, n=counts, calendar=calendars)
def test_counting_undoes_adding(start: dt.date, n: int, calendar: WorkingCalendar) -> None:
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@settings(max_examples=50)
@given(start=starts, n=st.integers(min_value=0, max_value=40))
def test_adding_working_days_agrees_with_stepping_one_day_at_a_time(start: dt.date, n: int) -> None:
    assert ITALY.add_working_days(start, n) == naive_add_working_days(start, n)


@given(start=starts, n=counts)
def test_an_unrolled_calendar_window_ends_exactly_n_days_later(start: dt.date, n: int) -> None:
    end = ITALY.window_end(start=start, days=n, kind="calendar", roll_to_working_day=False)
    assert end == start + dt.timedelta(days=n)


@given(start=starts, n=counts, calendar=calendars)
def test_a_rolled_deadline_is_a_working_day_at_most_a_few_days_later(
    start: dt.date, n: int, calendar: WorkingCalendar
) -> None:
    unrolled = calendar.window_end(start=start, days=n, kind="calendar", roll_to_working_day=False)
    rolled = calendar.window_end(start=start, days=n, kind="calendar", roll_to_working_day=True)
    assert calendar.is_working_day(rolled)
    assert unrolled <= rolled <= unrolled + dt.timedelta(days=5)
    assert (rolled == unrolled) == calendar.is_working_day(unrolled)


@given(start=starts, n=counts, kind=st.sampled_from(list(DayKind)), roll=st.booleans())
def test_an_act_is_in_time_on_the_window_end_and_late_the_day_after(
    start: dt.date, n: int, kind: DayKind, roll: bool
) -> None:
    end = ITALY.window_end(start=start, days=n, kind=kind, roll_to_working_day=roll)
    window = dict(start=start, days=n, kind=kind, roll_to_working_day=roll)
    assert ITALY.is_in_time(**window, act_on=end)
    assert not ITALY.is_in_time(**window, act_on=end + dt.timedelta(days=1))


@given(start=starts, n=st.integers(min_value=1, max_value=300))
def test_a_working_day_window_never_ends_before_the_calendar_day_window(start: dt.date, n: int) -> None:
    working = ITALY.window_end(start=start, days=n, kind="working", roll_to_working_day=False)
    assert working >= start + dt.timedelta(days=n)
