"""Scorecard statistics (rulebook §4): Wilson interval, per-thousand figures, ranking."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agencies.statistics import InvalidConfidence, InvalidCounts, per_thousand, proportion, rank, wilson_interval

Z95 = 1.959963984540054
ONE_MILLIONTH = Decimal("0.000001")
counts = st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


def closed_formula(s: int, n: int, z: float = Z95) -> tuple[float, float]:
    p = s / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@given(counts)
def test_the_interval_holds_the_observed_rate_within_zero_and_one(sn):
    s, n = sn
    low, high = wilson_interval(successes=s, trials=n)
    assert 0 <= low <= Fraction(s, n) <= high <= 1
    assert low.as_tuple().exponent == high.as_tuple().exponent == -6


@given(counts)
def test_the_interval_matches_the_closed_formula_rounded_outwards(sn):
    s, n = sn
    low, high = wilson_interval(successes=s, trials=n)
    exact_low, exact_high = closed_formula(s, n)
    assert max(0.0, exact_low) - 1e-6 - 1e-9 <= float(low) <= max(0.0, exact_low) + 1e-9
    assert min(1.0, exact_high) - 1e-9 <= float(high) <= min(1.0, exact_high) + 1e-6 + 1e-9


@given(counts, st.integers(2, 50))
def test_more_trials_for_the_same_rate_give_a_narrower_interval(sn, k):
    s, n = sn
    low, high = wilson_interval(successes=s, trials=n)
    more_low, more_high = wilson_interval(successes=k * s, trials=k * n)
    assert more_high - more_low <= high - low


@pytest.mark.parametrize(
    ("s", "n", "expected"),
    [(0, 10, ("0.000000", "0.277533")), (10, 10, ("0.722467", "1.000000")), (5, 10, ("0.236593", "0.763407")),
     (1, 100, ("0.001767", "0.054487")), (0, 1, ("0.000000", "0.793451"))],
)
def test_known_intervals(s, n, expected):
    assert wilson_interval(successes=s, trials=n) == tuple(Decimal(v) for v in expected)


def test_no_trials_means_the_whole_range():
    assert wilson_interval(successes=0, trials=0) == (Decimal(0), Decimal(1))


def test_a_higher_confidence_gives_a_wider_interval():
    low95, high95 = wilson_interval(successes=3, trials=40)
    low99, high99 = wilson_interval(successes=3, trials=40, confidence="0.99")
    low80, high80 = wilson_interval(successes=3, trials=40, confidence=Decimal("0.8"))
    assert low99 < low95 < low80 and high80 < high95 < high99


@pytest.mark.parametrize(("s", "n"), [(-1, 10), (11, 10), (1, -1), (True, 10), (1.0, 10)])
def test_impossible_counts_are_refused(s, n):
    with pytest.raises(InvalidCounts):
        wilson_interval(successes=s, trials=n)


@pytest.mark.parametrize("confidence", ["0", "1", "1.5", "abc", 0.95, "NaN", None])
def test_a_confidence_outside_zero_and_one_is_refused(confidence):
    with pytest.raises(InvalidConfidence, match="0.95"):
        wilson_interval(successes=1, trials=10, confidence=confidence)


@pytest.mark.parametrize(("count", "contracts", "expected"),
                         [(3, 7, "428.57"), (1, 3, "333.33"), (2, 3, "666.67"), (0, 50, "0.00"), (5, 0, "0.00"),
                          (12, 4, "3000.00"), (1, 8000, "0.13")])
def test_per_thousand_is_rounded_half_up_to_the_hundredth(count, contracts, expected):
    assert str(per_thousand(count=count, contracts=contracts)) == expected


def test_per_thousand_refuses_negative_counts():
    with pytest.raises(InvalidCounts):
        per_thousand(count=-1, contracts=10)


def test_a_proportion_has_six_places_and_is_zero_for_an_empty_whole():
    assert str(proportion(part=2, whole=3)) == "0.666667"
    assert str(proportion(part=0, whole=0)) == "0.000000"


def test_ties_share_a_rank_and_the_next_rank_skips():
    values = {"C": Decimal("0.01"), "A": Decimal("0.02"), "B": Decimal("0.020"), "D": Decimal("0.05")}
    assert list(rank(values=values).items()) == [("C", 1), ("A", 2), ("B", 2), ("D", 4)]


def test_higher_is_better_reverses_the_order_but_keeps_ties_by_code():
    values = {"C": Decimal("1"), "B": Decimal("2"), "A": Decimal("2")}
    assert list(rank(values=values, lower_is_better=False).items()) == [("A", 1), ("B", 1), ("C", 3)]


def test_a_tuple_breaks_ties_on_its_next_figure():
    values = {
        "A": (Decimal("0.02"), Decimal("3")),
        "B": (Decimal("0.02"), Decimal("1")),
        "C": (Decimal("0.01"), Decimal("9")),
    }
    assert rank(values=values) == {"C": 1, "B": 2, "A": 3}


def test_a_nan_cannot_be_ranked():
    with pytest.raises(InvalidCounts):
        rank(values={"A": Decimal("NaN")})


values_by_code = st.dictionaries(st.text(min_size=1, max_size=4), st.integers(0, 5).map(Decimal), max_size=20)


@given(values_by_code, st.booleans())
def test_each_rank_is_one_plus_the_number_of_strictly_better_values(values, lower_is_better):
    ranks = rank(values=values, lower_is_better=lower_is_better)
    better = (lambda a, b: a < b) if lower_is_better else (lambda a, b: a > b)
    assert set(ranks) == set(values)
    for code, position in ranks.items():
        assert position == 1 + sum(better(other, values[code]) for other in values.values())


@given(values_by_code, st.booleans())
def test_the_ranking_lists_codes_best_first_and_equal_values_by_code(values, lower_is_better):
    ranks = rank(values=values, lower_is_better=lower_is_better)
    sign = 1 if lower_is_better else -1
    assert list(ranks) == sorted(values, key=lambda code: (sign * values[code], code))
    assert list(ranks.values()) == sorted(ranks.values())
