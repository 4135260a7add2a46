"""Working days and deadlines (rulebook §9). Pure: no clock, every date is passed in.

A working day is Monday-Friday minus the Italian national holidays of the ``holidays``
package, plus the province's patron saint when a province is given.

Counting convention (*dies a quo non computatur*): the starting day is not counted; a window
of N days from S ends at the end of the N-th (working or calendar) day after S, and an act on
that day is in time. A calendar-day deadline falling on a non-working day may be rolled to the
next working day (rule ``calendar.roll_calendar_deadlines_to_working_day``).

Lookups are O(1) after warm-up: a per-day working flag and a running count of working days
are kept for a contiguous range of years, grown on demand. The state is swapped as one tuple,
so concurrent readers never see a half-built table.
"""

from __future__ import annotations

import bisect
import datetime as dt

import holidays

from protocol.errors import SentinellaError
from protocol.ruleset import CalendarRules, DayKind, RuleSet

# The `holidays` package knows Italy for these years only; outside them it silently returns
# no holidays at all, so we refuse such dates instead of calling every weekday a working day.
FIRST_YEAR: int = getattr(holidays.Italy, "start_year", 1946)
LAST_YEAR: int = getattr(holidays.Italy, "end_year", 2100)
# Law 151 of 8 October 2025 makes 4 October (San Francesco d'Assisi) a national holiday from
# 2026. holidays 0.109 has it; older releases (pyproject allows >=0.60) do not, so we add it
# ourselves when missing. With a current package this guard changes nothing.
SAN_FRANCESCO_FROM_YEAR = 2026
SAN_FRANCESCO_NAME = "Festa nazionale di San Francesco d'Assisi, patrono d'Italia"
_GROW_YEARS = 5  # years added around a request outside the covered range


class CalendarError(SentinellaError, ValueError):
    """Bad input to a calendar computation."""


class NegativeDaysError(CalendarError):
    """A number of days was negative (or not an integer)."""


class UnknownProvinceError(CalendarError):
    """The province is not an Italian subdivision code of the ``holidays`` package."""


class UnknownDayKindError(CalendarError):
    """The day kind is neither "working" nor "calendar"."""


class ReversedPeriodError(CalendarError):
    """The end of a period lies before its start."""


class OutOfCalendarRangeError(CalendarError):
    """The date lies outside the years the ``holidays`` package covers for Italy."""


