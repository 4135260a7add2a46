"""Report periods: --from/--to both included, half-year windows, months, Italian formats."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from flows.reports.errors import InvertedReportPeriod
from flows.reports.formatting import format_count_it, format_days_it, format_rate_it
from flows.reports.labels import LABELS_IT
from flows.reports.period import months_ending, period_from_to


def test_the_last_day_is_included_so_the_period_ends_the_day_after():
    period = period_from_to(first_day=date(2026, 4, 15), last_day=date(2026, 6, 30))
    assert period.end == date(2026, 7, 1) and period.last_day == date(2026, 6, 30)
    assert period.months == (date(2026, 4, 1), date(2026, 5, 1), date(2026, 6, 1))


def test_an_inverted_period_names_both_options():
    with pytest.raises(InvertedReportPeriod, match="--from 2026-07-01 is after --to 2026-06-30"):
        period_from_to(first_day=date(2026, 7, 1), last_day=date(2026, 6, 30))


@pytest.mark.parametrize(("period_end", "months", "start", "end"), [
    (date(2026, 7, 1), 6, date(2026, 1, 1), date(2026, 7, 1)),
    (date(2026, 7, 15), 6, date(2026, 1, 1), date(2026, 7, 1)),
    (date(2026, 1, 10), 3, date(2025, 10, 1), date(2026, 1, 1)),
    (date(2026, 3, 1), 12, date(2025, 3, 1), date(2026, 3, 1)),
])
def test_the_flow_covers_whole_months_before_the_month_of_period_end(period_end, months, start, end):
    period = months_ending(period_end=period_end, months=months)
    assert (period.start, period.end) == (start, end) and len(period.months) == months


def test_numbers_are_in_italian_format():
    assert format_count_it(1234567) == "1.234.567"
    assert format_rate_it(Decimal("0.9375")) == "93,8 %" and format_rate_it(None) == "—"
    assert format_days_it(Decimal("1234.5")) == "1.234,5"


def test_every_csv_figure_has_an_italian_description():
    assert LABELS_IT["reply_times.p95_days"] == "Tempo di risposta al 95° percentile (giorni)"
    assert all(text and text[0].isupper() or text.startswith("di cui") for text in LABELS_IT.values())
