"""Billing: runs, invoices and their lines, payments, dunning, SEPA, credit notes, prices."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, code_column
from db.types import Money, Quantity, UnitPrice
from protocol.codes import (
    Commodity,
    CreditNoteKind,
    DunningStep,
    InvoiceComponent,
    InvoiceKind,
    InvoiceStatus,
)


class BillingRun(Base):
    """An invoicing, dunning or collection run; resumable from its recorded progress."""

    __tablename__ = "billing_runs"
    __table_args__ = (UniqueConstraint("kind", "as_of"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    as_of: Mapped[date]
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    processed: Mapped[int] = mapped_column(default=0)
    skipped_on_hold: Mapped[int] = mapped_column(default=0)
    progress: Mapped[dict[str, Any]]


class Invoice(Base):
    """A bill for one contract and one period; re-issues point to the invoice they replace."""

    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("contract_id", "kind", "period_start"),
        Index("ix_invoices_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    kind: Mapped[InvoiceKind] = code_column(InvoiceKind, name="invoice_kind")
    status: Mapped[InvoiceStatus] = code_column(InvoiceStatus, name="invoice_status")
    period_start: Mapped[date]
    period_end: Mapped[date]  # half-open
    issued_on: Mapped[date]
    due_on: Mapped[date]
    total: Mapped[Decimal] = mapped_column(Money())
    replaces_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"))
    billing_run_id: Mapped[int | None] = mapped_column(ForeignKey("billing_runs.id"))
    rule_set_version: Mapped[str] = mapped_column(String(32))


class InvoiceLine(Base):
    """One component of an invoice: energy, retail fee, network, system charges, taxes."""

    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    component: Mapped[InvoiceComponent] = code_column(InvoiceComponent, name="invoice_component")
    description: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    unit: Mapped[str] = mapped_column(String(16))
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice())
    amount: Mapped[Decimal] = mapped_column(Money())


class Payment(Base):
    """Money received against an invoice."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    paid_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money())
    method: Mapped[str] = mapped_column(String(24))


class DunningAction(Base):
    """One step of the dunning ladder for one overdue invoice."""

    __tablename__ = "dunning_actions"
    __table_args__ = (UniqueConstraint("invoice_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"))
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    step: Mapped[DunningStep] = code_column(DunningStep, name="dunning_step")
    issued_on: Mapped[date]
    billing_run_id: Mapped[int | None] = mapped_column(ForeignKey("billing_runs.id"))


class SepaCollection(Base):
    """A direct-debit collection of one invoice; withdrawn when a hold falls on it."""

    __tablename__ = "sepa_collections"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), unique=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    batch_reference: Mapped[str] = mapped_column(String(40), index=True)
    collect_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money())
    status: Mapped[str] = mapped_column(String(16))  # pending / withdrawn / collected
    withdrawn_at: Mapped[datetime | None]


class CreditNote(Base):
    """A document crediting the customer: storno of an invoice, an indemnity, a refund.

    Indemnity credit notes have their own number series and are never part of a bill.
    """

    __tablename__ = "credit_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)
    series: Mapped[str] = mapped_column(String(8))
    kind: Mapped[CreditNoteKind] = code_column(CreditNoteKind, name="credit_note_kind")
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    issued_on: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money())
    reason: Mapped[str] = mapped_column(Text)


class DocumentSequence(Base):
    """The last number used in each document series (invoices, storno, indemnity notes)."""

    __tablename__ = "document_sequences"

    series: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last_number: Mapped[int] = mapped_column(default=0)


class RegulatedPrice(Base):
    """A regulated price component (maggior tutela / tutela gas) for one quarter."""

    __tablename__ = "regulated_prices"
    __table_args__ = (UniqueConstraint("commodity", "component", "valid_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commodity: Mapped[Commodity] = code_column(Commodity, name="commodity")
    component: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(UnitPrice())
    valid_from: Mapped[date]
    valid_to: Mapped[date]  # half-open
    source: Mapped[str] = mapped_column(Text)
