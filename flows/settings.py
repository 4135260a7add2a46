"""Where Sentinella writes its files; read once by the entry points from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from protocol.errors import SentinellaError


@dataclass(frozen=True, kw_only=True)
class Settings:
    letters_dir: Path
    outbox_dir: Path
    reports_dir: Path
    actor: str = "daily-cycle"
    letter_workers: int = 1  # above 1: confirmation letters render on a Dask cluster of that many processes

    @classmethod
    def from_environment(cls, *, base: Path | None = None) -> "Settings":
        """``SENTINELLA_LETTERS_DIR``, ``SENTINELLA_OUTBOX_DIR``, ``SENTINELLA_REPORTS_DIR``,
        each defaulting to a folder under ``var/`` (or under ``base`` when given);
        ``SENTINELLA_LETTER_WORKERS`` (default 1: the local process pool of ``letters.parallel``).

        Raises ``InvalidSetting`` when ``SENTINELLA_LETTER_WORKERS`` is not a positive integer."""
        root = base or Path(os.environ.get("SENTINELLA_VAR_DIR", "var"))
        return cls(
            letters_dir=Path(os.environ.get("SENTINELLA_LETTERS_DIR", root / "letters")),
            outbox_dir=Path(os.environ.get("SENTINELLA_OUTBOX_DIR", root / "outbox")),
            reports_dir=Path(os.environ.get("SENTINELLA_REPORTS_DIR", root / "reports")),
            letter_workers=letter_workers_from(value=os.environ.get("SENTINELLA_LETTER_WORKERS")),
        )


class InvalidSetting(SentinellaError):
    """An environment variable holds a value Sentinella cannot use."""


def letter_workers_from(*, value: str | None) -> int:
    """``SENTINELLA_LETTER_WORKERS`` as a number of processes (unset or empty: 1)."""
    if value is None or not value.strip():
        return 1
    try:
        workers = int(value)
    except ValueError:
        workers = 0
    if workers < 1:
        raise InvalidSetting(f"SENTINELLA_LETTER_WORKERS={value!r}: expected a positive whole number of processes")
    return workers
