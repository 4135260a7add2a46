"""Write a letter once: render it, store its files, record it (kind, contract, SHA-256).

The unique key (contract, kind, event_key) is checked first, so a re-run never writes a second
letter for the same event; files are written before the transaction commits, and rendering
is deterministic, so a crash between the two only leaves a file that the re-run rewrites
identically.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Contract, Letter
from letters.render import LetterRenderer, RenderedLetter


def letter_exists(session: Session, *, contract_id: int, kind: str, event_key: str) -> bool:
    return session.execute(
        select(Letter.id).where(Letter.contract_id == contract_id, Letter.kind == kind, Letter.event_key == event_key)
    ).first() is not None


def letter_path(*, letters_dir: Path, written_on: date, kind: str, external_id: str, event_key: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{kind}-{external_id}-{event_key}")
    return letters_dir / f"{written_on:%Y}" / f"{written_on:%m}" / f"{written_on:%d}" / f"{safe}.pdf"


def write_letter(
    session: Session, *, renderer: LetterRenderer, letters_dir: Path, contract: Contract, kind: str,
    event_key: str, context: Mapping[str, Any], written_on: date, now: datetime, rule_set_version: str,
    case_id: int | None = None,
) -> Letter | None:
    """Render and record the letter unless it exists already; returns it, or None if it existed."""
    if letter_exists(session, contract_id=contract.id, kind=kind, event_key=event_key):
        return None
    return store_letter(session, rendered=renderer.render(kind=kind, context=context), letters_dir=letters_dir,
                        contract=contract, kind=kind, event_key=event_key, written_on=written_on, now=now,
                        rule_set_version=rule_set_version, case_id=case_id)


def store_letter(
    session: Session, *, rendered: RenderedLetter, letters_dir: Path, contract: Contract, kind: str, event_key: str,
    written_on: date, now: datetime, rule_set_version: str, case_id: int | None = None,
) -> Letter:
    """Write an already rendered letter's files and record it (the caller checked it is new)."""
    pdf_path = letter_path(letters_dir=letters_dir, written_on=written_on, kind=kind,
                           external_id=contract.external_id, event_key=event_key)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    pdf_path.write_bytes(rendered.pdf)
    pdf_path.with_suffix(".html").write_text(rendered.html, encoding="utf-8")
    letter = Letter(
        contract_id=contract.id, case_id=case_id, kind=kind, event_key=event_key, written_on=written_on,
        path=str(pdf_path), sha256=rendered.sha256, rule_set_version=rule_set_version, created_at=now,
    )
    session.add(letter)
    session.flush()
    return letter
