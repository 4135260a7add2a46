"""Letters sent to customers and the print runs that bundle them for the mail house."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base


class PrintRun(Base):
    """A bundle of about a hundred letters in one PDF, with a CSV manifest."""

    __tablename__ = "print_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_on: Mapped[date]
    sequence: Mapped[int]
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    manifest_path: Mapped[str] = mapped_column(String(500))
    letter_count: Mapped[int]
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("run_on", "sequence"),)


class Letter(Base):
    """One letter to one customer about one contract event.

    ``event_key`` names the event the letter answers (e.g. ``confirmation``, ``case:123``);
    the unique key (contract, kind, event_key) makes a second letter for the same event
    impossible, whatever re-runs happen.
    """

    __tablename__ = "letters"
    __table_args__ = (UniqueConstraint("contract_id", "kind", "event_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contracts.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(48))
    event_key: Mapped[str] = mapped_column(String(64))
    written_on: Mapped[date]
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    rule_set_version: Mapped[str] = mapped_column(String(32))
    print_run_id: Mapped[int | None] = mapped_column(ForeignKey("print_runs.id"), index=True)
    created_at: Mapped[datetime]
