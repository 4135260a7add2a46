"""Document and case numbers: gapless per series and year, taken under a row lock."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import DocumentSequence


def next_number(session: Session, *, series: str, year: int) -> int:
    """The next number of ``series`` in ``year`` (1, 2, ...), in the caller's transaction."""
    return reserve_numbers(session, series=series, year=year, count=1)[0]


def case_reference(session: Session, *, prefix: str, year: int) -> str:
    """A case reference such as ``RIP-2026-000042`` (ripensamento) or ``DIS-2026-000007``."""
    return f"{prefix}-{year}-{next_number(session, series=prefix, year=year):06d}"


def reserve_numbers(session: Session, *, series: str, year: int, count: int) -> range:
    """``count`` consecutive numbers of ``series`` in ``year`` for the caller's transaction
    (gapless: if the transaction rolls back, so does the reservation)."""
    if count <= 0:
        return range(0)
    row = session.execute(
        select(DocumentSequence).where(DocumentSequence.series == series, DocumentSequence.year == year)
        .with_for_update()
    ).scalar_one_or_none()
    if row is None:
        row = DocumentSequence(series=series, year=year, last_number=0)
        session.add(row)
    first = row.last_number + 1
    row.last_number += count
    session.flush()
    return range(first, first + count)
