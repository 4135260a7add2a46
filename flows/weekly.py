"""The weekly sample-audit draw as a Prefect flow of its own (deployment ``weekly-audit-draw``).

The daily cycle draws the previous week's audits too (its ``audit-draw`` step); this flow lets
the draw run on its own schedule, or again for a given week, with the same use case: a week
already drawn is left unchanged, so running both, or either twice, draws each week once.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from agencies.periods import week_start_of

ROME = ZoneInfo("Europe/Rome")


def week_ending(*, as_of: date) -> date:
    """The Monday of the last full Monday-to-Sunday week ending on or before ``as_of``.

    On a Monday that is the week before (as the daily cycle's ``audit-draw`` step draws it);
    on a Sunday it is the week ending that very day.
    """
    return week_start_of(as_of + timedelta(days=1)) - timedelta(days=7)


@task(name="audit-draw", cache_policy=NO_CACHE, retries=0)
def draw_week(*, database_url: str, week_start: date, now: datetime) -> dict:
    """Draw the week's batches not drawn yet; returns the step summary as a dictionary."""
    from flows.audit_draw import draw_audit_week
    from flows.runtime import app_context

    context = app_context(database_url)
    summary = draw_audit_week(engine=context.engine, week_start=week_start, rules=context.rules, now=now)
    return summary.as_dict()


@flow(name="weekly-audit-draw", log_prints=False, validate_parameters=True)
def weekly_audit_draw(as_of: date | None = None, database_url: str | None = None) -> dict:
    """Draw the sample audits of the week ending on or before ``as_of`` (default: today, in Rome).

    Raises ``DatabaseNotMigrated`` for a database without schema.
    """
    from db.engine import database_url as resolve_url

    now = datetime.now(timezone.utc)  # the one clock read
    as_of = as_of or now.astimezone(ROME).date()
    week_start = week_ending(as_of=as_of)
    result = draw_week(database_url=resolve_url(explicit=database_url), week_start=week_start, now=now)
    return {"as_of": as_of.isoformat(), "week_start": week_start.isoformat(), **result}
