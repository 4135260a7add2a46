"""Switching dates (rulebook §2.4): when the switch is filed, takes effect, stops being revocable.

A switch takes effect on ``switch_day_of_month`` (the 1st). A request filed on or before the
cut-off day (the 10th) takes effect in the next month, one filed later a month after that.
The point of no return is the cut-off day of the month before the switch date: on that day
the request can still be revoked, from the next day it cannot. The cut-off and the point of
no return are calendar days of the SII timetable: they are not moved off weekends or
holidays. Pure: no clock, every date is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from protocol.calendar import WorkingCalendar
from protocol.errors import SentinellaError
from protocol.lifecycle import ImpossibleDates
from protocol.ruleset import PointOfNoReturnRule, SwitchingRules

__all__ = [
    "ImpossibleDates",
    "NotASwitchDate",
    "SwitchPlan",
    "is_revocable",
    "plan_switch",
    "point_of_no_return",
    "switch_date_for",
    "switch_send_on",
]


class NotASwitchDate(SentinellaError, ValueError):
    """A date given as a switch date is not on the rules' switch day of the month."""


@dataclass(frozen=True, kw_only=True, slots=True)
class SwitchPlan:
    """When the switch request is filed, when it takes effect, and its last revocable day."""

    send_on: date
    switch_date: date
    point_of_no_return: date


def _add_months(day: date, months: int, *, day_of_month: int) -> date:
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, day_of_month)


def switch_date_for(*, filed_on: date, rules: SwitchingRules) -> date:
    """The switch date of a request filed on ``filed_on``.

    Filed by the cut-off day (inclusive): the switch day of next month; later: of the month
    after (December rolls into January or February of the next year).
    """
    months = 1 if filed_on.day <= rules.cutoff_day_of_month else 2
    return _add_months(filed_on, months, day_of_month=rules.switch_day_of_month)


def point_of_no_return(*, switch_date: date, rules: SwitchingRules) -> date:
    """The last day on which the switch taking effect on ``switch_date`` can be revoked.

    Raises ``NotASwitchDate`` when ``switch_date`` is not on the switch day of the month.
    """
    if switch_date.day != rules.switch_day_of_month:
        raise NotASwitchDate(
            f"{switch_date.isoformat()} is not a switch date: switches take effect on day "
            f"{rules.switch_day_of_month} of a month"
        )
    match rules.point_of_no_return:
        case PointOfNoReturnRule.CUTOFF_DAY_OF_MONTH_BEFORE_SWITCH:
            return _add_months(switch_date, -1, day_of_month=rules.cutoff_day_of_month)
    raise AssertionError(f"unhandled point-of-no-return rule {rules.point_of_no_return!r}")


def is_revocable(*, point_of_no_return: date, on: date, rules: SwitchingRules) -> bool:
    """True when a filed switch request can still be revoked on ``on``.

    Revocable up to and including the point of no return; never, once filed, when the rules
    say ``revocable_until_point_of_no_return = false``.
    """
    return rules.revocable_until_point_of_no_return and on <= point_of_no_return


def switch_send_on(
    *,
    signed_on: date,
    early_execution: bool,
    intake_on: date,
    statutory_window_end: date,
    calendar: WorkingCalendar,
    rules: SwitchingRules,
) -> date:
    """The first day the switch request may be filed.

    With early execution (or when the rules do not wait for the statutory window): the
    intake day. Otherwise the first working day after the statutory window ends, never
    before the intake day. Raises ``ImpossibleDates`` when the intake or the window end
    precedes the signature, ``OutOfCalendarRangeError`` from the calendar.
    """
    if intake_on < signed_on:
        raise ImpossibleDates(f"intake on {intake_on.isoformat()} is before the signature on {signed_on.isoformat()}")
    if statutory_window_end < signed_on:
        raise ImpossibleDates(
            f"the statutory window cannot end ({statutory_window_end.isoformat()}) before the "
            f"signature ({signed_on.isoformat()})"
        )
    if early_execution or not rules.wait_for_statutory_window:
        return intake_on
    return max(intake_on, calendar.next_working_day(statutory_window_end))


def plan_switch(
    *,
    signed_on: date,
    early_execution: bool,
    intake_on: date,
    statutory_window_end: date,
    calendar: WorkingCalendar,
    rules: SwitchingRules,
) -> SwitchPlan:
    """The planned filing day, switch date and point of no return of a contract.

    Raises what :func:`switch_send_on` raises.
    """
    send_on = switch_send_on(
        signed_on=signed_on,
        early_execution=early_execution,
        intake_on=intake_on,
        statutory_window_end=statutory_window_end,
        calendar=calendar,
        rules=rules,
    )
    switch_date = switch_date_for(filed_on=send_on, rules=rules)
    pnr = point_of_no_return(switch_date=switch_date, rules=rules)
    return SwitchPlan(send_on=send_on, switch_date=switch_date, point_of_no_return=pnr)
