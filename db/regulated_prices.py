"""The regulated price table in the database: load a figures file, read the table back.

``load_regulated_prices`` replaces the rows of the same (commodity, component, valid_from)
and adds the others, all or nothing; the file shipped with Sentinella
(``db/data/regulated_prices.csv``, plausible figures marked as such) is loaded by the
migration, and an operator loads the official figures with ``sentinella prices import``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import transaction
from db.models import RegulatedPrice as RegulatedPriceRow
from protocol.regulated_prices import RegulatedPrice, RegulatedPriceTable, parse_regulated_prices

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "regulated_prices.csv"


@dataclass(frozen=True)
class PriceLoad:
    source: str
    added: int
    replaced: int
    unchanged: int


def load_into(session: Session, *, rows: tuple[RegulatedPrice, ...], source: str) -> PriceLoad:
    existing = {(r.commodity, r.component, r.valid_from): r for r in session.execute(select(RegulatedPriceRow)).scalars()}
    added = replaced = unchanged = 0
    for price in rows:
        row = existing.get((price.commodity, price.component, price.valid_from))
        values = {"unit": price.unit, "amount": price.amount, "valid_to": price.valid_to, "source": price.source}
        if row is None:
            session.add(RegulatedPriceRow(commodity=price.commodity, component=price.component,
                                          valid_from=price.valid_from, **values))
            added += 1
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            replaced += 1
        else:
            unchanged += 1
    return PriceLoad(source=source, added=added, replaced=replaced, unchanged=unchanged)


def load_regulated_prices(*, engine: Engine, path: Path) -> PriceLoad:
    """Load a figures file. Raises ``InvalidRegulatedPrices`` (nothing written) or OSError."""
    rows = parse_regulated_prices(path.read_text(encoding="utf-8"), source_name=str(path))
    with transaction(engine) as session:
        return load_into(session, rows=rows, source=str(path))


def regulated_price_table(session: Session) -> RegulatedPriceTable:
    return RegulatedPriceTable.of(
        RegulatedPrice(commodity=r.commodity, component=r.component, unit=r.unit, amount=r.amount,
                       valid_from=r.valid_from, valid_to=r.valid_to, source=r.source)
        for r in session.execute(select(RegulatedPriceRow).order_by(RegulatedPriceRow.valid_from)).scalars())
