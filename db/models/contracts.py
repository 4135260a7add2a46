"""Contracts, their append-only event log, switch requests and the import's rejects."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, code_column
from protocol.codes import Channel, Commodity, ContractState, PaymentMethod, SwitchStatus


class Contract(Base):
    """One supply contract for one supply point, in exactly one lifecycle state."""

    __tablename__ = "contracts"
    __table_args__ = (
        Index("ix_contracts_state_signed_on", "state", "signed_on"),
        Index("ix_contracts_agency_id_signed_on", "agency_id", "signed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(40), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    supply_point_id: Mapped[int] = mapped_column(ForeignKey("supply_points.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"))
    offer_code: Mapped[str] = mapped_column(String(32))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"), index=True)
    agency_code: Mapped[str | None] = mapped_column(String(16))
    agent_badge: Mapped[str | None] = mapped_column(String(16))
    channel: Mapped[Channel] = code_column(Channel, name="channel")
    commodity: Mapped[Commodity] = code_column(Commodity, name="commodity")
    signed_on: Mapped[date]
    state: Mapped[ContractState] = code_column(ContractState, name="contract_state")
    on_hold: Mapped[bool] = mapped_column(default=False, index=True)
    early_execution: Mapped[bool] = mapped_column(default=False)
    annual_consumption: Mapped[int | None]  # kWh or Smc a year; None = standard profile
    previous_supplier: Mapped[str | None] = mapped_column(String(120))
    payment_method: Mapped[PaymentMethod] = code_column(PaymentMethod, name="payment_method")
    iban: Mapped[str | None] = mapped_column(String(34))
    phone_consent: Mapped[bool | None]
    confirmation_due_on: Mapped[date | None]
    withdrawal_deadline: Mapped[date | None]
    switch_date: Mapped[date | None]
    point_of_no_return: Mapped[date | None]
    activated_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    rule_set_version: Mapped[str] = mapped_column(String(32))
    source_sha256: Mapped[str | None] = mapped_column(String(64))  # of the imported record
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}


class ContractEvent(Base):
    """An append-only record of something that happened to a contract.

    The migration installs triggers that refuse UPDATE and DELETE on this table.
    """

    __tablename__ = "contract_events"
    __table_args__ = (Index("ix_contract_events_contract_id_id", "contract_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    occurred_at: Mapped[datetime]
    effective_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(48))
    from_state: Mapped[str | None] = mapped_column(String(32))
    to_state: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]
    rule_set_version: Mapped[str | None] = mapped_column(String(32))


class SwitchRequest(Base):
    """A switch of the supply point to us, through the national hub (SII)."""

    __tablename__ = "switch_requests"
    __table_args__ = (UniqueConstraint("contract_id", "switch_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    status: Mapped[SwitchStatus] = code_column(SwitchStatus, name="switch_status")
    send_on: Mapped[date]
    requested_on: Mapped[date | None]
    switch_date: Mapped[date]
    point_of_no_return: Mapped[date]
    acknowledged_on: Mapped[date | None]
    revoked_on: Mapped[date | None]
    revocation_reason: Mapped[str | None] = mapped_column(String(500))


class ImportReject(Base):
    """An import record that failed validation, kept whole with every reason."""

    __tablename__ = "import_rejects"
    __table_args__ = (Index("ix_import_rejects_external_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    line_no: Mapped[int]
    external_id: Mapped[str | None] = mapped_column(String(40))
    raw: Mapped[str] = mapped_column(Text)
    raw_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    problems: Mapped[list[Any]]  # [{"field": ..., "reason": ...}, ...]
    rejected_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by_contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"))


class SyntheticTruth(Base):
    """The hidden ground truth of the synthetic book; read only by the simulators."""

    __tablename__ = "synthetic_truths"

    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    unsolicited: Mapped[bool]
    forged: Mapped[bool]
    sloppy_documents: Mapped[bool]
    customer_will_withdraw: Mapped[bool]
    customer_pays_late: Mapped[bool]


class RuleSetVersion(Base):
    """A rule set that has been in force, kept whole so any decision can be re-read."""

    __tablename__ = "rule_set_versions"

    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[str] = mapped_column(Text)
    first_used_at: Mapped[datetime]
