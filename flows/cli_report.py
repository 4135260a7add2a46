"""``sentinella report monitoring`` / ``report compliance``: the monitoring reports (rulebook §8).

``--from`` and ``--to`` are the period's first and last day, both included. ``--out`` names the
file; without it a text format (csv, json, html) goes to standard output, a PDF needs ``--out``.
An inverted period raises ``InvertedReportPeriod`` (printed by ``main()``, exit status 2).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.markup import escape

from flows.cli_output import console, date_option

report_app = typer.Typer(help="Monitoring reports: consumer associations and compliance.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add ``report`` (``monitoring``, ``compliance``) to the ``sentinella`` command."""
    app.add_typer(report_app, name="report")


def _emit(content: bytes, *, out: Path | None, fmt: str) -> None:
    from flows.reports.files import write_report

    if out is None:
        if fmt == "pdf":
            raise typer.BadParameter("a PDF needs a file: give --out PATH", param_hint="--out")
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return
    write_report(content=content, out=out)
    console.print(f"written {escape(str(out))}", highlight=False)


def _period(first: str, last: str):
    from flows.reports.period import period_from_to

    return period_from_to(first_day=date_option(first, "--from"), last_day=date_option(last, "--to"))


@report_app.command("monitoring")
def monitoring_command(
    first: str = typer.Option(..., "--from", help="First day of the period (YYYY-MM-DD)."),
    last: str = typer.Option(..., "--to", help="Last day of the period, included (YYYY-MM-DD)."),
    fmt: str = typer.Option("pdf", "--format", help="pdf | csv | json"),
    out: Path | None = typer.Option(None, "--out", help="The file to write."),
) -> None:
    """The consumer associations' report: aggregates only, no personal data."""
    from flows.reports.files import MONITORING_FORMATS, monitoring_bytes
    from flows.runtime import app_context

    if fmt not in MONITORING_FORMATS:
        raise typer.BadParameter(f"'{fmt}' is not one of: {', '.join(MONITORING_FORMATS)}", param_hint="--format")
    period = _period(first, last)
    context = app_context()
    _emit(monitoring_bytes(engine=context.engine, period=period, rules=context.rules, fmt=fmt), out=out, fmt=fmt)


@report_app.command("compliance")
def compliance_command(
    first: str = typer.Option(..., "--from", help="First day of the period (YYYY-MM-DD)."),
    last: str = typer.Option(..., "--to", help="Last day of the period, included (YYYY-MM-DD)."),
    fmt: str = typer.Option("html", "--format", help="html | pdf | json"),
    out: Path | None = typer.Option(None, "--out", help="The file to write."),
) -> None:
    """The compliance report: protocol adherence and the steps overdue at the period's end, with owners."""
    from flows.reports.files import COMPLIANCE_FORMATS, compliance_bytes
    from flows.runtime import app_context

    if fmt not in COMPLIANCE_FORMATS:
        raise typer.BadParameter(f"'{fmt}' is not one of: {', '.join(COMPLIANCE_FORMATS)}", param_hint="--format")
    period = _period(first, last)
    _emit(compliance_bytes(engine=app_context().engine, period=period, fmt=fmt), out=out, fmt=fmt)
