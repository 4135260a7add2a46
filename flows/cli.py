"""The ``sentinella`` command: one entry point for every use case (Typer).

Only entry points read the clock: each command takes ``--date`` where the domain needs one
and defaults to today; everything below receives the date explicitly.
"""

from __future__ import annotations

import sys
from datetime import date, datetime, timezone

import typer

from flows.cli_output import errors
from protocol.errors import SentinellaError

app = typer.Typer(
    name="sentinella",
    help="Sentinella: the supplier-side protocol against unsolicited energy contracts.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def today() -> date:
    """The one place the CLI reads the calendar (Europe/Rome business date)."""
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Europe/Rome")).date()


def now() -> datetime:
    """The one place the CLI reads the clock."""
    return datetime.now(timezone.utc)


def _register() -> None:
    from flows import cli_agencies, cli_book, cli_cases, cli_db, cli_demo, cli_disown, cli_rules, cli_run, cli_scorecard
    from flows import cli_web
    from flows import cli_report
    from flows import cli_restoration

    app.add_typer(cli_db.app, name="db")
    app.add_typer(cli_rules.app, name="rules")
    app.add_typer(cli_run.app, name="run")
    cli_book.register(app)
    cli_agencies.register(app)
    cli_disown.register(app)
    cli_scorecard.register(app)
    cli_cases.register(app)
    cli_demo.register(app)
    cli_web.register(app)
    cli_report.register(app)
    cli_restoration.register(app)


def main() -> None:
    """Console-script entry point: user errors print one clear message and exit 2."""
    _register()
    try:
        app()
    except SentinellaError as error:
        errors.print(f"[bold red]error:[/] {error}", highlight=False)
        sys.exit(2)
