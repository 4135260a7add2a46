"""Regulated price components (rulebook 6): a dated table per commodity, parsed from CSV text.

Electricity (maggior tutela): ``energy`` (€/kWh) and ``pcv`` (€/month, commercialisation and
sale). Gas (tutela): ``cmem`` (€/Smc) and the retail component QVD, ``qvd_fixed`` (€/month)
and ``qvd_variable`` (€/Smc). Rows are half-open ``[valid_from, valid_to)``, normally one
quarter. Parsing reports every problem at once, each with its line and field.

Pure: the caller reads the file; no clock, no I/O.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

from protocol.codes import Commodity
from protocol.errors import SentinellaError

__all__ = ["COMPONENTS", "InvalidRegulatedPrices", "MissingRegulatedPrice", "RegulatedPrice", "RegulatedPriceTable",
           "parse_regulated_prices"]

COMPONENTS: Mapping[Commodity, Mapping[str, str]] = MappingProxyType({
    Commodity.ELECTRICITY: MappingProxyType({"energy": "eur/kWh", "pcv": "eur/month"}),
    Commodity.GAS: MappingProxyType({"cmem": "eur/Smc", "qvd_fixed": "eur/month", "qvd_variable": "eur/Smc"}),
})
HEADER = ("commodity", "component", "unit", "amount", "valid_from", "valid_to", "source")
MICRO = Decimal("0.000001")


class InvalidRegulatedPrices(SentinellaError, ValueError):
    """The price file has problems; ``problems`` lists (line, field, reason) for each."""

    def __init__(self, problems: list[tuple[int, str, str]], *, source_name: str) -> None:
        self.problems = problems
        listed = "; ".join(f"line {line} {field}: {reason}" for line, field, reason in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(f"{source_name}: {len(problems)} problem(s), nothing loaded: {listed}{more}")


class MissingRegulatedPrice(SentinellaError, LookupError):
    """No regulated price for a component on a day."""


@dataclass(frozen=True, kw_only=True, slots=True)
class RegulatedPrice:
    commodity: Commodity
    component: str
    unit: str
    amount: Decimal
    valid_from: date
    valid_to: date
    source: str


def _row_problems(line: int, row: Mapping[str, str]) -> tuple[RegulatedPrice | None, list[tuple[int, str, str]]]:
    problems: list[tuple[int, str, str]] = []
    values: dict = {}
    try:
        values["commodity"] = Commodity(row["commodity"].strip())
    except ValueError:
        problems.append((line, "commodity", f"must be electricity or gas, got {row['commodity']!r}"))
    component, unit = row["component"].strip(), row["unit"].strip()
    known = COMPONENTS.get(values.get("commodity"), {})
    if values.get("commodity") is not None and component not in known:
        problems.append((line, "component", f"must be one of {', '.join(known)}, got {component!r}"))
    elif known and unit != known[component]:
        problems.append((line, "unit", f"{component} is in {known[component]}, got {unit!r}"))
    try:
        amount = Decimal(row["amount"].strip())
        if not amount.is_finite() or amount < 0 or amount != amount.quantize(MICRO):
            raise InvalidOperation
        values["amount"] = amount
    except (InvalidOperation, ValueError):
        problems.append((line, "amount", f"must be a non-negative number with at most 6 decimals, got {row['amount']!r}"))
    for field in ("valid_from", "valid_to"):
        try:
            values[field] = date.fromisoformat(row[field].strip())
        except ValueError:
            problems.append((line, field, f"must be a date YYYY-MM-DD, got {row[field]!r}"))
    if "valid_from" in values and "valid_to" in values and values["valid_to"] <= values["valid_from"]:
        problems.append((line, "valid_to", "must be after valid_from (the period is half-open)"))
    if not row["source"].strip():
        problems.append((line, "source", "is required: say where the figure comes from"))
    if problems:
        return None, problems
    return RegulatedPrice(commodity=values["commodity"], component=component, unit=unit, amount=values["amount"],
                          valid_from=values["valid_from"], valid_to=values["valid_to"],
                          source=row["source"].strip()), []


def parse_regulated_prices(text: str, *, source_name: str = "prices") -> tuple[RegulatedPrice, ...]:
    """Rows of a price file (CSV with ``HEADER``; lines starting with ``#`` are comments).

    Raises ``InvalidRegulatedPrices`` listing every problem (bad header, bad field, two rows
    of the same component overlapping); nothing is returned unless all rows are good.
    """
    lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
             if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise InvalidRegulatedPrices([(0, "file", "has no rows")], source_name=source_name)
    reader = csv.reader([line for _, line in lines])
    header = tuple(cell.strip() for cell in next(reader))
    if header != HEADER:
        raise InvalidRegulatedPrices([(lines[0][0], "header", f"must be {','.join(HEADER)}")], source_name=source_name)
    rows, problems = [], []
    for (number, _), cells in zip(lines[1:], reader):
        if len(cells) != len(HEADER):
            problems.append((number, "row", f"has {len(cells)} fields, expected {len(HEADER)}"))
            continue
        price, found = _row_problems(number, dict(zip(HEADER, cells)))
        problems += found
        if price is not None:
            rows.append((number, price))
    problems += _overlaps(rows)
    if problems:
        raise InvalidRegulatedPrices(sorted(problems), source_name=source_name)
    return tuple(price for _, price in rows)


def _overlaps(rows: list[tuple[int, RegulatedPrice]]) -> list[tuple[int, str, str]]:
    problems, by_component = [], {}
    for number, price in sorted(rows, key=lambda r: (r[1].commodity, r[1].component, r[1].valid_from)):
        key = (price.commodity, price.component)
        previous = by_component.get(key)
        if previous is not None and price.valid_from < previous[1].valid_to:
            problems.append((number, "valid_from", f"{price.commodity} {price.component} overlaps line {previous[0]}"))
        by_component[key] = (number, price)
    return problems


@dataclass(frozen=True)
class RegulatedPriceTable:
    rows: tuple[RegulatedPrice, ...]

    def price(self, *, commodity: Commodity, component: str, on: date) -> Decimal:
        """The component's amount in force on ``on``. Raises ``MissingRegulatedPrice``."""
        for row in self.rows:
            if row.commodity == commodity and row.component == component and row.valid_from <= on < row.valid_to:
                return row.amount
        raise MissingRegulatedPrice(f"no regulated {commodity} {component} price on {on.isoformat()}: "
                                    "load the figures with `sentinella prices import FILE`")

    def boundaries(self, *, commodity: Commodity, start: date, end: date) -> list[date]:
        """The days strictly inside ``[start, end)`` where some component's price changes."""
        return sorted({day for row in self.rows if row.commodity == commodity
                       for day in (row.valid_from, row.valid_to) if start < day < end})

    @classmethod
    def of(cls, rows: Iterable[RegulatedPrice]) -> RegulatedPriceTable:
        return cls(tuple(rows))
