"""The contract event log: every change is appended here with actor, time and reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from db.models import Contract, ContractEvent


def record_event(
    session: Session,
    *,
    contract: Contract,
    kind: str,
    actor: str,
    reason: str,
    occurred_at: datetime,
    effective_on: date,
    payload: dict[str, Any] | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
    rule_set_version: str | None = None,
) -> ContractEvent:
    """Append one event for ``contract`` in the caller's transaction."""
    event = ContractEvent(
        contract_id=contract.id,
        occurred_at=occurred_at,
        effective_on=effective_on,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        actor=actor,
        reason=reason,
        payload=payload or {},
        rule_set_version=rule_set_version,
    )
    session.add(event)
    return event
