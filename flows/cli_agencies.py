"""``sentinella audits``, ``sentinella optout``, ``sentinella agencies``: the sales side."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from flows.cli_output import console, date_option as _date, print_json
from protocol.codes import AuditVerdict, NonconformityType

audits_app = typer.Typer(help="Sample audits of agency contracts.", no_args_is_help=True)
optout_app = typer.Typer(help="The public opt-out register (Registro pubblico delle opposizioni).",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(audits_app, name="audits")
    app.add_typer(optout_app, name="optout")


@audits_app.command("draw")
def draw_command(
    week: str = typer.Option(..., "--week", help="Any day of the week to sample (its Monday is used)."),
    seed: int | None = typer.Option(None, "--seed", help="Base seed (default: the installation's)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Draw the week's sample audits per agency (paper and telephone apart); drawn weeks are kept."""
    from agencies.periods import week_start_of
    from flows.audit_draw import DEFAULT_SEED, draw_audit_week
    from flows.cli import now
    from flows.runtime import app_context

    context = app_context()
    week_start = week_start_of(_date(week, "--week"))
    summary = draw_audit_week(engine=context.engine, week_start=week_start, rules=context.rules, now=now(),
                              seed=DEFAULT_SEED if seed is None else seed)
    if as_json:
        print_json(summary.as_dict() | {"week_start": week_start})
    else:
        console.print(f"week of {week_start}: {summary.changed} contracts drawn for audit "
                      f"({summary.unchanged} batches drawn before)")


@audits_app.command("list")
def list_command(
    open_only: bool = typer.Option(False, "--open", help="Only audits without a verdict."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Audits waiting for their verdict, oldest week first."""
    from flows.audit_verdicts import open_audits
    from flows.runtime import app_context

    rows = open_audits(engine=app_context().engine)
    if as_json:
        print_json(rows)
        return
    table = Table("audit", "agency", "group", "week", "contract", "channel", "state", "steps",
                  title=f"{len(rows)} open audits")
    for row in rows:
        table.add_row(str(row["audit"]), row["agency"], row["group"], str(row["week_start"]), row["contract"],
                      row["channel"], row["contract_state"], ", ".join(row["steps"]))
    console.print(table)


@audits_app.command("record")
def record_command(
    audit: int = typer.Argument(..., help="The audit number (from: audits list --open)."),
    verdict: AuditVerdict = typer.Option(..., "--verdict"),
    nonconformity: list[NonconformityType] = typer.Option([], "--nonconformity", help="A type found (repeatable)."),
    note: str | None = typer.Option(None, "--note"),
    by: str = typer.Option(..., "--by", help="The auditor."),
    on: str | None = typer.Option(None, "--date", help="Business date (default: today)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Record an audit's verdict; incorrect selling stops the activation and tells the customer."""
    from flows.audit_verdicts import record_verdict
    from flows.cli import now
    from flows.runtime import app_context
    from flows.settings import Settings

    context = app_context()
    result = record_verdict(engine=context.engine, audit_id=audit, verdict=verdict, nonconformities=nonconformity,
                            note=note, by=by, as_of=_date(on, "--date"), now=now(), rules=context.rules,
                            settings=Settings.from_environment())
    if as_json:
        print_json(result)
        return
    console.print(f"audit {result.audit_id} ({result.contract}): [bold]{result.verdict}[/]")
    for kind, amount in zip(result.nonconformities, result.penalties + [None] * len(result.nonconformities)):
        console.print(f"  nonconformity {kind}" + (f", penalty {amount} €" if amount else ""))
    for action in result.escalation:
        console.print(f"  [red]agency escalation: {action}[/]")
    if result.activation_stopped:
        console.print(f"  activation stopped; letter {escape(result.letter or '(already written)')}")


@optout_app.command("import")
def optout_import_command(
    file: Path = typer.Argument(..., help="One number a line, any common Italian format."),
    registered_on: str | None = typer.Option(None, "--registered-on", help="Date of registration, if known."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Load numbers onto the opt-out register (stored E.164); bad lines are kept with their reason."""
    from flows.cli import now
    from flows.opt_out import import_opt_out
    from flows.runtime import app_context

    report = import_opt_out(engine=app_context().engine, path=file,
                            registered_on=_date(registered_on, "--registered-on") if registered_on else None,
                            now=now())
    if as_json:
        print_json(report)
        return
    console.print(f"{report.source}: {report.lines} numbers, {report.added} added, "
                  f"{report.already_registered} already registered, {len(report.rejected)} rejected")
    for line_no, reason in report.rejected:
        console.print(f"  line {line_no}: {escape(reason)}")
