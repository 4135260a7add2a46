"""The records of the synthetic book: plain frozen dataclasses, one per table row.

Every record's fields are named exactly as the columns of its table (``RECORD_TABLES`` maps
each record type to its table name), so the seeder can insert them without a mapping layer.
Primary keys are assigned by the generator (1, 2, 3, ... per table) so foreign keys are known
without round trips. Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from protocol.codes import (
    AgencyStatus,
    AgentStatus,
    Channel,
    Commodity,
    ContractState,
    CustomerKind,
    PaymentMethod,
    Role,
)


class AgencyQuality(StrEnum):
    """Hidden truth about how an agency sells; never written to the database."""

    CLEAN = "clean"
    SLOPPY = "sloppy"
    FRAUDULENT = "fraudulent"
    INTERNAL = "internal"


@dataclass(frozen=True, slots=True)
class AgencyRecord:
    id: int
    code: str
    name: str
    vat_number: str
    status: AgencyStatus
    status_since: date
    revoked_on: date | None
    revocation_reason: str | None
    is_internal: bool


@dataclass(frozen=True, slots=True)
class AgentRecord:
    id: int
    agency_id: int
    badge: str
    first_name: str
    last_name: str
    status: AgentStatus
    badge_valid_from: date
    badge_valid_to: date | None
    trained_on: date | None


@dataclass(frozen=True, slots=True)
class MandateRecord:
    id: int
    agency_id: int
    reference: str
    valid_from: date
    valid_to: date | None
    penalty_table: Mapping[str, str]
    revoked_on: date | None


@dataclass(frozen=True, slots=True)
class OfferRecord:
    id: int
    code: str
    name: str
    commodity: Commodity
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class OfferPriceRecord:
    id: int
    offer_id: int
    component: str
    unit: str
    amount: Decimal
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class UserRecord:
    id: int
    username: str
    full_name: str
    role: Role
    password_hash: str | None
    active: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    id: int
    kind: CustomerKind
    first_name: str | None
    last_name: str | None
    company_name: str | None
    fiscal_code: str
    vat_number: str | None
    phone_e164: str
    email: str | None
    vulnerable: bool
    employees: int | None
    turnover_eur: Decimal | None
    street: str
    postcode: str
    city: str
    province: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class SupplyPointRecord:
    id: int
    code: str
    commodity: Commodity
    customer_id: int
    street: str
    postcode: str
    city: str
    province: str
    distributor: str | None


@dataclass(frozen=True, slots=True)
class ContractRecord:
    id: int
    external_id: str
    customer_id: int
    supply_point_id: int
    offer_id: int | None
    offer_code: str
    agency_id: int | None
    agent_id: int | None
    agency_code: str | None
    agent_badge: str | None
    channel: Channel
    commodity: Commodity
    signed_on: date
    state: ContractState
    on_hold: bool
    early_execution: bool
    annual_consumption: int
    previous_supplier: str | None
    payment_method: PaymentMethod
    iban: str | None
    phone_consent: bool | None
    confirmation_due_on: date | None
    withdrawal_deadline: date | None
    switch_date: date | None
    point_of_no_return: date | None
    activated_on: date | None
    ended_on: date | None
    rule_set_version: str
    source_sha256: str | None  # of an imported record; None: the book is not imported
    created_at: datetime
    updated_at: datetime
    version: int


@dataclass(frozen=True, slots=True)
class TruthRecord:
    """The hidden ground truth of one contract (table ``synthetic_truths``)."""

    contract_id: int
    unsolicited: bool
    forged: bool
    sloppy_documents: bool
    customer_will_withdraw: bool
    customer_pays_late: bool


@dataclass(frozen=True, slots=True)
class OptOutRecord:
    """A number on the public opt-out register (Registro pubblico delle opposizioni)."""

    phone_e164: str
    registered_on: date | None
    source: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class SalesChunk:
    """A slice of the contract stream, in id order; every id is new in its table."""

    customers: tuple[CustomerRecord, ...]
    supply_points: tuple[SupplyPointRecord, ...]
    contracts: tuple[ContractRecord, ...]
    truths: tuple[TruthRecord, ...]
    opt_outs: tuple[OptOutRecord, ...]


@dataclass(frozen=True, slots=True)
class ReferenceData:
    """Everything that is not a sale: the sales network, the offers and the users."""

    agencies: tuple[AgencyRecord, ...]
    agency_quality: Mapping[int, AgencyQuality]  # hidden truth: agency id -> quality
    agents: tuple[AgentRecord, ...]
    mandates: tuple[MandateRecord, ...]
    offers: tuple[OfferRecord, ...]
    offer_prices: tuple[OfferPriceRecord, ...]
    users: tuple[UserRecord, ...]


@dataclass(frozen=True, slots=True)
class SyntheticBook:
    """A whole synthetic book; ``agency_quality`` and ``truths`` are the hidden truth."""

    agencies: tuple[AgencyRecord, ...]
    agency_quality: Mapping[int, AgencyQuality]
    agents: tuple[AgentRecord, ...]
    mandates: tuple[MandateRecord, ...]
    offers: tuple[OfferRecord, ...]
    offer_prices: tuple[OfferPriceRecord, ...]
    users: tuple[UserRecord, ...]
    customers: tuple[CustomerRecord, ...]
    supply_points: tuple[SupplyPointRecord, ...]
    contracts: tuple[ContractRecord, ...]
    truths: tuple[TruthRecord, ...]
    opt_outs: tuple[OptOutRecord, ...]


RECORD_TABLES: Mapping[type, str] = {
    AgencyRecord: "agencies",
    AgentRecord: "agents",
    MandateRecord: "mandates",
    OfferRecord: "offers",
    OfferPriceRecord: "offer_prices",
    UserRecord: "users",
    CustomerRecord: "customers",
    SupplyPointRecord: "supply_points",
    ContractRecord: "contracts",
    TruthRecord: "synthetic_truths",
    OptOutRecord: "opt_out_numbers",
}
