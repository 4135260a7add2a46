"""What an invoicing batch reads about its contracts, in a handful of set-based queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contract, Customer, Indemnity, Invoice, OfferPrice
from protocol.codes import Commodity, CustomerKind, IndemnityKind, InvoiceKind, PaymentMethod
from protocol.errors import SentinellaError

ENERGY, RETAIL_FEE = "energy", "retail_fee"


class MissingOfferPrice(SentinellaError, LookupError):
    """A contract's offer has no price for a component on the day a period starts."""


@dataclass(frozen=True, kw_only=True)
class BillableContract:
    id: int
    external_id: str
    commodity: Commodity
    customer_kind: CustomerKind
    annual_consumption: int | None
    activated_on: date
    ended_on: date | None
    offer_id: int | None
    payment_method: PaymentMethod


@dataclass(frozen=True, kw_only=True)
class PendingIndemnity:
    id: int
    amount: Decimal
    case_id: int


@dataclass(frozen=True, kw_only=True)
class BatchInputs:
    contracts: dict[int, BillableContract]
    billed_starts: dict[int, set[date]]
    prices: dict[int, list[OfferPrice]]
    indemnities: dict[int, list[PendingIndemnity]]

    def price(self, *, contract: BillableContract, component: str, on: date) -> Decimal:
        """The offer's price of ``component`` in force on ``on``. Raises ``MissingOfferPrice``."""
        for row in self.prices.get(contract.offer_id or -1, ()):
            if row.component == component and row.valid_from <= on and (row.valid_to is None or on < row.valid_to):
                return row.amount
        raise MissingOfferPrice(f"contract {contract.external_id}: offer has no {component} price on {on}")


def load_batch_inputs(session: Session, *, contract_ids: frozenset[int]) -> BatchInputs:
    ids = sorted(contract_ids)
    contracts = {
        row.id: BillableContract(id=row.id, external_id=row.external_id, commodity=row.commodity,
                                 customer_kind=row.kind, annual_consumption=row.annual_consumption,
                                 activated_on=row.activated_on, ended_on=row.ended_on, offer_id=row.offer_id,
                                 payment_method=row.payment_method)
        for row in session.execute(
            select(Contract.id, Contract.external_id, Contract.commodity, Customer.kind, Contract.annual_consumption,
                   Contract.activated_on, Contract.ended_on, Contract.offer_id, Contract.payment_method)
            .join(Customer, Customer.id == Contract.customer_id).where(Contract.id.in_(ids))
        )
    }
    billed: dict[int, set[date]] = defaultdict(set)
    for contract_id, start in session.execute(
        select(Invoice.contract_id, Invoice.period_start)
        .where(Invoice.contract_id.in_(ids), Invoice.kind == InvoiceKind.REGULAR)
    ):
        billed[contract_id].add(start)
    offer_ids = sorted({c.offer_id for c in contracts.values() if c.offer_id is not None})
    prices: dict[int, list[OfferPrice]] = defaultdict(list)
    for price in session.execute(select(OfferPrice).where(OfferPrice.offer_id.in_(offer_ids))).scalars():
        prices[price.offer_id].append(price)
    indemnities: dict[int, list[PendingIndemnity]] = defaultdict(list)
    for row in session.execute(
        select(Indemnity.id, Indemnity.contract_id, Indemnity.amount, Indemnity.case_id)
        .where(Indemnity.contract_id.in_(ids), Indemnity.kind == IndemnityKind.TIQV_LATE_REPLY,
               Indemnity.invoice_id.is_(None), Indemnity.credit_note_id.is_(None))
        .order_by(Indemnity.id)
    ):
        indemnities[row.contract_id].append(PendingIndemnity(id=row.id, amount=row.amount, case_id=row.case_id))
    return BatchInputs(contracts=contracts, billed_starts=billed, prices=prices, indemnities=indemnities)
