"""Simulated customers paying their postal-slip bills (the demo and the tests).

Reproducible: each bill's fate follows from a hash of the seed and its number. Most pay in
the days before the due date, some late (the dunning ladder meets them), a few never (they
reach debt collection). A customer whose contract is on hold does not pay a bill they say
they never asked for. SEPA bills are paid by the collection batch, not here.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import Contract, Invoice, Payment
from flows.steps import StepSummary
from protocol.codes import InvoiceStatus, PaymentMethod

ON_TIME_PER_MILLE, LATE_PER_MILLE = 800, 150  # the rest never pay (simulation parameters)
LOOK_BACK_DAYS = 200


def payment_date(*, number: str, issued_on: date, due_on: date, seed: int) -> date | None:
    """When the customer pays bill ``number``, or None if they never do."""
    digest = hashlib.sha256(f"{seed}:{number}".encode()).digest()
    fate, spread = int.from_bytes(digest[:4], "big") % 1000, int.from_bytes(digest[4:8], "big")
    if fate < ON_TIME_PER_MILLE:
        return max(issued_on + timedelta(days=1), due_on - timedelta(days=spread % 12))
    if fate < ON_TIME_PER_MILLE + LATE_PER_MILLE:
        return due_on + timedelta(days=12 + spread % 60)
    return None


def simulate_payments(*, engine: Engine, as_of: date, now: datetime, seed: int = 7) -> StepSummary:
    """Record the payments that fall on or before ``as_of`` for bills still unpaid."""
    summary = StepSummary(step="simulated payments")
    with transaction(engine) as session:
        rows = session.execute(
            select(Invoice.id, Invoice.number, Invoice.issued_on, Invoice.due_on, Invoice.total)
            .join(Contract, Contract.id == Invoice.contract_id)
            .where(Invoice.status == InvoiceStatus.ISSUED, Invoice.total > 0, Invoice.issued_on < as_of,
                   Invoice.issued_on >= as_of - timedelta(days=LOOK_BACK_DAYS),
                   Contract.payment_method == PaymentMethod.POSTAL_SLIP, Contract.on_hold.is_(False))
            .order_by(Invoice.id)
        ).all()
        for row in rows:
            paid_on = payment_date(number=row.number, issued_on=row.issued_on, due_on=row.due_on, seed=seed)
            if paid_on is None or paid_on > as_of:
                summary.unchanged += 1
                continue
            session.add(Payment(invoice_id=row.id, paid_on=paid_on, amount=row.total, method="postal_slip"))
            session.get(Invoice, row.id).status = InvoiceStatus.PAID
            summary.changed += 1
    return summary
