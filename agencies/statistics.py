"""Scorecard statistics (rulebook §4): Wilson interval, rates, per-thousand figures, ranking.

Every result is a ``Decimal``. The Wilson interval is computed in ``Decimal`` arithmetic
(``Decimal.sqrt``); only the normal quantile ``z`` of a confidence other than 90/95/99%
comes from ``statistics.NormalDist`` (a float, converted once). Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from statistics import NormalDist

from agencies.errors import InvalidConfidence, InvalidCounts

__all__ = [
    "InvalidConfidence",
    "InvalidCounts",
    "RATE_PLACES",
    "per_thousand",
    "proportion",
    "rank",
    "wilson_interval",
]

RATE_PLACES = Decimal("0.000001")  # rates and interval bounds: 6 decimal places
PER_THOUSAND_PLACES = Decimal("0.01")
_KNOWN_Z = {  # two-sided standard normal quantiles
    Decimal("0.90"): Decimal("1.6448536269514722"),
    Decimal("0.95"): Decimal("1.959963984540054"),
    Decimal("0.99"): Decimal("2.5758293035489004"),
}


def _count(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidCounts(f"{name} must be an integer >= 0, got {value!r}")
    return value


def _z(confidence: str | Decimal) -> Decimal:
    try:
        level = Decimal(confidence.strip() if isinstance(confidence, str) else confidence)
    except (InvalidOperation, TypeError, ValueError):
        level = Decimal("NaN")
    if isinstance(confidence, float) or not level.is_finite() or not 0 < level < 1:
        raise InvalidConfidence(
            f"confidence must be a decimal strictly between 0 and 1 (as \"0.95\"), got {confidence!r}"
        )
    if level in _KNOWN_Z:
        return _KNOWN_Z[level]
    return Decimal(repr(NormalDist().inv_cdf(float((1 + level) / 2))))


def wilson_interval(*, successes: int, trials: int, confidence: str | Decimal = "0.95") -> tuple[Decimal, Decimal]:
    """The Wilson score interval for the proportion ``successes / trials``.

    Bounds are rounded outwards to 6 places (low down, high up, so the rounded interval holds
    the exact one) and clamped to [0, 1]. With ``trials == 0`` nothing is known: (0, 1).
    Raises ``InvalidCounts`` for negative counts or successes > trials, ``InvalidConfidence``
    for a confidence that is not a decimal (string or ``Decimal``) strictly between 0 and 1.
    """
    s, n = _count("successes", successes), _count("trials", trials)
    if s > n:
        raise InvalidCounts(f"successes ({s}) cannot exceed trials ({n})")
    z = _z(confidence)
    if n == 0:
        return Decimal(0).quantize(RATE_PLACES), Decimal(1).quantize(RATE_PLACES)
    with localcontext() as ctx:
        ctx.prec = 50
        p, z2 = Decimal(s) / n, z * z
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half_width = z * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt() / denominator
        low = (centre - half_width).quantize(RATE_PLACES, rounding=ROUND_FLOOR)
        high = (centre + half_width).quantize(RATE_PLACES, rounding=ROUND_CEILING)
    return max(low, Decimal(0).quantize(RATE_PLACES)), min(high, Decimal(1).quantize(RATE_PLACES))


def proportion(*, part: int, whole: int) -> Decimal:
    """``part / whole`` to 6 places, half up; 0 when ``whole`` is 0.

    Raises ``InvalidCounts`` for negative counts or ``part > whole``.
    """
    part, whole = _count("part", part), _count("whole", whole)
    if part > whole:
        raise InvalidCounts(f"part ({part}) cannot exceed whole ({whole})")
    if whole == 0:
        return Decimal(0).quantize(RATE_PLACES)
    return (Decimal(part) / whole).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def per_thousand(*, count: int, contracts: int) -> Decimal:
    """``count`` per 1,000 ``contracts``, to 2 places, half up; 0.00 when there are no contracts.

    ``count`` may exceed ``contracts`` (disownments of a period concern older contracts too).
    Raises ``InvalidCounts`` for negative or non-integer counts.
    """
    count, contracts = _count("count", count), _count("contracts", contracts)
    if contracts == 0:
        return Decimal(0).quantize(PER_THOUSAND_PLACES)
    with localcontext() as ctx:
        ctx.prec = 50
        return (Decimal(count) * 1000 / contracts).quantize(PER_THOUSAND_PLACES, rounding=ROUND_HALF_UP)


def rank(*, values: Mapping[str, Decimal | tuple[Decimal, ...]], lower_is_better: bool = True) -> dict[str, int]:
    """Competition ranking ("1224"): equal values share a rank and the next rank skips.

    ``values`` are ``Decimal`` or tuples of them (compared in order: a tie-breaker after the
    main figure). The returned dict lists codes best first, equal values by code.
    Raises ``InvalidCounts`` for a NaN value.
    """
    for code, value in values.items():
        parts = value if isinstance(value, tuple) else (value,)
        if any(not isinstance(v, Decimal) or v.is_nan() for v in parts):
            raise InvalidCounts(f"rank value for {code!r} must be a Decimal (or a tuple of them), not {value!r}")
    by_code = sorted(values, key=str)
    ordered = sorted(by_code, key=lambda code: values[code], reverse=not lower_is_better)  # stable either way
    ranks: dict[str, int] = {}
    for position, code in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        tied = previous is not None and values[previous] == values[code]
        ranks[code] = ranks[previous] if tied else position
    return ranks
