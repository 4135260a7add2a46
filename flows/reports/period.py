"""A report's period: the half-open ``[start, end)`` and its calendar months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flows.reports.errors import InvertedReportPeriod


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportPeriod:
    start: date
    end: date  # exclusive

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def months(self) -> tuple[date, ...]:
        """The first day of every calendar month the period touches (the first one may start later)."""
        first = self.start.replace(day=1)
        months = []
        while first < self.end:
            months.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return tuple(months)


def period_from_to(*, first_day: date, last_day: date) -> ReportPeriod:
    """The period from ``first_day`` to ``last_day``, both included (the CLI's ``--from`` / ``--to``).

    Raises ``InvertedReportPeriod`` when ``first_day`` is after ``last_day``.
    """
    if first_day > last_day:
        raise InvertedReportPeriod(f"--from {first_day.isoformat()} is after --to {last_day.isoformat()}: "
                                   "the period's first day must come before its last")
    return ReportPeriod(start=first_day, end=last_day + timedelta(days=1))


def months_ending(*, period_end: date, months: int) -> ReportPeriod:
    """The ``months`` whole calendar months before the month of ``period_end`` (exclusive end).

    ``months_ending(period_end=date(2026, 7, 1), months=6)`` is January to June 2026; a
    ``period_end`` inside a month ends the period on that month's first day. Raises ``ValueError``
    for ``months`` below 1.
    """
    if months < 1:
        raise ValueError(f"a report covers at least one month, got {months}")
    end = period_end.replace(day=1)
    index = end.year * 12 + end.month - 1 - months
    return ReportPeriod(start=date(index // 12, index % 12 + 1, 1), end=end)
