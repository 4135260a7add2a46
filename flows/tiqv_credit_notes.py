"""TIQV late-reply indemnities for contracts that will never have another bill.

The indemnity is credited on the customer's next bill (``flows.invoicing``). A contract that
will not be billed again (void before activation, or ended with its last period billed)
gets a credit note of its own instead, in series ``NCQ``, once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, func, select

from db.engine import transaction
from db.events import record_event
from db.models import Case, Contract, CreditNote, Indemnity, Invoice
from db.sequences import next_number
from flows.steps import StepSummary
from protocol.codes import CreditNoteKind, IndemnityKind, InvoiceKind

SERIES = "NCQ"


def _never_billed_again(contract: Contract, last_billed_end: date | None) -> bool:
    if not contract.state.is_final:
        return False
    if contract.activated_on is None:
        return True
    return contract.ended_on is not None and last_billed_end is not None and last_billed_end >= contract.ended_on


def credit_unbillable_indemnities(*, engine: Engine, as_of: date, now: datetime, actor: str = "daily-cycle",
                                  rule_set_version: str | None = None) -> StepSummary:
    summary = StepSummary(step="tiqv credit notes")
    with transaction(engine) as session:
        rows = session.execute(
            select(Indemnity, Contract, Case.reference).join(Contract, Contract.id == Indemnity.contract_id)
            .join(Case, Case.id == Indemnity.case_id)
            .where(Indemnity.kind == IndemnityKind.TIQV_LATE_REPLY, Indemnity.invoice_id.is_(None),
                   Indemnity.credit_note_id.is_(None), Indemnity.owed_on <= as_of)
            .order_by(Indemnity.id).with_for_update(of=Indemnity)
        ).all()
        for indemnity, contract, case_reference in rows:
            last_end = session.execute(select(func.max(Invoice.period_end)).where(
                Invoice.contract_id == contract.id, Invoice.kind == InvoiceKind.REGULAR)).scalar_one()
            if not _never_billed_again(contract, last_end):
                summary.unchanged += 1
                continue
            note = CreditNote(number=f"{SERIES}-{as_of.year}-{next_number(session, series=SERIES, year=as_of.year):08d}",
                              series=SERIES, kind=CreditNoteKind.TIQV_INDEMNITY, contract_id=contract.id,
                              case_id=indemnity.case_id, issued_on=as_of, amount=indemnity.amount,
                              reason=f"indennizzo automatico TIQV per risposta tardiva al reclamo {case_reference}")
            session.add(note)
            session.flush()
            indemnity.credit_note_id = note.id
            record_event(session, contract=contract, kind="tiqv_indemnity_credited", actor=actor, occurred_at=now,
                         effective_on=as_of, rule_set_version=rule_set_version,
                         reason=f"late reply to {case_reference}: €{indemnity.amount} by credit note {note.number}, "
                                "the contract will not be billed again",
                         payload={"credit_note": note.number, "amount": str(indemnity.amount)})
            summary.changed += 1
    return summary
