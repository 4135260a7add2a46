"""Change a contract's state: the rule table decides, the event log remembers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from db.events import record_event
from db.models import Contract
from protocol.codes import ContractState
from protocol.lifecycle import check_transition


def move(
    session: Session, *, contract: Contract, to: ContractState, actor: str, reason: str,
    effective_on: date, now: datetime, rule_set_version: str, kind: str | None = None,
    payload: dict[str, Any] | None = None,
) -> None:
    """Move ``contract`` to state ``to`` and append the event, in the caller's transaction.

    Raises protocol.lifecycle.TransitionNotAllowed when the rule table has no such edge.
    The contract's version column makes a concurrent change fail instead of being lost.
    """
    before = contract.state
    check_transition(from_state=before, to_state=to)
    contract.state = to
    contract.updated_at = now
    session.flush()
    record_event(
        session, contract=contract, kind=kind or to.value, actor=actor, reason=reason,
        occurred_at=now, effective_on=effective_on, from_state=before.value, to_state=to.value,
        payload=payload, rule_set_version=rule_set_version,
    )
