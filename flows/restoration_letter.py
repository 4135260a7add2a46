"""The letter that closes a restoration: return date, re-issued bills, refund, indemnity."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Case, Contract, CreditNote, Customer, Invoice, Restoration, SupplyPoint
from flows.letter_contexts import common_context
from flows.letter_writer import write_letter
from flows.settings import Settings
from letters.parallel import inline_renderer
from protocol.codes import CreditNoteKind, InvoiceKind, InvoiceStatus
from protocol.ruleset import RuleSet


def write_restoration_letter(session: Session, *, case: Case, contract: Contract, restoration: Restoration,
                             as_of: date, now: datetime, rules: RuleSet, settings: Settings) -> str | None:
    reissues = session.execute(select(Invoice).where(Invoice.contract_id == contract.id,
                                                     Invoice.kind == InvoiceKind.REISSUE)
                               .order_by(Invoice.period_start)).scalars().all()
    replaced = {i.id: i.number for i in session.execute(select(Invoice).where(
        Invoice.id.in_([r.replaces_invoice_id for r in reissues if r.replaces_invoice_id]))).scalars()}
    notes = session.execute(select(CreditNote).where(CreditNote.contract_id == contract.id)).scalars().all()
    indemnity = next((n for n in notes if n.kind is CreditNoteKind.PROTOCOL_INDEMNITY), None)
    owed = sum((r.total for r in reissues if r.status is InvoiceStatus.ISSUED), Decimal("0.00"))
    customer = session.get(Customer, contract.customer_id)
    point = session.get(SupplyPoint, contract.supply_point_id)
    context = common_context(contract=contract, customer=customer, supply_point=point, letter_date=as_of,
                             reference=case.reference)
    context.update(
        request_received_on=case.received_on, return_on=restoration.return_on,
        previous_supplier=contract.previous_supplier,
        rebilled=[{"period_start": r.period_start, "period_end": r.period_end,
                   "cancelled": replaced.get(r.replaces_invoice_id), "number": r.number, "total": r.total,
                   "due_on": r.due_on, "owed": r.status is InvoiceStatus.ISSUED} for r in reissues],
        refund_total=sum((n.amount for n in notes if n.kind is CreditNoteKind.REFUND), Decimal("0.00")) or None,
        owed_total=owed or None,
        indemnity_note=indemnity.number if indemnity else None,
        indemnity_amount=indemnity.amount if indemnity else None,
    )
    letter = write_letter(session, renderer=inline_renderer(), letters_dir=settings.letters_dir, contract=contract,
                          kind="restoration_completed", event_key=f"restoration:{case.reference}", context=context,
                          written_on=as_of, now=now, rule_set_version=rules.version, case_id=case.id)
    return letter.path if letter else None
