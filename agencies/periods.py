"""Periods of the agency rules: sampling weeks, escalation quarters, scorecard periods.

Every period is half-open, ``[start, end)``: ``start`` is its first day, ``end`` the first day
after it. Pure: no clock.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from agencies.errors import InvalidPeriod

__all__ = ["InvalidPeriod", "period_bounds", "quarter_label", "quarter_of", "week_start_of"]

ACCEPTED_FORMS = '"2026" (year), "2026-H1" (half), "2026-Q1" (quarter), "2026-03" (month)'
_PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?:(?P<kind>[HQ])(?P<part>[0-9])|(?P<month>[0-9]{2})))?", re.IGNORECASE)
_MONTHS_PER = {"H": 6, "Q": 3}


def week_start_of(day: date) -> date:
    """The Monday of ``day``'s week (``day`` itself when it is a Monday)."""
    return day - timedelta(days=day.weekday())


def _month_start(year: int, month0: int) -> date:
    """First day of the month ``month0`` months (0-based, may exceed 11) after January ``year``."""
    return date(year + month0 // 12, month0 % 12 + 1, 1)


def quarter_of(day: date) -> tuple[date, date]:
    """The calendar quarter holding ``day``, half-open: 31 March is in Q1, 1 April starts Q2.

    Raises ``InvalidPeriod`` for a day in the last quarter of year 9999 (no end date exists).
    """
    first = (day.month - 1) // 3 * 3
    try:
        return _month_start(day.year, first), _month_start(day.year, first + 3)
    except ValueError:
        raise InvalidPeriod(f"the quarter of {day} ends after the last representable date") from None


def quarter_label(day: date) -> str:
    """The label of ``day``'s quarter, as ``period_bounds`` reads it: ``"2026-Q2"``."""
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def period_bounds(period: str) -> tuple[date, date]:
    """Parse a period label into its half-open ``(start, end)`` dates.

    Accepted forms: ``"2026"``, ``"2026-H1"``/``"2026-H2"``, ``"2026-Q1"``..``"2026-Q4"``,
    ``"2026-01"``..``"2026-12"`` (``H``/``Q`` in either case). ``"2026-H2"`` ends on
    2027-01-01. Raises ``InvalidPeriod`` for anything else, naming the accepted forms.
    """
    match = _PERIOD.fullmatch(period.strip()) if isinstance(period, str) else None
    if match is None:
        raise InvalidPeriod(f"period {period!r} is not one of {ACCEPTED_FORMS}")
    year = int(match["year"])
    if match["kind"]:
        size = _MONTHS_PER[match["kind"].upper()]
        part = int(match["part"])
        if not 1 <= part <= 12 // size:
            raise InvalidPeriod(f"period {period!r} has no part {part}; accepted forms: {ACCEPTED_FORMS}")
        first, months = (part - 1) * size, size
    elif match["month"]:
        first, months = int(match["month"]) - 1, 1
        if not 0 <= first <= 11:
            raise InvalidPeriod(f"period {period!r} has no month {first + 1}; accepted forms: {ACCEPTED_FORMS}")
    else:
        first, months = 0, 12
    if year < 1:
        raise InvalidPeriod(f"period {period!r} has no year 0; accepted forms: {ACCEPTED_FORMS}")
    try:
        return _month_start(year, first), _month_start(year, first + months)
    except ValueError:
        raise InvalidPeriod(f"period {period!r} ends after the last date; accepted forms: {ACCEPTED_FORMS}") from None
