"""``sentinella opt-in`` and ``sentinella prices``: restoration and the regulated price table."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from flows.cli_output import console, date_option as _date, print_json

prices_app = typer.Typer(help="The regulated price table used to re-bill after a restoration.",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("opt-in")(opt_in_command)
    app.add_typer(prices_app, name="prices")


def opt_in_command(
    case: str = typer.Argument(..., help="The disownment case reference, e.g. DIS-2026-000012."),
    on: str | None = typer.Option(None, "--date", help="When the customer confirmed (default: today)."),
    by: str = typer.Option(..., "--by", help="The customer-service user recording it."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Record a domestic customer's opt-in to the return to the previous supplier."""
    from flows.cli import now
    from flows.restoration_opt_in import record_opt_in
    from flows.runtime import app_context

    context = app_context()
    result = record_opt_in(engine=context.engine, case_reference=case, on=_date(on, "--date"), by=by, now=now(),
                           rules=context.rules, calendar=context.calendar)
    if as_json:
        print_json(result)
    elif result.already_recorded:
        console.print(f"the opt-in of {result.case_reference} was recorded on {result.opted_in_on}: nothing changed")
    else:
        console.print(f"opt-in recorded for {result.case_reference} ({result.contract}); the restoration request goes "
                      f"out by {result.request_due_on}")


@prices_app.command("import")
def import_prices_command(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                                                      help="CSV: commodity,component,unit,amount,valid_from,"
                                                           "valid_to,source")) -> None:
    """Load official regulated figures (all or nothing; every problem is listed)."""
    from db.regulated_prices import load_regulated_prices
    from flows.runtime import app_context

    result = load_regulated_prices(engine=app_context().engine, path=file)
    console.print(f"{file}: {result.added} added, {result.replaced} replaced, {result.unchanged} unchanged")


@prices_app.command("list")
def list_prices_command(as_json: bool = typer.Option(False, "--json")) -> None:
    """The regulated price table, oldest first."""
    from db.engine import transaction
    from db.regulated_prices import regulated_price_table
    from flows.runtime import app_context

    with transaction(app_context().engine) as session:
        rows = regulated_price_table(session).rows
    if as_json:
        print_json([{"commodity": r.commodity, "component": r.component, "unit": r.unit, "amount": r.amount,
                     "valid_from": r.valid_from, "valid_to": r.valid_to, "source": r.source} for r in rows])
        return
    table = Table("commodity", "component", "amount", "unit", "from", "to (excluded)", title="regulated prices")
    for r in rows:
        table.add_row(r.commodity.value, r.component, f"{r.amount}", r.unit, str(r.valid_from), str(r.valid_to))
    console.print(table)
