"""The monthly agency scorecards as a Prefect flow: the month's and the quarter to date.

Both are written as CSV and HTML under ``<reports_dir>/scorecards/`` and published as Prefect
table artifacts of their main columns (``scorecard-2026-03``, ``scorecard-2026-q1`` or, before the
quarter's last month, ``scorecard-2026-q1-to-2026-02``). Re-running a month rewrites the same
files with the figures the database holds then (late audit verdicts sharpen a closed month).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prefect import flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from agencies.errors import InvalidPeriod
from agencies.periods import period_bounds, quarter_label, quarter_of
from agencies.scorecard import ScorecardRow
from letters.formatting import format_date_it

__all__ = ["InvalidPeriod", "ScorecardPeriod", "monthly_scorecards", "previous_month", "scorecard_periods"]

_MONTH = re.compile(r"[0-9]{4}-[0-9]{2}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ScorecardPeriod:
    label: str  # for people: "2026-03", "2026-Q1", "2026-Q1 (fino al 28 febbraio 2026)"
    slug: str  # for files and artifact keys: "2026-03", "2026-Q1", "2026-Q1-to-2026-02"
    start: date
    end: date  # exclusive


def previous_month(today: date) -> str:
    """The calendar month before ``today``'s, as ``"2026-03"``."""
    last_day = today.replace(day=1) - timedelta(days=1)
    return f"{last_day.year:04d}-{last_day.month:02d}"


def scorecard_periods(month: str) -> tuple[ScorecardPeriod, ScorecardPeriod]:
    """The month ``"2026-02"`` and its quarter to date (``[2026-01-01, 2026-03-01)``).

    Raises ``InvalidPeriod`` when ``month`` is not ``YYYY-MM``.
    """
    if not isinstance(month, str) or not _MONTH.fullmatch(month.strip()):
        raise InvalidPeriod(f"month {month!r} is not of the form YYYY-MM (as \"2026-03\")")
    month = month.strip()
    start, end = period_bounds(month)
    quarter_start, quarter_end = quarter_of(start)
    quarter = quarter_label(start)
    if end == quarter_end:
        to_date = ScorecardPeriod(label=quarter, slug=quarter, start=quarter_start, end=end)
    else:
        to_date = ScorecardPeriod(label=f"{quarter} (fino al {format_date_it(end - timedelta(days=1))})",
                                  slug=f"{quarter}-to-{month}", start=quarter_start, end=end)
    return ScorecardPeriod(label=month, slug=month, start=start, end=end), to_date


def _summary_row(row: ScorecardRow) -> dict[str, object]:
    """The artifact's columns: what a reviewer scans first."""
    return {"rank": "—" if row.rank is None else row.rank, "agency": row.agency_code, "name": row.agency_name,
            "mandate": row.mandate_status.value, "contracts": row.contracts_total, "audited": row.audited,
            "nonconforming": row.nonconforming_audited, "nonconformity_rate": str(row.nonconformity_rate),
            "wilson_low": str(row.wilson_low), "wilson_high": str(row.wilson_high),
            "nonconformities": row.nonconformities_total, "withdrawals": row.withdrawals,
            "disownments_received": row.disownments_received, "disownments_accepted": row.disownments_accepted,
            "penalties_eur": str(row.penalties_eur), "corrective_actions_open": row.corrective_actions_open}


@task(name="scorecard", cache_policy=NO_CACHE, retries=0)
def write_scorecard(*, database_url: str, period: ScorecardPeriod, folder: str) -> dict:
    """Compute one scorecard and write ``scorecard-<slug>.csv`` and ``.html`` into ``folder``."""
    from flows.runtime import app_context
    from flows.scorecard_render import scorecard_csv, scorecard_html
    from flows.scorecards import scorecard_between

    rows = scorecard_between(engine=app_context(database_url).engine, period_start=period.start,
                             period_end=period.end)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = target / f"scorecard-{period.slug}.csv", target / f"scorecard-{period.slug}.html"
    csv_path.write_text(scorecard_csv(rows), encoding="utf-8")
    html_path.write_text(scorecard_html(rows=rows, period=period.label), encoding="utf-8")
    return {"period": period.label, "start": period.start.isoformat(), "end": period.end.isoformat(),
            "agencies": len(rows), "ranked": sum(1 for row in rows if row.rank is not None),
            "csv": str(csv_path), "html": str(html_path), "table": [_summary_row(row) for row in rows]}


@flow(name="monthly-scorecards", log_prints=False, validate_parameters=True)
def monthly_scorecards(month: str | None = None, database_url: str | None = None,
                       reports_dir: str | None = None) -> dict:
    """The scorecards of ``month`` (``"2026-03"``; default: the month before today, in Rome) and of
    its quarter to date, as files under ``<reports_dir>/scorecards/`` and table artifacts.

    Raises ``InvalidPeriod`` for a month not of the form ``YYYY-MM``, ``DatabaseNotMigrated``
    for a database without schema.
    """
    from db.engine import database_url as resolve_url
    from flows.settings import Settings

    month = month or previous_month(datetime.now(ZoneInfo("Europe/Rome")).date())  # the one clock read
    folder = Path(reports_dir) if reports_dir else Settings.from_environment().reports_dir
    url = resolve_url(explicit=database_url)
    results = []
    for period in scorecard_periods(month):
        result = write_scorecard(database_url=url, period=period, folder=str(folder / "scorecards"))
        create_table_artifact(key=f"scorecard-{period.slug.lower()}", table=result.pop("table"),
                              description=f"Scheda di valutazione delle agenzie — {period.label}")
        results.append(result)
    month_result, quarter_result = results
    return {"month": month_result, "quarter_to_date": quarter_result}
