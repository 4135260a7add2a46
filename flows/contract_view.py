"""Everything customer service needs to see about one contract, as plain data."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db.models import (
    Agency,
    Agent,
    Case,
    Contract,
    ContractEvent,
    CreditNote,
    Customer,
    DunningAction,
    Hold,
    ImportReject,
    Invoice,
    Letter,
    OutboxMessage,
    Payment,
    SepaCollection,
    SupplyPoint,
)
from protocol.errors import SentinellaError


class ContractNotFound(SentinellaError):
    """No contract has that external id, number or supply point."""


def find_contract(session: Session, *, reference: str) -> Contract:
    """The contract named by its external id, its number, or its supply point's live contract.

    Raises ContractNotFound.
    """
    reference = reference.strip()
    conditions = [Contract.external_id == reference]
    if reference.isdigit() and int(reference) < 2**31:  # an INTEGER id, not a phone number
        conditions.append(Contract.id == int(reference))
    found = session.execute(select(Contract).where(or_(*conditions))).scalars().first()
    if found is None:
        found = session.execute(
            select(Contract).join(SupplyPoint, SupplyPoint.id == Contract.supply_point_id)
            .where(SupplyPoint.code == reference.upper().replace(" ", "")).order_by(Contract.id.desc())
        ).scalars().first()
    if found is None:
        raise ContractNotFound(f"no contract {reference!r} (try the external id, e.g. HC-2026-000123, or the POD/PDR)")
    return found


def contract_view(session: Session, *, reference: str) -> dict[str, Any]:
    """The contract with customer, supply point, agency, state, hold, cases, letters, events."""
    contract = find_contract(session, reference=reference)
    customer = session.get(Customer, contract.customer_id)
    supply_point = session.get(SupplyPoint, contract.supply_point_id)
    agency = session.get(Agency, contract.agency_id) if contract.agency_id else None
    agent = session.get(Agent, contract.agent_id) if contract.agent_id else None
    hold = session.execute(
        select(Hold).where(Hold.contract_id == contract.id, Hold.released_at.is_(None))
    ).scalar_one_or_none()
    events = session.execute(
        select(ContractEvent).where(ContractEvent.contract_id == contract.id).order_by(ContractEvent.id)
    ).scalars()
    rejects = session.execute(
        select(ImportReject).where(ImportReject.external_id == contract.external_id).order_by(ImportReject.id)
    ).scalars()
    return {
        "contract": {
            "id": contract.id, "external_id": contract.external_id, "state": contract.state,
            "on_hold": contract.on_hold, "channel": contract.channel, "commodity": contract.commodity,
            "signed_on": contract.signed_on, "offer_code": contract.offer_code,
            "early_execution": contract.early_execution, "annual_consumption": contract.annual_consumption,
            "previous_supplier": contract.previous_supplier, "payment_method": contract.payment_method,
            "iban": contract.iban, "confirmation_due_on": contract.confirmation_due_on,
            "withdrawal_deadline": contract.withdrawal_deadline, "switch_date": contract.switch_date,
            "point_of_no_return": contract.point_of_no_return, "activated_on": contract.activated_on,
            "ended_on": contract.ended_on, "rule_set_version": contract.rule_set_version,
        },
        "customer": {
            "id": customer.id, "kind": customer.kind, "name": customer.display_name,
            "fiscal_code": customer.fiscal_code, "vat_number": customer.vat_number,
            "phone": customer.phone_e164, "email": customer.email, "vulnerable": customer.vulnerable,
            "address": f"{customer.street}, {customer.postcode} {customer.city} ({customer.province})",
        },
        "supply_point": {
            "code": supply_point.code, "commodity": supply_point.commodity,
            "address": f"{supply_point.street}, {supply_point.postcode} {supply_point.city} ({supply_point.province})",
        },
        "agency": None if contract.agency_code is None else {
            "code": contract.agency_code, "name": agency.name if agency else None,
            "status": agency.status if agency else "unknown",
            "agent_badge": contract.agent_badge,
            "agent": f"{agent.first_name} {agent.last_name}" if agent else None,
            "agent_status": agent.status if agent else "unknown",
        },
        "hold": None if hold is None else {
            "placed_on": hold.placed_on, "placed_by": hold.placed_by, "case_id": hold.case_id,
        },
        "cases": [
            {"reference": c.reference, "kind": c.kind, "status": c.status, "received_on": c.received_on,
             "reply_due_on": c.reply_due_on, "outcome": c.outcome}
            for c in session.execute(select(Case).where(Case.contract_id == contract.id).order_by(Case.id)).scalars()
        ],
        "letters": [
            {"kind": l.kind, "written_on": l.written_on, "path": l.path, "sha256": l.sha256}
            for l in session.execute(select(Letter).where(Letter.contract_id == contract.id).order_by(Letter.id)).scalars()
        ],
        **_billing(session, contract_id=contract.id),
        "import_rejects": [
            {"source": r.source, "line": r.line_no, "problems": r.problems, "resolved": r.resolved_at is not None}
            for r in rejects
        ],
        "events": [
            {"at": e.occurred_at, "effective_on": e.effective_on, "kind": e.kind, "from": e.from_state,
             "to": e.to_state, "actor": e.actor, "reason": e.reason, "payload": e.payload}
            for e in events
        ],
    }


def _billing(session: Session, *, contract_id: int) -> dict[str, list[dict[str, Any]]]:
    """Bills with what was paid, collected and dunned; credit notes; outbound messages."""
    paid = dict(session.execute(select(Payment.invoice_id, Payment.paid_on).join(Invoice, Invoice.id == Payment.invoice_id)
                                .where(Invoice.contract_id == contract_id)).all())
    collections = {c.invoice_id: c for c in session.execute(
        select(SepaCollection).where(SepaCollection.contract_id == contract_id)).scalars()}
    dunning: dict[int, list[str]] = {}
    for action in session.execute(select(DunningAction).where(DunningAction.contract_id == contract_id)
                                  .order_by(DunningAction.id)).scalars():
        dunning.setdefault(action.invoice_id, []).append(f"{action.step.value} {action.issued_on.isoformat()}")
    invoices = session.execute(select(Invoice).where(Invoice.contract_id == contract_id).order_by(Invoice.id)).scalars()
    return {
        "invoices": [
            {"number": i.number, "kind": i.kind, "status": i.status, "period_start": i.period_start,
             "period_end": i.period_end, "issued_on": i.issued_on, "due_on": i.due_on, "total": i.total,
             "paid_on": paid.get(i.id),
             "sepa": None if i.id not in collections else
             f"{collections[i.id].status} {collections[i.id].collect_on.isoformat()} ({collections[i.id].batch_reference})",
             "dunning": dunning.get(i.id, [])}
            for i in invoices
        ],
        "credit_notes": [
            {"number": n.number, "kind": n.kind, "issued_on": n.issued_on, "amount": n.amount, "reason": n.reason}
            for n in session.execute(select(CreditNote).where(CreditNote.contract_id == contract_id)
                                     .order_by(CreditNote.id)).scalars()
        ],
        "outbox": [
            {"kind": m.kind, "destination": m.destination, "status": m.status, "queued_on": m.queued_on,
             "key": m.idempotency_key}
            for m in session.execute(select(OutboxMessage).where(OutboxMessage.contract_id == contract_id)
                                     .order_by(OutboxMessage.id)).scalars()
        ],
    }
