"""Sample audits of agency contracts, nonconformities, penalties and corrective actions."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, code_column
from db.types import Money
from protocol.codes import AuditGroup, AuditVerdict, NonconformityType


class AuditBatch(Base):
    """One week's draw for one agency and one population, reproducible from its seed."""

    __tablename__ = "audit_batches"
    __table_args__ = (UniqueConstraint("agency_id", "week_start", "group"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    week_start: Mapped[date]
    group: Mapped[AuditGroup] = code_column(AuditGroup, name="audit_group")
    seed: Mapped[int]
    rate: Mapped[str] = mapped_column(String(16))  # Decimal as text: exact, never float
    population_size: Mapped[int]
    drawn_count: Mapped[int]
    inputs: Mapped[dict[str, Any]]  # population ids, risk figures, rule-set version
    created_at: Mapped[datetime]


class Audit(Base):
    """The audit of one sampled contract: document checks, then the call to the customer."""

    __tablename__ = "audits"
    __table_args__ = (UniqueConstraint("batch_id", "contract_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("audit_batches.id"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    steps: Mapped[dict[str, Any]]  # step name -> {"result": ..., "by": ..., "on": ...}
    verdict: Mapped[AuditVerdict | None] = code_column(AuditVerdict, name="audit_verdict", nullable=True)
    verdict_on: Mapped[date | None]
    verdict_by: Mapped[str | None] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)


class Nonconformity(Base):
    """A finding of incorrect selling against an agency and (when known) its agent."""

    __tablename__ = "nonconformities"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    agent_id: Mapped[int | None] = mapped_column(ForeignKey("agents.id"))
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audits.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    type: Mapped[NonconformityType] = code_column(NonconformityType, name="nonconformity_type")
    serious: Mapped[bool]
    found_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)


class Penalty(Base):
    """The amount an agency owes for one nonconformity, per its mandate's penalty table."""

    __tablename__ = "penalties"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    nonconformity_id: Mapped[int] = mapped_column(ForeignKey("nonconformities.id"), unique=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    accrued_on: Mapped[date]


class CorrectiveAction(Base):
    """A corrective-action plan an agency owes after a formal warning."""

    __tablename__ = "corrective_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    opened_on: Mapped[date]
    due_on: Mapped[date]
    closed_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))  # delivered / missed


class AgencyEvent(Base):
    """Warnings, probation, revocation: every change of an agency's standing."""

    __tablename__ = "agency_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    occurred_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(48))
    actor: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]
    rule_set_version: Mapped[str] = mapped_column(String(32))
