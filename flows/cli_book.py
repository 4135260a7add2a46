"""``sentinella seed``, ``sentinella import contracts``, ``sentinella show``: the contract book."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.table import Table

from db.engine import make_engine, transaction
from flows.cli_output import console, print_json
from flows.runtime import app_context

import_app = typer.Typer(help="Import data files.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("seed")(seed_command)
    app.command("show")(show_command)
    app.add_typer(import_app, name="import")


def seed_command(
    contracts: int = typer.Option(3000, "--contracts", min=1, help="How many contracts."),
    start: str = typer.Option("2026-01-05", "--start", help="First signing date (YYYY-MM-DD)."),
    days: int = typer.Option(120, "--days", min=1, help="Signing dates spread over this many days."),
    seed: int = typer.Option(7, "--seed", help="Random seed: the same seed gives the same book."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Create a synthetic book (agencies, agents, offers, customers, contracts) in an empty database."""
    from flows.seeding import seed_book

    context = app_context()
    summary = seed_book(engine=context.engine, contracts=contracts, start=date.fromisoformat(start),
                        days=days, seed=seed, rule_set_version=context.rules.version)
    if as_json:
        print_json({"counts": summary.counts, "checksum": summary.checksum})
        return
    table = Table("table", "rows", title=f"synthetic book, seed {seed}")
    for name, count in summary.counts.items():
        table.add_row(name, f"{count:,}")
    console.print(table)
    console.print(f"data checksum: [bold]{summary.checksum}[/]")


@import_app.command("contracts")
def import_contracts_command(
    file: Path = typer.Argument(..., help="A JSON-lines file, one contract record per line."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    actor: str = typer.Option("import", "--by", help="Who runs the import (recorded on each event)."),
) -> None:
    """Import contract records; invalid lines are kept as rejects with every reason."""
    from flows.cli import now
    from flows.importing import import_contracts

    context = app_context()
    report = import_contracts(engine=context.engine, path=file, now=now(), actor=actor,
                              rule_set_version=context.rules.version)
    if as_json:
        print_json({
            "source": report.source, "lines": report.lines, "created": report.created,
            "updated": report.updated, "unchanged": report.unchanged, "rejected": report.rejected_count,
            "rejects": [
                {"line": r.line_no, "external_id": r.external_id, "already_known": r.already_known,
                 "problems": [{"field": p.field, "reason": p.reason} for p in r.problems]}
                for r in report.rejected
            ],
        })
        return
    console.print(f"{report.source}: {report.lines} lines, {report.created} created, {report.updated} updated, "
                  f"{report.unchanged} unchanged, {report.rejected_count} rejected")
    if report.rejected:
        table = Table("line", "external id", "field", "reason", title="rejected lines (kept for correction)")
        for reject in report.rejected:
            for index, problem in enumerate(reject.problems):
                first = index == 0
                table.add_row(str(reject.line_no) if first else "", (reject.external_id or "-") if first else "",
                              problem.field, problem.reason)
        console.print(table)


def show_command(
    contract: str = typer.Argument(..., help="External id (HC-…), contract number or POD/PDR."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show a contract with its customer, supply point, agency, state, hold, cases, letters and events."""
    from flows.contract_view import contract_view
    from flows.contract_view_text import print_contract_view

    with transaction(make_engine()) as session:
        view = contract_view(session, reference=contract)
    if as_json:
        print_json(view)
    else:
        print_contract_view(view)
