"""The protocol's €25 indemnity (rulebook 7): one credit note, separate from any bill, in its
own series ``NCP``, exactly once per contract, when every condition holds: the customer in
153/2012 scope, the disownment accepted, activation no longer stoppable, at least one bill
issued. The partial unique index on ``indemnities`` makes a second payment impossible."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.events import record_event
from db.models import Case, Contract, CreditNote, Customer, Indemnity, Invoice
from db.sequences import next_number
from protocol.codes import CaseOutcome, CreditNoteKind, IndemnityKind, InvoiceKind
from protocol.complaints import protocol_indemnity_due
from protocol.ruleset import RuleSet
from protocol.scope import in_protocol_scope

SERIES = "NCP"


def pay_protocol_indemnity(session: Session, *, case: Case, contract: Contract, as_of: date, now: datetime,
                           actor: str, rules: RuleSet) -> CreditNote | None:
    """The credit note, if the indemnity is due and not yet paid; None otherwise."""
    if session.execute(select(Indemnity.id).where(Indemnity.contract_id == contract.id,
                                                  Indemnity.kind == IndemnityKind.PROTOCOL_153)).first():
        return None
    customer = session.get(Customer, contract.customer_id)
    scope = in_protocol_scope(customer_kind=customer.kind, commodity=contract.commodity,
                              vulnerable=customer.vulnerable, employees=customer.employees,
                              turnover_eur=customer.turnover_eur, rules=rules)
    bills = session.execute(select(func.count()).where(Invoice.contract_id == contract.id,
                                                       Invoice.kind == InvoiceKind.REGULAR)).scalar_one()
    amount = protocol_indemnity_due(in_scope=scope.in_scope, accepted=case.outcome is CaseOutcome.ACCEPTED,
                                    activation_stoppable=bool(case.activation_stoppable), bills_issued=bills,
                                    rules=rules)
    if amount is None:
        record_event(session, contract=contract, kind="protocol_indemnity_not_due", actor=actor, occurred_at=now,
                     effective_on=as_of, rule_set_version=rules.version, payload={"case": case.reference},
                     reason=f"no €{rules.protocol_indemnity.amount_eur} indemnity: {scope.reason}; "
                            f"{bills} bill(s) issued; activation {'stoppable' if case.activation_stoppable else 'not stoppable'}")
        return None
    note = CreditNote(number=f"{SERIES}-{as_of.year}-{next_number(session, series=SERIES, year=as_of.year):08d}",
                      series=SERIES, kind=CreditNoteKind.PROTOCOL_INDEMNITY, contract_id=contract.id, case_id=case.id,
                      issued_on=as_of, amount=amount,
                      reason=f"indennizzo del Protocollo di autoregolazione (art. 8) per contratto non richiesto, "
                             f"pratica {case.reference}")
    session.add(note)
    session.flush()
    session.add(Indemnity(contract_id=contract.id, case_id=case.id, kind=IndemnityKind.PROTOCOL_153, amount=amount,
                          owed_on=as_of, credit_note_id=note.id, rule_set_version=rules.version))
    record_event(session, contract=contract, kind="protocol_indemnity_paid", actor=actor, occurred_at=now,
                 effective_on=as_of, rule_set_version=rules.version,
                 payload={"case": case.reference, "credit_note": note.number, "amount": str(amount)},
                 reason=f"€{amount} protocol indemnity by credit note {note.number} ({scope.reason})")
    return note
