"""The SEPA direct-debit batch (rulebook 2.5, 5): present bills for collection, collect them.

Every day, in one resumable run: each unpaid bill of a SEPA contract gets a pending
collection on its due date, in the day's batch ``SDD-YYYYMMDD``; a collection withdrawn by a
disownment is presented again once the hold is released (the bill is still owed); and the
pending collections that fall due are collected (a payment, the bill paid). Each batch locks
the contracts' rows: nothing is presented or collected for a contract on hold.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from sqlalchemy import Engine, or_, select

from db.engine import transaction
from db.models import Contract, Invoice, Payment, SepaCollection
from flows.billing_runs import record_batch, run_in_batches
from flows.contract_locks import lock_contracts
from flows.steps import StepSummary
from protocol.codes import InvoiceStatus, PaymentMethod

BATCH = 1000
REPRESENT_AFTER_DAYS = 5  # pre-notification before a withdrawn collection is presented again (default)


def batch_reference(as_of: date) -> str:
    return f"SDD-{as_of:%Y%m%d}"


def _candidates(*, as_of: date, after: int):
    """Unpaid SEPA bills with no live collection, and pending collections falling due."""
    return (select(Invoice.id, Invoice.contract_id, Invoice.due_on, Invoice.total, SepaCollection.id.label("sdd"),
                   SepaCollection.status, SepaCollection.collect_on)
            .join(Contract, Contract.id == Invoice.contract_id)
            .outerjoin(SepaCollection, SepaCollection.invoice_id == Invoice.id)
            .where(Invoice.status == InvoiceStatus.ISSUED, Invoice.total > 0, Invoice.issued_on <= as_of,
                   Contract.payment_method == PaymentMethod.SEPA, Invoice.id > after,
                   or_(SepaCollection.id.is_(None), SepaCollection.status == "withdrawn",
                       (SepaCollection.status == "pending") & (SepaCollection.collect_on <= as_of)))
            .order_by(Invoice.id).limit(BATCH))


def _batch(rows: list, *, wait: bool, run_id: int, last_key: int, engine: Engine, as_of: date, now: datetime,
           summary: StepSummary) -> list:
    with transaction(engine) as session:
        locked = lock_contracts(session, contract_ids={row.contract_id for row in rows}, wait=wait)
        for row in rows:
            if row.contract_id not in locked.free:
                summary.to_review += row.contract_id in locked.on_hold
                continue
            if row.sdd is None:
                session.add(SepaCollection(invoice_id=row.id, contract_id=row.contract_id, amount=row.total,
                                           batch_reference=batch_reference(as_of), collect_on=max(row.due_on, as_of),
                                           status="pending"))
            elif row.status == "withdrawn":
                collection = session.get(SepaCollection, row.sdd)
                collection.status, collection.withdrawn_at = "pending", None
                collection.batch_reference = batch_reference(as_of)
                collection.collect_on = max(row.due_on, as_of + timedelta(days=REPRESENT_AFTER_DAYS))
            else:
                session.get(SepaCollection, row.sdd).status = "collected"
                session.add(Payment(invoice_id=row.id, paid_on=row.collect_on, amount=row.total, method="sepa"))
                session.get(Invoice, row.id).status = InvoiceStatus.PAID
            summary.changed += 1
        record_batch(session, run_id=run_id, last_key=last_key, processed=len(rows),
                     skipped_on_hold=sum(row.contract_id in locked.on_hold for row in rows))
    return [row for row in rows if row.contract_id in locked.busy]


def run_sepa_batch(*, engine: Engine, as_of: date, now: datetime, on_batch=None) -> StepSummary:
    """Present and collect the day's direct debits; ``to_review`` counts bills on hold."""
    summary = StepSummary(step="sepa collections")
    return run_in_batches(
        engine=engine, kind="sepa", as_of=as_of, now=now, summary=summary, on_batch=on_batch,
        candidates=lambda session, after: session.execute(_candidates(as_of=as_of, after=after)).all(),
        key=lambda row: row.id, process=partial(_batch, engine=engine, as_of=as_of, now=now, summary=summary))
