"""The dunning run (rulebook 2.5, 5): the next step of the ladder for each overdue bill.

Batched by invoice id and resumable. Each batch locks the contracts' rows and takes no step
for a contract on hold: no reminder, formal notice, suspension request or hand-over to debt
collection while a disownment stands. Bills being collected by SEPA are not dunned; a credit
or zero bill never is. Reminders and formal notices go to the customer, suspension requests
to the distributor and hand-overs to the debt collector, all through the outbox.
"""

from __future__ import annotations

from collections import defaultdict
from functools import partial
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, exists, select

from db.engine import transaction
from db.events import record_event
from db.models import Contract, DunningAction, Invoice, SepaCollection
from flows.billing_runs import record_batch, run_in_batches
from flows.contract_locks import lock_contracts
from flows.outbox import queue_message
from flows.steps import StepSummary
from protocol.codes import DunningStep, InvoiceStatus
from protocol.dunning import LADDER, next_dunning_step
from protocol.ruleset import RuleSet

BATCH = 1000
DESTINATION = {
    DunningStep.REMINDER: "customer", DunningStep.FORMAL_NOTICE: "customer",
    DunningStep.SUSPENSION_REQUEST: "distributor", DunningStep.DEBT_COLLECTION: "debt-collector",
}
_RECORDED_AS_EVENT = (DunningStep.SUSPENSION_REQUEST, DunningStep.DEBT_COLLECTION)


def _candidates(*, as_of: date, rules: RuleSet, after: int):
    first_delay = rules.billing.dunning_days_after_due[LADDER[0]]
    collected_by_sepa = exists().where(SepaCollection.invoice_id == Invoice.id,
                                       SepaCollection.status.in_(("pending", "collected")))
    finished = exists().where(DunningAction.invoice_id == Invoice.id, DunningAction.step == LADDER[-1])
    return (select(Invoice.id, Invoice.contract_id, Invoice.due_on, Invoice.number, Invoice.total)
            .where(Invoice.status == InvoiceStatus.ISSUED, Invoice.total > 0, Invoice.id > after,
                   Invoice.due_on <= as_of - timedelta(days=first_delay), ~collected_by_sepa, ~finished)
            .order_by(Invoice.id).limit(BATCH))


def _steps_taken(session, invoice_ids: list[int]) -> dict[int, list[tuple[DunningStep, date]]]:
    taken: dict[int, list[tuple[DunningStep, date]]] = defaultdict(list)
    for invoice_id, step, issued_on in session.execute(
        select(DunningAction.invoice_id, DunningAction.step, DunningAction.issued_on)
        .where(DunningAction.invoice_id.in_(invoice_ids))
    ):
        taken[invoice_id].append((step, issued_on))
    return taken


def _batch(rows: list, *, wait: bool, run_id: int, last_key: int, engine: Engine, as_of: date, now: datetime,
           rules: RuleSet, actor: str, summary: StepSummary) -> list:
    with transaction(engine) as session:
        locked = lock_contracts(session, contract_ids={row.contract_id for row in rows}, wait=wait)
        taken = _steps_taken(session, [row.id for row in rows if row.contract_id in locked.free])
        for row in rows:
            if row.contract_id not in locked.free:
                summary.to_review += row.contract_id in locked.on_hold
                continue
            steps = taken.get(row.id, [])
            step = next_dunning_step(due_on=row.due_on, as_of=as_of, paid=False, on_hold=False, rules=rules,
                                     steps_taken=frozenset(s for s, _ in steps),
                                     last_step_on=max((on for _, on in steps), default=None))
            if step is None:
                summary.unchanged += 1
                continue
            session.add(DunningAction(invoice_id=row.id, contract_id=row.contract_id, step=step, issued_on=as_of,
                                      billing_run_id=run_id))
            queue_message(session, key=f"dunning:{row.number}:{step.value}", destination=DESTINATION[step],
                          kind=f"dunning_{step.value}", contract_id=row.contract_id, queued_on=as_of, now=now,
                          payload={"invoice": row.number, "due_on": row.due_on.isoformat(), "step": step.value,
                                   "amount": str(row.total)})
            if step in _RECORDED_AS_EVENT:
                record_event(session, contract=session.get(Contract, row.contract_id), kind=f"dunning_{step.value}",
                             actor=actor, occurred_at=now, effective_on=as_of, rule_set_version=rules.version,
                             reason=f"bill {row.number} due on {row.due_on} is unpaid: {step.value.replace('_', ' ')}",
                             payload={"invoice": row.number})
            summary.changed += 1
            summary.messages += 1
        record_batch(session, run_id=run_id, last_key=last_key, processed=len(rows),
                     skipped_on_hold=sum(row.contract_id in locked.on_hold for row in rows))
    return [row for row in rows if row.contract_id in locked.busy]


def run_dunning(*, engine: Engine, as_of: date, rules: RuleSet, now: datetime, actor: str = "daily-cycle",
                on_batch=None) -> StepSummary:
    """Take the dunning steps due on ``as_of``; ``to_review`` counts bills skipped on hold."""
    summary = StepSummary(step="dunning")
    return run_in_batches(
        engine=engine, kind="dunning", as_of=as_of, now=now, summary=summary, on_batch=on_batch,
        candidates=lambda session, after: session.execute(_candidates(as_of=as_of, rules=rules, after=after)).all(),
        key=lambda row: row.id,
        process=partial(_batch, engine=engine, as_of=as_of, now=now, rules=rules, actor=actor, summary=summary))
