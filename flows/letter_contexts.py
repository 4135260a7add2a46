"""Build the context of each letter kind from the database rows of one contract."""

from __future__ import annotations

from datetime import date
from typing import Any

from db.models import Contract, Customer, OfferPrice, SupplyPoint
from letters.values import PriceLine
from protocol.codes import Commodity

_UNITS = {"eur/kWh": "kWh", "eur/Smc": "Smc", "eur/month": "mese", "eur/day": "giorno"}
_LABELS = {
    ("energy", Commodity.ELECTRICITY): "Prezzo dell'energia elettrica",
    ("energy", Commodity.GAS): "Prezzo della materia prima gas",
    ("retail_fee", Commodity.ELECTRICITY): "Quota fissa di commercializzazione",
    ("retail_fee", Commodity.GAS): "Quota fissa di commercializzazione",
}


def address_lines(customer: Customer) -> tuple[str, ...]:
    return (customer.street, f"{customer.postcode} {customer.city} ({customer.province})")


def common_context(
    *, contract: Contract, customer: Customer, supply_point: SupplyPoint, letter_date: date, reference: str,
) -> dict[str, Any]:
    """The keys every letter needs (letters.kinds.COMMON_KEYS)."""
    return {
        "letter_date": letter_date,
        "reference": reference,
        "contract_number": contract.external_id,
        "recipient_name": customer.display_name,
        "address_lines": address_lines(customer),
        "customer_kind": customer.kind.value,
        "commodity": contract.commodity.value,
        "supply_point": supply_point.code,
        "supply_address": f"{supply_point.street}, {supply_point.postcode} {supply_point.city} ({supply_point.province})",
    }


def price_lines(*, prices: list[OfferPrice], commodity: Commodity, on: date) -> tuple[PriceLine, ...]:
    """The offer's prices in force on ``on`` (half-open validity), in a stable order."""
    lines = []
    for price in prices:
        if price.valid_from <= on and (price.valid_to is None or on < price.valid_to):
            label = _LABELS.get((price.component, commodity), price.component.replace("_", " ").capitalize())
            lines.append(PriceLine(label=label, amount=price.amount, unit=_UNITS.get(price.unit, price.unit)))
    return tuple(lines)


def confirmation_context(
    *, contract: Contract, customer: Customer, supply_point: SupplyPoint, letter_date: date,
    offer_name: str, prices: tuple[PriceLine, ...], agency_name: str | None,
) -> dict[str, Any]:
    context = common_context(contract=contract, customer=customer, supply_point=supply_point,
                             letter_date=letter_date, reference=contract.external_id)
    context.update(
        signed_on=contract.signed_on, channel=contract.channel.value, offer_name=offer_name, prices=prices,
        switch_date=contract.switch_date, withdrawal_deadline=contract.withdrawal_deadline,
        agency_name=agency_name, agent_badge=contract.agent_badge,
    )
    return context
