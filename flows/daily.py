"""The daily cycle as a Prefect flow: every step due that day, in order, each one batched task."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.daily_steps import DAILY_STEPS, Day
from flows.settings import Settings
from flows.steps import StepSummary, total


def _step_task(name: str, function):
    return task(function, name=name, cache_policy=NO_CACHE, retries=0)


STEP_TASKS = tuple((name, _step_task(name, function)) for name, function in DAILY_STEPS)


@flow(name="daily-cycle", log_prints=False, validate_parameters=True)
def daily(
    as_of: date | None = None,
    database_url: str | None = None,
    letters_dir: str | None = None,
    outbox_dir: str | None = None,
    now: datetime | None = None,
) -> dict:
    """Run the day ``as_of`` (default: today in Europe/Rome): intake, confirmations, switching, activations, outbox, print runs.

    Re-running a day changes nothing: every step selects only the work still due.
    """
    from db.engine import database_url as resolve_url

    settings = Settings.from_environment()
    if letters_dir or outbox_dir:
        settings = replace(settings, letters_dir=Path(letters_dir or settings.letters_dir),
                           outbox_dir=Path(outbox_dir or settings.outbox_dir))
    now = now or datetime.now(timezone.utc)
    as_of = as_of or now.astimezone(ZoneInfo("Europe/Rome")).date()  # an entry point: today in Rome
    day = Day(database_url=resolve_url(explicit=database_url), as_of=as_of, now=now, settings=settings)
    summaries: list[StepSummary] = [step_task(day) for _name, step_task in STEP_TASKS]
    overall = total(summaries)
    rows = [s.as_dict() for s in summaries + [overall]]
    for row in rows:
        row["notes"] = "; ".join(row["notes"])
    create_table_artifact(key=f"daily-{as_of.isoformat()}", table=rows,
                          description=f"Daily cycle {as_of.isoformat()}: what each step did")
    return {"as_of": as_of.isoformat(), "steps": [s.as_dict() for s in summaries], "total": overall.as_dict()}
