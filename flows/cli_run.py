"""``sentinella run day|range``: the daily cycle, for one date or a range of dates."""

from __future__ import annotations

from datetime import date, timedelta

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from flows.cli_output import console, print_json
from flows.prefect_setup import configure_prefect, in_process_run_settings

app = typer.Typer(help="Run the daily cycle (intake, letters, switching, activations, outbox, print runs).",
                  no_args_is_help=True)


def _daily():
    configure_prefect()
    from flows.daily import daily

    return daily


def _summary_table(title: str, steps: list[dict]) -> Table:
    table = Table("step", "changed", "unchanged", "errors", "to review", "letters", "messages", title=title)
    for step in steps:
        table.add_row(step["step"], *(str(step[k]) for k in ("changed", "unchanged", "errors", "to_review",
                                                               "letters", "messages")))
    return table


def run_days(*, first: date, last: date, quiet: bool = False, after_day=None) -> tuple[list[date], dict[str, dict]]:
    """Run the daily flow for each date from ``first`` to ``last`` with a progress bar; sum the steps.

    ``after_day(as_of)`` (the demo's simulated people) runs after each day and returns step
    summaries to add to the totals.
    """
    daily = _daily()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    totals: dict[str, dict] = {}
    progress_bar = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeRemainingColumn(), console=console, disable=quiet)
    with in_process_run_settings(), progress_bar as progress:
        task = progress.add_task("daily cycle", total=len(days))
        for as_of in days:
            progress.update(task, description=f"daily cycle {as_of.isoformat()}")
            result = daily(as_of=as_of)
            extra = [summary.as_dict() for summary in (after_day(as_of) if after_day else [])]
            for step in result["steps"] + extra + [result["total"]]:
                into = totals.setdefault(step["step"], {"step": step["step"]})
                for key, value in step.items():
                    if key not in ("step", "notes"):
                        into[key] = into.get(key, 0) + value
            progress.advance(task)
    return days, totals


@app.command("day")
def day_command(
    on: str | None = typer.Option(None, "--date", help="The business date (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Run every step due on one date; running the same date again changes nothing."""
    from flows.cli import today
    from flows.runtime import app_context

    app_context()  # fails early, with the fix, on an unmigrated database
    as_of = date.fromisoformat(on) if on else today()
    daily = _daily()
    with in_process_run_settings():
        result = daily(as_of=as_of)
    if as_json:
        print_json(result)
        return
    console.print(_summary_table(f"daily cycle {as_of.isoformat()}", result["steps"] + [result["total"]]))


@app.command("range")
def range_command(
    start: str = typer.Option(..., "--from", help="First date (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="Last date, included."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Run the daily cycle for every date from --from to --to, with a progress bar."""
    from flows.runtime import app_context

    app_context()
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last < first:
        raise typer.BadParameter("--to is before --from")
    days, totals = run_days(first=first, last=last, quiet=as_json)
    if as_json:
        print_json({"from": first.isoformat(), "to": last.isoformat(), "days": len(days), "steps": list(totals.values())})
        return
    console.print(_summary_table(f"daily cycle {first.isoformat()} → {last.isoformat()} ({len(days)} days)",
                                 list(totals.values())))
