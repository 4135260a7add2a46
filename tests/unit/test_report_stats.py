"""Reply-time percentiles from a histogram agree with a sorted-list computation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.reports.stats import percentile_cont, share


def _reference(values: list[int], fraction: Fraction) -> Decimal:
    values = sorted(values)
    position = fraction * (len(values) - 1)
    low = int(position)
    high = min(low + 1, len(values) - 1)
    exact = values[low] + (values[high] - values[low]) * (position - low)
    return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _histogram(values: list[int]) -> dict[int, int]:
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1
    return histogram


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert percentile_cont({1: 1, 2: 1, 21: 1, 35: 1}, fraction=Decimal("0.5")) == Decimal("11.5")


def test_the_95th_percentile_interpolates_like_postgresql_percentile_cont():
    # percentile_cont(0.95) over 1, 2, 21, 35: position 2.85 -> 21 + 0.85 * 14 = 32.9
    assert percentile_cont({1: 1, 2: 1, 21: 1, 35: 1}, fraction=Decimal("0.95")) == Decimal("32.9")


def test_one_value_is_every_percentile_and_none_is_no_percentile():
    assert percentile_cont({7: 3}, fraction=Decimal("0.95")) == Decimal("7.0")
    assert percentile_cont({}, fraction=Decimal("0.5")) is None


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60),
       st.sampled_from(["0", "0.25", "0.5", "0.9", "0.95", "1"]))
def test_the_histogram_gives_the_percentile_of_the_sorted_values(values, fraction):
    assert percentile_cont(_histogram(values), fraction=Decimal(fraction)) == _reference(values, Fraction(fraction))


def test_a_fraction_outside_0_to_1_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile_cont({1: 1}, fraction=Decimal("1.5"))


def test_a_share_has_four_decimals_and_none_without_a_whole():
    assert share(15, 16) == Decimal("0.9375") and share(2, 3) == Decimal("0.6667") and share(0, 0) is None
