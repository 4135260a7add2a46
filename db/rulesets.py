"""Keep every rule set that has been in force, so each decision's version can be re-read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import RuleSetVersion
from protocol.errors import SentinellaError
from protocol.ruleset import RuleSet


class RuleSetVersionClash(SentinellaError):
    """The same version number was recorded before with different content."""


def record_rule_set(session: Session, *, rules: RuleSet, text: str, now: datetime) -> str:
    """Store ``rules`` (once per version) and return its version.

    Raises RuleSetVersionClash when the version was recorded with another SHA-256: a changed
    rule file must carry a new version.
    """
    existing = session.execute(
        select(RuleSetVersion).where(RuleSetVersion.version == rules.version)
    ).scalar_one_or_none()
    if existing is None:
        session.add(RuleSetVersion(version=rules.version, sha256=rules.sha256, content=text, first_used_at=now))
        session.flush()
    elif existing.sha256 != rules.sha256:
        raise RuleSetVersionClash(
            f"rule set version {rules.version} was recorded with sha256 {existing.sha256[:12]}…; "
            "this file differs: give it a new version"
        )
    return rules.version
