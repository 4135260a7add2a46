"""Column types that keep money exact and timestamps in UTC on every database.

SQLite has no exact decimal type (SQLAlchemy's Numeric goes through float there), so amounts
are stored as scaled integers: euros as cents, unit prices as micro-euros, quantities as
thousandths. Python always sees ``Decimal``; SQL sums stay exact integers on both databases.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.types import TypeDecorator


class ScaledDecimalOverflow(ValueError):
    """A value has more decimal places than its column keeps."""


class ScaledDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as an integer number of ``10**-places`` units.

    Raises ScaledDecimalOverflow when a value would lose precision: rounding is the domain's
    decision (money rounds half-up at document level), never the storage layer's.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int) -> None:
        super().__init__()
        self.places = places
        self._unit = Decimal(1).scaleb(-places)

    def process_bind_param(self, value: Decimal | int | None, dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money and quantities must be Decimal, not float")
        value = Decimal(value)
        scaled = value.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ScaledDecimalOverflow(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value: int | None, dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(value).scaleb(-self.places)).quantize(self._unit, rounding=ROUND_HALF_UP)


def Money() -> ScaledDecimal:  # noqa: N802 - reads as a type in column declarations
    """Euros with cents."""
    return ScaledDecimal(2)


def UnitPrice() -> ScaledDecimal:  # noqa: N802
    """Prices per kWh / Smc / day, to the micro-euro."""
    return ScaledDecimal(6)


def Quantity() -> ScaledDecimal:  # noqa: N802
    """Consumption in kWh or Smc, to the thousandth."""
    return ScaledDecimal(3)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp; SQLite's naive values are read back as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
