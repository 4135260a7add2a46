"""The bookkeeping of a batched billing run (invoicing, dunning, SEPA): start, resume, finish.

A run is one row of ``billing_runs`` per (kind, day). Each batch commits its documents and
the run's progress (the last key it handled) in one transaction, so a run that dies half-way
resumes from the next key and a finished run is a no-op when started again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.engine import transaction
from db.models import BillingRun

RUNNING, DONE = "running", "done"


@dataclass(frozen=True, kw_only=True)
class RunStart:
    run_id: int
    last_key: int
    finished: bool
    resumed: bool


def start_run(*, engine: Engine, kind: str, as_of: date, now: datetime) -> RunStart:
    """The run of ``kind`` for ``as_of``: a new one, or the one to resume, or a finished one."""
    for _attempt in range(2):
        with transaction(engine) as session:
            run = session.execute(select(BillingRun).where(BillingRun.kind == kind, BillingRun.as_of == as_of)
                                  ).scalar_one_or_none()
            if run is not None:
                return RunStart(run_id=run.id, last_key=int(run.progress.get("last_key", 0)),
                                finished=run.status == DONE, resumed=run.status != DONE)
        try:
            with transaction(engine) as session:
                run = BillingRun(kind=kind, as_of=as_of, status=RUNNING, started_at=now, processed=0,
                                 skipped_on_hold=0, progress={"last_key": 0})
                session.add(run)
                session.flush()
                return RunStart(run_id=run.id, last_key=0, finished=False, resumed=False)
        except IntegrityError:
            continue  # another worker created it between our read and our insert: read it
    raise RuntimeError(f"could not start the {kind} run of {as_of}")


def record_batch(session: Session, *, run_id: int, last_key: int, processed: int, skipped_on_hold: int) -> None:
    """Advance the run's progress inside the batch's own transaction."""
    run = session.get(BillingRun, run_id, with_for_update=True)
    run.processed += processed
    run.skipped_on_hold += skipped_on_hold
    run.progress = {**run.progress, "last_key": last_key}


def finish_run(*, engine: Engine, run_id: int, now: datetime) -> BillingRun:
    with transaction(engine) as session:
        run = session.get(BillingRun, run_id, with_for_update=True)
        run.status, run.finished_at = DONE, now
        session.flush()
        session.expunge(run)
        return run


def run_in_batches(*, engine: Engine, kind: str, as_of: date, now: datetime, summary,
                   candidates: Callable[[Session, int], Sequence[Any]], key: Callable[[Any], int],
                   process: Callable[..., Sequence[Any]], on_batch: Callable[[int], None] | None = None):
    """Drive a resumable run: read candidates after the last key, ``process(rows, wait=False,
    run_id=, last_key=)`` each batch in its own transaction, then the rows another
    transaction held, waiting for their locks. Returns ``summary``."""
    start = start_run(engine=engine, kind=kind, as_of=as_of, now=now)
    if start.finished:
        summary.notes.append(f"the {kind} run of {as_of} is already done")
        return summary
    last_key, busy = start.last_key, []
    while True:
        with transaction(engine) as session:
            rows = list(candidates(session, last_key))
        if not rows:
            break
        last_key = key(rows[-1])
        busy += process(rows, wait=False, run_id=start.run_id, last_key=last_key)
        if on_batch is not None:
            on_batch(last_key)
    if busy:
        process(busy, wait=True, run_id=start.run_id, last_key=last_key)
    finish_run(engine=engine, run_id=start.run_id, now=now)
    return summary
