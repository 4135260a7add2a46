"""Re-billing the supplied period after a restoration (rulebook 6), in the caller's transaction.

Every regular bill of the contract is cancelled by a storno credit note (series ``NCS``) and
re-issued at the reduced regulated conditions of its period; a supplied period never billed
(the hold stood) gets its bill at those conditions directly. What the customer had paid on a
cancelled bill goes to its re-issue; any excess is refunded (credit note ``NCR`` and a bank
transfer instruction through the outbox); what is still owed has a new due date, so no
dunning can start before it. Idempotent: the unique keys on credit notes (one per invoice)
and on invoices (contract, kind, period) make a second run write nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contract, Customer, CreditNote, Indemnity, Invoice, InvoiceLine, Payment
from db.regulated_prices import regulated_price_table
from db.sequences import next_number
from flows.outbox import queue_message
from protocol.billing import InvoiceLineDraft, Period, billing_frequency, billing_periods, due_on, invoice_total
from protocol.calendar import WorkingCalendar
from protocol.codes import CreditNoteKind, IndemnityKind, InvoiceComponent, InvoiceKind, InvoiceStatus
from protocol.rebilling import regulated_invoice_lines
from protocol.ruleset import RuleSet

INVOICE_SERIES, STORNO_SERIES, REFUND_SERIES = "FT", "NCS", "NCR"
TIQV_TEXT = "Indennizzo automatico per risposta tardiva al reclamo (TIQV), fuori campo IVA"


@dataclass
class Rebilled:
    rows: list[dict] = field(default_factory=list)  # for the letter: one per re-issued bill
    stornos: int = 0
    refund_total: Decimal = Decimal("0.00")
    owed_total: Decimal = Decimal("0.00")


def _number(session: Session, series: str, year: int) -> str:
    return f"{series}-{year}-{next_number(session, series=series, year=year):08d}"


def _issue(session: Session, *, contract: Contract, period: Period, lines: list[InvoiceLineDraft], as_of: date,
           rules: RuleSet, calendar: WorkingCalendar, replaces: Invoice | None) -> Invoice:
    invoice = Invoice(number=_number(session, INVOICE_SERIES, as_of.year), contract_id=contract.id,
                      kind=InvoiceKind.REISSUE, status=InvoiceStatus.ISSUED, period_start=period.start,
                      period_end=period.end, issued_on=as_of, due_on=due_on(issued_on=as_of, rules=rules,
                                                                             calendar=calendar),
                      total=invoice_total(lines), replaces_invoice_id=replaces.id if replaces else None,
                      rule_set_version=rules.version)
    session.add(invoice)
    session.flush()
    session.add_all(InvoiceLine(invoice_id=invoice.id, component=line.component, description=line.description_it,
                                quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=line.amount)
                    for line in lines)
    return invoice


def _settle(session: Session, *, original: Invoice | None, reissue: Invoice, contract: Contract, case_reference: str,
            as_of: date, now: datetime, result: Rebilled) -> None:
    paid = Decimal("0.00")
    if original is not None:
        paid = sum(session.execute(select(Payment.amount).where(Payment.invoice_id == original.id)).scalars(),
                   Decimal("0.00"))
    applied = min(paid, max(reissue.total, Decimal("0.00")))
    if applied:
        session.add(Payment(invoice_id=reissue.id, paid_on=as_of, amount=applied, method="storno_transfer"))
    if reissue.total <= applied:
        reissue.status = InvoiceStatus.PAID
    else:
        result.owed_total += reissue.total - applied
    excess = paid - applied
    if excess > 0:
        note = CreditNote(number=_number(session, REFUND_SERIES, as_of.year), series=REFUND_SERIES,
                          kind=CreditNoteKind.REFUND, contract_id=contract.id, invoice_id=reissue.id, issued_on=as_of,
                          amount=excess, reason=f"rimborso di quanto pagato in più sulla fattura {original.number}, "
                                                f"riemessa come {reissue.number} ({case_reference})")
        session.add(note)
        queue_message(session, key=f"billing:refund:{note.number}", destination="bank", kind="refund_transfer",
                      contract_id=contract.id, queued_on=as_of, now=now,
                      payload={"credit_note": note.number, "amount": str(excess), "contract": contract.external_id})
        result.refund_total += excess
    result.rows.append({"period_start": reissue.period_start, "period_end": reissue.period_end,
                        "cancelled": original.number if original else None, "number": reissue.number,
                        "total": reissue.total, "due_on": reissue.due_on, "owed": reissue.status is InvoiceStatus.ISSUED})


def rebill_supplied_period(session: Session, *, contract: Contract, case_id: int, case_reference: str, return_on: date,
                           as_of: date, now: datetime, rules: RuleSet, calendar: WorkingCalendar) -> Rebilled:
    """Storno and re-issue every bill of ``[activated_on, return_on)``. Raises
    ``MissingRegulatedPrice`` (nothing written: the caller's transaction rolls back)."""
    result = Rebilled()
    if contract.activated_on is None or contract.activated_on >= return_on:
        return result
    customer = session.get(Customer, contract.customer_id)
    prices = regulated_price_table(session)
    originals = {i.period_start: i for i in session.execute(
        select(Invoice).where(Invoice.contract_id == contract.id, Invoice.kind == InvoiceKind.REGULAR)
        .order_by(Invoice.period_start)).scalars()}
    frequency = billing_frequency(customer_kind=customer.kind, commodity=contract.commodity, rules=rules)
    periods = billing_periods(active_from=contract.activated_on, until=return_on, frequency=frequency,
                              ended_on=return_on)
    pending_tiqv = session.execute(select(Indemnity).where(
        Indemnity.contract_id == contract.id, Indemnity.kind == IndemnityKind.TIQV_LATE_REPLY,
        Indemnity.invoice_id.is_(None), Indemnity.credit_note_id.is_(None))).scalars().all()
    for index, period in enumerate(periods):
        original = originals.pop(period.start, None)
        lines = list(regulated_invoice_lines(commodity=contract.commodity, customer_kind=customer.kind,
                                             annual=contract.annual_consumption, period=period, prices=prices,
                                             rules=rules))
        if index == 0:
            lines += [InvoiceLineDraft(component=InvoiceComponent.INDEMNITY, description_it=TIQV_TEXT,
                                       quantity=Decimal(1), unit="€", unit_price=-t.amount, amount=-t.amount)
                      for t in pending_tiqv]
        if original is not None and original.status is not InvoiceStatus.CANCELLED:
            session.add(CreditNote(number=_number(session, STORNO_SERIES, as_of.year), series=STORNO_SERIES,
                                   kind=CreditNoteKind.STORNO, contract_id=contract.id, invoice_id=original.id,
                                   case_id=case_id, issued_on=as_of, amount=original.total,
                                   reason=f"storno della fattura {original.number}: contratto non richiesto "
                                          f"({case_reference}), riemessa a condizioni di tutela ridotte"))
            original.status = InvoiceStatus.CANCELLED
            result.stornos += 1
        reissue = _issue(session, contract=contract, period=period, lines=lines, as_of=as_of, rules=rules,
                         calendar=calendar, replaces=original)
        if index == 0:
            for tiqv in pending_tiqv:
                tiqv.invoice_id = reissue.id
        _settle(session, original=original, reissue=reissue, contract=contract, case_reference=case_reference,
                as_of=as_of, now=now, result=result)
    return result
