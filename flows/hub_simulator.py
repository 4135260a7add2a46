"""A stand-in for the national hub (SII): it acknowledges what the outbox sent it.

Used by the demo and the tests in place of the real integration; it writes an
acknowledgement file next to each request, as the hub's answer would arrive.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import OutboxMessage, SwitchRequest
from flows.steps import StepSummary
from protocol.codes import OutboxStatus, SwitchStatus


def acknowledge_hub_messages(*, engine: Engine, outbox_dir: Path, as_of: date, now: datetime) -> StepSummary:
    """Acknowledge every message sent to the SII; switch requests become acknowledged."""
    summary = StepSummary(step="hub acknowledgements")
    with transaction(engine) as session:
        messages = session.execute(
            select(OutboxMessage).where(OutboxMessage.destination == "sii", OutboxMessage.status == OutboxStatus.SENT)
            .order_by(OutboxMessage.id)
        ).scalars().all()
        for message in messages:
            message.status, message.acknowledged_at = OutboxStatus.ACKNOWLEDGED, now
            if message.kind == "switch_request":
                request_id = int(message.idempotency_key.rsplit(":", 1)[1])
                request = session.get(SwitchRequest, request_id)
                if request is not None and request.status == SwitchStatus.REQUESTED:
                    request.status, request.acknowledged_on = SwitchStatus.ACKNOWLEDGED, as_of
            _write_ack(outbox_dir, message, as_of)
            summary.changed += 1
    return summary


def _write_ack(outbox_dir: Path, message: OutboxMessage, as_of: date) -> None:
    folder = outbox_dir / "sii" / "acks"
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in message.idempotency_key)
    (folder / f"{safe}.json").write_text(json.dumps(
        {"idempotency_key": message.idempotency_key, "outcome": "accepted", "on": as_of.isoformat()},
        sort_keys=True), encoding="utf-8")
