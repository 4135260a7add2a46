"""Offers of the synthetic book and their price components.

Two or three offers per commodity. Fixed-price offers have one energy price and one monthly
retail fee, open-ended; indexed offers have a new energy price every month over the period
(the last one open-ended). Amounts are ``Decimal`` with 6 places (the ``UnitPrice`` column).
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from flows.synthetic_model import OfferPriceRecord, OfferRecord
from protocol.codes import Commodity

_MICRO = Decimal("0.000001")
ENERGY = "energy"
RETAIL_FEE = "retail_fee"

# code, name, commodity, indexed, always offered
_CATALOGUE = (
    ("LUCE-FISSA-24", "Luce Prezzo Fisso 24 mesi", Commodity.ELECTRICITY, False, True),
    ("LUCE-INDEX", "Luce Indicizzata PUN", Commodity.ELECTRICITY, True, True),
    ("LUCE-FISSA-12", "Luce Prezzo Fisso 12 mesi", Commodity.ELECTRICITY, False, False),
    ("GAS-FISSO-12", "Gas Prezzo Fisso 12 mesi", Commodity.GAS, False, True),
    ("GAS-INDEX", "Gas Indicizzato PSV", Commodity.GAS, True, True),
    ("GAS-FISSO-24", "Gas Prezzo Fisso 24 mesi", Commodity.GAS, False, False),
)
# energy price range in micro-euros per unit, and the unit
_ENERGY = {Commodity.ELECTRICITY: (115_000, 145_000, "eur/kWh"),
           Commodity.GAS: (450_000, 600_000, "eur/Smc")}


def _micro(amount: int) -> Decimal:
    return (Decimal(amount) * _MICRO).quantize(_MICRO)


def _month_starts(first: date, last: date) -> list[date]:
    months, day = [], first
    while day <= last:
        months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def build_offers(rng: random.Random, *, start: date, days: int
                 ) -> tuple[tuple[OfferRecord, ...], tuple[OfferPriceRecord, ...]]:
    """The offers on sale over ``[start, start + days)`` and their prices."""
    opened = date(start.year - (start.month <= 6), (start.month - 7) % 12 + 1, 1)
    end = date.fromordinal(start.toordinal() + max(days, 1) - 1)
    months = _month_starts(opened, end)
    offers: list[OfferRecord] = []
    prices: list[OfferPriceRecord] = []
    for code, name, commodity, indexed, always in _CATALOGUE:
        if not always and rng.random() < 0.5:
            continue
        offer = OfferRecord(id=len(offers) + 1, code=code, name=name, commodity=commodity,
                            valid_from=opened, valid_to=None)
        offers.append(offer)
        low, high, unit = _ENERGY[commodity]
        level = rng.randint(low, high)
        periods = months if indexed else months[:1]
        for index, month in enumerate(periods):
            if indexed:
                level = min(high, max(low, level + rng.randint(-6_000, 6_000)))
            closing = periods[index + 1] if index + 1 < len(periods) else None
            prices.append(OfferPriceRecord(
                id=len(prices) + 1, offer_id=offer.id, component=ENERGY, unit=unit,
                amount=_micro(level), valid_from=month, valid_to=closing))
        prices.append(OfferPriceRecord(
            id=len(prices) + 1, offer_id=offer.id, component=RETAIL_FEE, unit="eur/month",
            amount=_micro(rng.randint(800, 1200) * 10_000), valid_from=opened, valid_to=None))
    return tuple(offers), tuple(prices)
