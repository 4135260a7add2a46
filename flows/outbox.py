"""The outbox: every outbound message is queued in the transaction that causes it.

A message's idempotency key is unique, so queuing it again (a re-run, a retry) is a no-op
and nothing is ever sent twice. ``dispatch`` hands pending messages to a transport; the file
transport writes one JSON file per message, named after its key.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import OutboxMessage
from protocol.codes import OutboxStatus


def queue_message(
    session: Session, *, key: str, destination: str, kind: str, contract_id: int | None,
    payload: dict[str, Any], queued_on: date, now: datetime,
) -> bool:
    """Queue a message unless one with ``key`` exists; True when this call queued it."""
    exists = session.execute(select(OutboxMessage.id).where(OutboxMessage.idempotency_key == key)).first()
    if exists is not None:
        return False
    session.add(OutboxMessage(
        idempotency_key=key, destination=destination, kind=kind, contract_id=contract_id,
        payload=payload, status=OutboxStatus.PENDING, queued_on=queued_on, created_at=now, attempts=0,
    ))
    session.flush()
    return True


def cancel_pending(session: Session, *, key: str, reason: str) -> bool:
    """Withdraw a message that has not left yet; True when there was one to withdraw."""
    message = session.execute(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == key, OutboxMessage.status == OutboxStatus.PENDING)
    ).scalar_one_or_none()
    if message is None:
        return False
    message.status = OutboxStatus.CANCELLED
    message.last_error = reason
    return True


class Transport(Protocol):
    def send(self, *, message: OutboxMessage) -> None: ...


@dataclass(frozen=True)
class FileTransport:
    """One JSON file per message under ``directory/<destination>/``, named by its key."""

    directory: Path

    def path_for(self, message: OutboxMessage) -> Path:
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", message.idempotency_key)
        return self.directory / message.destination / f"{safe}.json"

    def send(self, *, message: OutboxMessage) -> None:
        path = self.path_for(message)
        path.parent.mkdir(parents=True, exist_ok=True)
        body = json.dumps({
            "idempotency_key": message.idempotency_key, "destination": message.destination,
            "kind": message.kind, "queued_on": message.queued_on.isoformat(), "payload": message.payload,
        }, ensure_ascii=False, indent=2, sort_keys=True)
        temporary = path.with_suffix(".json.tmp")
        temporary.write_text(body, encoding="utf-8")
        os.replace(temporary, path)  # atomic: the mail house or hub never sees half a file


def dispatch(session: Session, *, transport: Transport, now: datetime, limit: int = 10_000) -> int:
    """Send pending messages in queue order; returns how many were sent.

    A transport error leaves the message pending with the error recorded, to be retried.
    """
    sent = 0
    pending = session.execute(
        select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        .order_by(OutboxMessage.id).limit(limit)
    ).scalars()
    for message in pending:
        message.attempts += 1
        try:
            transport.send(message=message)
        except OSError as error:
            message.last_error = f"{type(error).__name__}: {error}"
            continue
        message.status = OutboxStatus.SENT
        message.sent_at = now
        message.last_error = None
        sent += 1
    session.flush()
    return sent
