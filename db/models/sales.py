"""The sales side: agencies, their agents and mandates, offers, the opt-out register."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, code_column
from db.types import UnitPrice
from protocol.codes import AgencyStatus, AgentStatus, Commodity


class Agency(Base):
    """An outside sales partner working under a mandate."""

    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    vat_number: Mapped[str] = mapped_column(String(11))
    status: Mapped[AgencyStatus] = code_column(AgencyStatus, name="agency_status")
    status_since: Mapped[date]
    revoked_on: Mapped[date | None]
    revocation_reason: Mapped[str | None] = mapped_column(String(500))
    is_internal: Mapped[bool] = mapped_column(default=False)


class Agent(Base):
    """A badge-carrying seller (consulente energetico) of an agency."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    badge: Mapped[str] = mapped_column(String(16), unique=True)
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    status: Mapped[AgentStatus] = code_column(AgentStatus, name="agent_status")
    badge_valid_from: Mapped[date]
    badge_valid_to: Mapped[date | None]  # half-open: valid while day < badge_valid_to
    trained_on: Mapped[date | None]


class Mandate(Base):
    """The contract under which an agency sells, with its own penalty table."""

    __tablename__ = "mandates"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]  # half-open, None = open-ended
    penalty_table: Mapped[dict[str, Any]]  # nonconformity type -> euros as a string
    revoked_on: Mapped[date | None]


class Offer(Base):
    """A commercial offer a contract is signed on."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    commodity: Mapped[Commodity] = code_column(Commodity, name="commodity")
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]


class OfferPrice(Base):
    """One price component of an offer over a half-open validity period."""

    __tablename__ = "offer_prices"
    __table_args__ = (UniqueConstraint("offer_id", "component", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    component: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(16))  # eur/kWh, eur/Smc, eur/month
    amount: Mapped[Decimal] = mapped_column(UnitPrice())
    valid_from: Mapped[date]
    valid_to: Mapped[date | None]


class OptOutNumber(Base):
    """A number on the public opt-out register (Registro pubblico delle opposizioni)."""

    __tablename__ = "opt_out_numbers"

    phone_e164: Mapped[str] = mapped_column(String(20), primary_key=True)
    registered_on: Mapped[date | None]
    source: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime]
