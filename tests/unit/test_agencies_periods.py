"""Period labels, quarters and weeks of the agency rules: half-open date ranges."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agencies.periods import InvalidPeriod, period_bounds, quarter_label, quarter_of
from agencies.scorecard import period_bounds as reexported

D = dt.date


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [("2024-Q1", D(2024, 1, 1), D(2024, 4, 1)), ("2026-Q4", D(2026, 10, 1), D(2027, 1, 1)),
     ("2024-02", D(2024, 2, 1), D(2024, 3, 1)), ("2026-12", D(2026, 12, 1), D(2027, 1, 1)),
     ("2026-H1", D(2026, 1, 1), D(2026, 7, 1)), ("2026-H2", D(2026, 7, 1), D(2027, 1, 1)),
     ("2026", D(2026, 1, 1), D(2027, 1, 1)), ("2026-q2", D(2026, 4, 1), D(2026, 7, 1))],
)
def test_a_period_label_becomes_a_half_open_date_range(label, start, end):
    assert period_bounds(label) == (start, end)


def test_the_first_quarter_of_a_leap_year_has_ninety_one_days():
    start, end = period_bounds("2024-Q1")
    assert (end - start).days == 91
    assert (period_bounds("2025-Q1")[1] - period_bounds("2025-Q1")[0]).days == 90
    assert (period_bounds("2024-02")[1] - period_bounds("2024-02")[0]).days == 29


@pytest.mark.parametrize("label", ["2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-00", "26", "2026-1", "2026/03",
                                   "", "2026-W01", "0000", "9999", "2026-Q1-02", "٢٠٢٦", None])
def test_any_other_label_is_refused_naming_the_accepted_forms(label):
    with pytest.raises(InvalidPeriod, match='"2026-Q1"'):
        period_bounds(label)


def test_the_scorecard_module_offers_the_same_parser():
    assert reexported is period_bounds


@given(st.dates(D(1, 1, 1), D(9999, 9, 30)))
def test_a_day_lies_in_its_quarter_whose_label_reads_back_to_it(day):
    start, end = quarter_of(day)
    assert start <= day < end
    assert start.day == 1 and start.month in (1, 4, 7, 10)
    assert 90 <= (end - start).days <= 92
    assert period_bounds(quarter_label(day)) == (start, end)


def test_the_quarter_after_the_last_date_cannot_end():
    with pytest.raises(InvalidPeriod):
        quarter_of(D(9999, 12, 31))
