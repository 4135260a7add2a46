"""What an entry point assembles once: the engine, the rule set in force, the calendar."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path

from sqlalchemy import Engine

from db.engine import database_url, make_engine, transaction
from db.migrate import current_revision
from db.rulesets import record_rule_set
from protocol.errors import SentinellaError
from protocol.calendar import WorkingCalendar, calendar_from_rules
from protocol.ruleset import RuleSet, load_rule_set


class DatabaseNotMigrated(SentinellaError):
    """The database has no schema: the migrations have not been applied."""


@dataclass(frozen=True)
class AppContext:
    engine: Engine
    rules: RuleSet
    calendar: WorkingCalendar


def app_context(url: str | None = None) -> AppContext:
    """The context for DATABASE_URL, or for ``url`` when given (one per URL per process)."""
    return _context_for(database_url(explicit=url))


@cache
def _context_for(url: str) -> AppContext:
    """The context for DATABASE_URL (or ``url``); the rule set in force is recorded in it.

    The rule set is the packaged ``protocol/rules.toml`` unless ``SENTINELLA_RULES`` names
    another file.
    """
    engine = make_engine(url=url)
    revision = current_revision(engine=engine)
    if revision is None:
        raise DatabaseNotMigrated(
            f"the database {engine.url.render_as_string(hide_password=True)} has no schema yet: "
            "run `sentinella db upgrade` first"
        )
    override = os.environ.get("SENTINELLA_RULES")
    path = Path(override) if override else None
    rules = load_rule_set(path=path)
    if path is None:
        text = resources.files("protocol").joinpath("rules.toml").read_text(encoding="utf-8")
    else:
        text = path.read_text(encoding="utf-8")
    with transaction(engine) as session:
        record_rule_set(session, rules=rules, text=text, now=datetime.now(timezone.utc))
    return AppContext(engine=engine, rules=rules, calendar=calendar_from_rules(rules))
