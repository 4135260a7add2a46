"""Reply-time statistics from a histogram ``{days: cases}``, exact in ``Decimal``.

Percentiles interpolate linearly between the two nearest ranks, as PostgreSQL's
``percentile_cont`` does: the position of percentile ``p`` among ``n`` sorted values is
``p * (n - 1)`` (0-based). The histogram comes from one ``GROUP BY`` on either database, so the
figures are identical on SQLite and PostgreSQL. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["percentile_cont", "share"]

_TENTH = Decimal("0.1")


def percentile_cont(histogram: Mapping[int, int], *, fraction: Decimal) -> Decimal | None:
    """The ``fraction`` percentile (``Decimal("0.95")``) of the values, to 0.1; None when empty.

    Raises ``ValueError`` for a fraction outside [0, 1] or a negative count.
    """
    if not Decimal(0) <= fraction <= Decimal(1):
        raise ValueError(f"a percentile fraction lies between 0 and 1, got {fraction}")
    if any(count < 0 for count in histogram.values()):
        raise ValueError("a histogram cannot hold a negative count")
    total = sum(histogram.values())
    if total == 0:
        return None
    position = fraction * (total - 1)
    low_rank = int(position)  # floor: position is not negative
    weight = position - low_rank
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > low_rank:
            low = value
        if seen > low_rank + 1 or (seen > low_rank and weight == 0):
            high = value
            break
    if high is None:
        high = low
    result = Decimal(low) + (Decimal(high) - Decimal(low)) * weight
    return result.quantize(_TENTH, rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """``part / whole`` to four decimals (a rate, 0.9375); None when ``whole`` is zero."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
