"""Customer cases (withdrawals and disownments), holds, restorations, indemnities, users."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, code_column
from db.types import Money
from protocol.codes import (
    CaseKind,
    CaseOutcome,
    CaseStatus,
    IndemnityKind,
    RequestChannel,
    RestorationStatus,
    Role,
)


class Case(Base):
    """A withdrawal (ripensamento) or a disownment (disconoscimento) of one contract."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_status_reply_due_on", "status", "reply_due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[CaseKind] = code_column(CaseKind, name="case_kind")
    channel: Mapped[RequestChannel] = code_column(RequestChannel, name="request_channel")
    sent_on: Mapped[date | None]
    received_on: Mapped[date]
    counted_on: Mapped[date]  # the date that counts (rulebook 9): sent when provable
    opened_by: Mapped[str] = mapped_column(String(80))
    status: Mapped[CaseStatus] = code_column(CaseStatus, name="case_status")
    missing_fields: Mapped[list[Any]]
    reply_due_on: Mapped[date | None]
    outcome: Mapped[CaseOutcome | None] = code_column(CaseOutcome, name="case_outcome", nullable=True)
    decided_on: Mapped[date | None]
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    replied_on: Mapped[date | None]
    activation_stoppable: Mapped[bool | None]
    tirv_in_time: Mapped[bool | None]
    tirv_note: Mapped[str | None] = mapped_column(Text)
    sportello_finding: Mapped[str | None] = mapped_column(String(16))
    sportello_on: Mapped[date | None]
    conciliation_on: Mapped[date | None]
    rule_set_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]


class CaseDocument(Base):
    """One piece of a disownment file: contract documents, signature, recording, ..."""

    __tablename__ = "case_documents"
    __table_args__ = (UniqueConstraint("case_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    gathered_on: Mapped[date | None]
    finding: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None] = mapped_column(String(500))


class Hold(Base):
    """The block on invoicing, dunning and credit recovery for one contract.

    At most one hold stands per contract (partial unique index on unreleased holds).
    """

    __tablename__ = "holds"
    __table_args__ = (
        Index(
            "uq_holds_contract_id_standing",
            "contract_id",
            unique=True,
            sqlite_where=text("released_at IS NULL"),
            postgresql_where=text("released_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    placed_on: Mapped[date]
    placed_at: Mapped[datetime]
    placed_by: Mapped[str] = mapped_column(String(80))
    released_at: Mapped[datetime | None]
    released_by: Mapped[str | None] = mapped_column(String(80))
    release_reason: Mapped[str | None] = mapped_column(Text)


class Restoration(Base):
    """Returning the supply point to the previous supplier (ripristino, TIRV)."""

    __tablename__ = "restorations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    status: Mapped[RestorationStatus] = code_column(RestorationStatus, name="restoration_status")
    opt_in_required: Mapped[bool]
    opt_in_due_on: Mapped[date | None]
    opted_in_on: Mapped[date | None]
    request_due_on: Mapped[date | None]
    requested_on: Mapped[date | None]
    return_on: Mapped[date | None]
    rebilled_on: Mapped[date | None]
    completed_on: Mapped[date | None]


class Indemnity(Base):
    """An indemnity owed to a customer: the protocol's €25 or TIQV's late-reply amount.

    Unique per (contract, kind) for the protocol's and per (case, kind) for TIQV's, so a
    re-run can never pay twice.
    """

    __tablename__ = "indemnities"
    __table_args__ = (
        UniqueConstraint("case_id", "kind"),
        Index(
            "uq_indemnities_contract_id_protocol",
            "contract_id",
            unique=True,
            sqlite_where=text("kind = 'protocol_153'"),
            postgresql_where=text("kind = 'protocol_153'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    kind: Mapped[IndemnityKind] = code_column(IndemnityKind, name="indemnity_kind")
    amount: Mapped[Decimal] = mapped_column(Money())
    owed_on: Mapped[date]
    credit_note_id: Mapped[int | None] = mapped_column(ForeignKey("credit_notes.id"))
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    rule_set_version: Mapped[str] = mapped_column(String(32))


class User(Base):
    """A person who acts in Sentinella, with the one role that bounds what they may do."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = code_column(Role, name="role")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