def _check_days(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise NegativeDaysError(f"number of days must be a non-negative integer, got {n!r}")
    return n


def _day_kind(kind: DayKind | str) -> DayKind:
    try:
        return DayKind(kind)
    except ValueError:
        raise UnknownDayKindError(f'day kind must be "working" or "calendar", got {kind!r}') from None


class WorkingCalendar:
    """Italian working days, optionally with a province's patron saint.

    Raises ``UnknownProvinceError`` for a province code the ``holidays`` package lacks.
    """

    def __init__(
        self, *, province: str | None = None, language: str = "it_IT", roll_calendar_deadlines: bool = True
    ) -> None:
        if province is not None and province not in holidays.Italy.subdivisions:
            raise UnknownProvinceError(f"unknown Italian province {province!r} (use a code such as 'BO')")
        self.province = province
        self.language = language
        self.roll_calendar_deadlines = roll_calendar_deadlines
        # (ordinal of 1 January of the first covered year, first year, last year,
        #  working flag per day, running count: prefix[i] = working days among days [0, i))
        self._state: tuple[int, int, int, bytearray, list[int]] = (0, 0, -1, bytearray(), [0])
        self._names: dict[dt.date, str] = {}

    def __repr__(self) -> str:
        return f"WorkingCalendar(province={self.province!r})"

    # -- the table -------------------------------------------------------------------------
    def _cover(self, *years: int) -> tuple[int, int, int, bytearray, list[int]]:
        """Return a state covering ``years``, growing the table when needed."""
        state = self._state
        _, first, last, _, _ = state
        if all(first <= y <= last for y in years):
            return state
        outside = [y for y in years if not FIRST_YEAR <= y <= LAST_YEAR]
        if outside:
            raise OutOfCalendarRangeError(f"year {outside[0]} is outside {FIRST_YEAR}..{LAST_YEAR}")
        wanted = [*years, *((first, last) if last >= first else ())]
        first = max(FIRST_YEAR, min(wanted) - (_GROW_YEARS if min(years) < first or last < first else 0))
        last = min(LAST_YEAR, max(wanted) + (_GROW_YEARS if max(years) > last else 0))
        names = self._holidays(range(first, last + 1))
        base = dt.date(first, 1, 1).toordinal()
        size = dt.date(last, 12, 31).toordinal() - base + 1
        working = bytearray(size)
        prefix = [0] * (size + 1)
        for i in range(size):
            day = dt.date.fromordinal(base + i)
            working[i] = day.weekday() < 5 and day not in names
            prefix[i + 1] = prefix[i] + working[i]
        self._names = names
        self._state = state = (base, first, last, working, prefix)
        return state

    def _holidays(self, years: range) -> dict[dt.date, str]:
        found = holidays.country_holidays("IT", subdiv=self.province, language=self.language, years=years)
        names = dict(found.items())
        for year in years:
            if year >= SAN_FRANCESCO_FROM_YEAR:
                names.setdefault(dt.date(year, 10, 4), SAN_FRANCESCO_NAME)
        return names

    # -- days ------------------------------------------------------------------------------
    def is_working_day(self, day: dt.date) -> bool:
        """True for Monday-Friday that is not a holiday. Raises ``OutOfCalendarRangeError``."""
        base, _, _, working, _ = self._state
        i = day.toordinal() - base
        if not 0 <= i < len(working):
            base, _, _, working, _ = self._cover(day.year)
            i = day.toordinal() - base
        return working[i] == 1

    def holiday_name(self, day: dt.date) -> str | None:
        """The holiday's name on ``day`` (in the calendar's language), or None."""
        self._cover(day.year)
        return self._names.get(day)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` itself not counted); n=0 gives ``start``.

        Raises ``NegativeDaysError`` for n < 0, ``OutOfCalendarRangeError`` past the covered years.
        """
        if _check_days(n) == 0:
            return start
        year = start.year
        while True:
            base, _, last, _, prefix = self._cover(start.year, year)
            target = prefix[start.toordinal() - base + 1] + n
            if target <= prefix[-1]:
                return dt.date.fromordinal(base + bisect.bisect_left(prefix, target) - 1)
            if last >= LAST_YEAR:
                raise OutOfCalendarRangeError(f"{n} working days after {start} fall after {LAST_YEAR}")
            year = min(LAST_YEAR, last + 1 + (target - prefix[-1]) // 240)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``. Raises ``OutOfCalendarRangeError``."""
        return self.add_working_days(day, 1)

    def working_day_on_or_after(self, day: dt.date) -> dt.date:
        """``day`` if it is a working day, else the next one. Raises ``OutOfCalendarRangeError``."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: ``start`` not counted, ``end`` counted.

        Raises ``ReversedPeriodError`` when end < start, ``OutOfCalendarRangeError``.
        """
        if end < start:
            raise ReversedPeriodError(f"end {end} is before start {start}")
        base, _, _, _, prefix = self._cover(start.year, end.year)
        return prefix[end.toordinal() - base + 1] - prefix[start.toordinal() - base + 1]

    # -- windows ---------------------------------------------------------------------------
    def window_end(
        self, *, start: dt.date, days: int, kind: DayKind | str, roll_to_working_day: bool | None = None
    ) -> dt.date:
        """The last day on which an act is in time for a window of ``days`` from ``start``.

        ``roll_to_working_day`` None means the calendar's configured rule. Raises
        ``NegativeDaysError``, ``UnknownDayKindError``, ``OutOfCalendarRangeError``.
        """
        kind, days = _day_kind(kind), _check_days(days)
        if kind is DayKind.WORKING:
            end = self.add_working_days(start, days)
        else:
            try:
                end = start + dt.timedelta(days=days)
            except OverflowError:
                raise OutOfCalendarRangeError(f"{days} days after {start} is not a date") from None
        roll = self.roll_calendar_deadlines if roll_to_working_day is None else roll_to_working_day
        return self.working_day_on_or_after(end) if roll else end

    def is_in_time(
        self,
        *,
        start: dt.date,
        days: int,
        kind: DayKind | str,
        act_on: dt.date,
        roll_to_working_day: bool | None = None,
    ) -> bool:
        """True when ``act_on`` is no later than ``window_end`` (an act before ``start`` is in time).

        Raises what ``window_end`` raises.
        """
        return act_on <= self.window_end(start=start, days=days, kind=kind, roll_to_working_day=roll_to_working_day)


def calendar_from_rules(rules: RuleSet | CalendarRules) -> WorkingCalendar:
    """A ``WorkingCalendar`` configured by a rule set (or its ``calendar`` section).

    Raises ``UnknownProvinceError`` (cannot happen for a rule set that loaded).
    """
    section = rules.calendar if isinstance(rules, RuleSet) else rules
    return WorkingCalendar(
        province=section.province,
        language=section.language,
        roll_calendar_deadlines=section.roll_calendar_deadlines_to_working_day,
    )
