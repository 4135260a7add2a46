"""Import contracts from a JSON-lines file: valid records saved, invalid ones kept as rejects.

Idempotent: a line already imported (same content) changes nothing and a reject already kept
is not kept twice; a corrected record with the same ``external_id`` replaces (resolves) its
reject, and a correction of a contract still at intake updates it. Lines are processed in
chunks, each in its own transaction, so an interrupted import is resumed by running it again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import transaction
from db.models import ImportReject
from flows.import_records import RecordWriter, WriteOutcome
from protocol.contract_record import RecordRejected, parse_record_line
from protocol.errors import SentinellaError
from protocol.field_errors import Problem

CHUNK_LINES = 1000


class ImportFileUnreadable(SentinellaError):
    """The import file does not exist or cannot be read."""


@dataclass(frozen=True)
class RejectedLine:
    line_no: int
    external_id: str | None
    problems: tuple[Problem, ...]
    already_known: bool


@dataclass
class ImportReport:
    source: str
    lines: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RejectedLine] = field(default_factory=list)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)


def import_contracts(
    *, engine: Engine, path: Path, now: datetime, actor: str, rule_set_version: str
) -> ImportReport:
    """Import every line of ``path``; returns what happened to each.

    Raises ImportFileUnreadable when the file cannot be opened. Never raises for a bad line:
    that line becomes a reject with all its problems.
    """
    try:
        handle = path.open("rb")
    except OSError as error:
        raise ImportFileUnreadable(f"{path}: cannot read the import file ({error.strerror})") from error
    report = ImportReport(source=str(path))
    with handle:
        for chunk in _chunks(handle):
            with transaction(engine) as session:
                writer = RecordWriter(session, now=now, actor=actor, rule_set_version=rule_set_version,
                                      source=path.name)
                for line_no, raw in chunk:
                    report.lines += 1
                    _import_line(session, writer, report, line_no=line_no, raw=raw, source=path.name, now=now)
    return report


def _chunks(handle) -> Iterator[list[tuple[int, bytes]]]:
    chunk: list[tuple[int, bytes]] = []
    for line_no, raw in enumerate(handle, start=1):
        if not raw.strip():
            continue
        chunk.append((line_no, raw.rstrip(b"\r\n")))
        if len(chunk) >= CHUNK_LINES:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _import_line(
    session: Session, writer: RecordWriter, report: ImportReport, *, line_no: int, raw: bytes,
    source: str, now: datetime,
) -> None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems = (Problem(field="(line)", reason=f"is not valid UTF-8 (byte {error.start})"),)
        _keep_reject(session, report, line_no=line_no, raw=raw.decode("utf-8", "replace"),
                     external_id=None, problems=problems, source=source, now=now)
        return
    try:
        record = parse_record_line(line=text)
    except RecordRejected as rejected:
        _keep_reject(session, report, line_no=line_no, raw=text, external_id=rejected.external_id,
                     problems=rejected.problems, source=source, now=now)
        return
    digest = hashlib.sha256(json.dumps(record.to_data(), sort_keys=True, default=str).encode()).hexdigest()
    outcome = writer.write(record=record, record_sha256=digest, line_no=line_no)
    if isinstance(outcome, tuple):
        _keep_reject(session, report, line_no=line_no, raw=text, external_id=record.external_id,
                     problems=outcome, source=source, now=now)
    elif outcome is WriteOutcome.CREATED:
        report.created += 1
    elif outcome is WriteOutcome.UPDATED:
        report.updated += 1
    else:
        report.unchanged += 1


def _keep_reject(
    session: Session, report: ImportReport, *, line_no: int, raw: str, external_id: str | None,
    problems: tuple[Problem, ...], source: str, now: datetime,
) -> None:
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    known = session.execute(select(ImportReject.id).where(ImportReject.raw_sha256 == digest)).first()
    if known is None:
        session.add(ImportReject(
            source=source, line_no=line_no, external_id=external_id, raw=raw, raw_sha256=digest,
            problems=[{"field": p.field, "reason": p.reason} for p in problems], rejected_at=now,
        ))
        session.flush()
    report.rejected.append(RejectedLine(line_no=line_no, external_id=external_id, problems=tuple(problems),
                                        already_known=known is not None))
