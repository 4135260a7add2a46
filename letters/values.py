"""Small value types a caller may put in a letter's context (mappings with the same keys work
too: the templates read ``line.label``, which Jinja resolves on either)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceLine:
    """One price of an offer: ``unit`` is what it is per (``"kWh"``, ``"Smc"``, ``"mese"``),
    ``None`` for a one-off amount (a discount is negative)."""

    label: str
    amount: Decimal
    unit: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"price {self.label!r}: amount must be a Decimal, "
                            f"not {type(self.amount).__name__}")
