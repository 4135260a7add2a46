"""Italian number formats for the reports (Babel ``it_IT``), as Jinja filters.

Counts get the thousands dot (``1.234``), rates a percentage with one decimal (``93,8 %``), days
one decimal (``12,5``); a missing figure (no case to measure) prints as ``—``. Money and dates use
``letters.formatting`` (``1.234,56 €``, ``13 maggio 2026``).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from letters.formatting import LOCALE, format_date_it, format_euro

__all__ = ["REPORT_FILTERS", "format_count_it", "format_days_it", "format_rate_it"]

DASH = "—"


def format_count_it(value: int) -> str:
    """``1234`` → ``"1.234"``."""
    return format_decimal(value, format="#,##0", locale=LOCALE)


def format_rate_it(value: Decimal | None) -> str:
    """``Decimal("0.9375")`` → ``"93,8 %"``; None → ``"—"``."""
    if value is None:
        return DASH
    percent = (value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return format_decimal(percent, format="#,##0.0", locale=LOCALE) + " %"


def format_days_it(value: Decimal | None) -> str:
    """``Decimal("12.5")`` → ``"12,5"``; None → ``"—"``."""
    if value is None:
        return DASH
    return format_decimal(value, format="#,##0.0", locale=LOCALE)


def _month_it(value) -> str:
    return format_date_it(value).split(" ", 1)[1]  # "1 maggio 2026" -> "maggio 2026"


REPORT_FILTERS = {"count_it": format_count_it, "rate_it": format_rate_it, "days_it": format_days_it,
                  "month_it": _month_it, "euro": format_euro, "date_it": format_date_it}
