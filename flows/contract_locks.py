"""Row locks that make a hold win against a billing run (rulebook 5).

A disownment locks the contract row (``SELECT ... FOR UPDATE``) before it places the hold.
A billing batch locks the rows of the contracts it is about to write for, skipping rows
another transaction holds (``SKIP LOCKED``), and reads ``on_hold`` only once it owns the
lock, so it sees every hold committed before that moment; the contracts it skipped are
taken again at the end of the run with a waiting lock. A hold committed while a batch owns
a row waits for that batch and applies to everything after it. On SQLite, which has one
writer at a time, the same code runs without the lock clauses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contract


@dataclass(frozen=True, kw_only=True)
class LockedContracts:
    free: frozenset[int]  # locked by us and not on hold: write for these
    on_hold: frozenset[int]  # locked by us, on hold: write nothing
    busy: frozenset[int]  # locked by someone else right now: try again later


def lock_contracts(session: Session, *, contract_ids: Iterable[int], wait: bool = False) -> LockedContracts:
    """Lock the contracts' rows in id order; ``wait`` False skips the rows others hold."""
    wanted = sorted(set(contract_ids))
    if not wanted:
        return LockedContracts(free=frozenset(), on_hold=frozenset(), busy=frozenset())
    query = (select(Contract.id, Contract.on_hold).where(Contract.id.in_(wanted)).order_by(Contract.id)
             .with_for_update(skip_locked=not wait))
    rows = session.execute(query).all()
    held = frozenset(row.id for row in rows if row.on_hold)
    locked = frozenset(row.id for row in rows)
    return LockedContracts(free=locked - held, on_hold=held, busy=frozenset(wanted) - locked)
