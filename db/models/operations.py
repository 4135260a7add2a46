"""Operational tables: the outbox and the record of daily-cycle steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, code_column
from protocol.codes import OutboxStatus


class OutboxMessage(Base):
    """An outbound message (SII, distributor, previous supplier, billing instruction).

    Written in the same transaction as the change that causes it; the idempotency key is
    unique, so a re-run can never queue, and so never send, the same message twice.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    destination: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(48))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contracts.id"), index=True)
    payload: Mapped[dict[str, Any]]
    status: Mapped[OutboxStatus] = code_column(OutboxStatus, name="outbox_status")
    queued_on: Mapped[date]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    acknowledged_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


class DailyRunStep(Base):
    """One step of the daily cycle for one date, with its summary; re-runs resume here."""

    __tablename__ = "daily_run_steps"
    __table_args__ = (UniqueConstraint("as_of", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date]
    step: Mapped[str] = mapped_column(String(48))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    summary: Mapped[dict[str, Any]]
