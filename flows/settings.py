"""Where Sentinella writes its files; read once by the entry points from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, kw_only=True)
class Settings:
    letters_dir: Path
    outbox_dir: Path
    reports_dir: Path
    actor: str = "daily-cycle"

    @classmethod
    def from_environment(cls, *, base: Path | None = None) -> "Settings":
        """``SENTINELLA_LETTERS_DIR``, ``SENTINELLA_OUTBOX_DIR``, ``SENTINELLA_REPORTS_DIR``,
        each defaulting to a folder under ``var/`` (or under ``base`` when given)."""
        root = base or Path(os.environ.get("SENTINELLA_VAR_DIR", "var"))
        return cls(
            letters_dir=Path(os.environ.get("SENTINELLA_LETTERS_DIR", root / "letters")),
            outbox_dir=Path(os.environ.get("SENTINELLA_OUTBOX_DIR", root / "outbox")),
            reports_dir=Path(os.environ.get("SENTINELLA_REPORTS_DIR", root / "reports")),
        )
