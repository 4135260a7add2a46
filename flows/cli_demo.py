"""``sentinella demo``: a fresh database, a synthetic book, and where to look."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy import func, select

from flows.cli_output import console


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def demo_command(
    directory: Path = typer.Option(Path("var/demo"), "--dir", help="Where the demo writes its database and files."),
    contracts: int = typer.Option(2000, "--contracts", min=1),
    start: str = typer.Option("2026-01-05", "--start", help="First signing date."),
    days: int = typer.Option(120, "--days", min=1),
    seed: int = typer.Option(7, "--seed"),
) -> None:
    """Run the demo on an embedded SQLite database under --dir (DATABASE_URL overrides it)."""
    from db.engine import make_engine, transaction
    from db.migrate import upgrade
    from db.models import Agency, Contract
    from flows.runtime import app_context
    from flows.seeding import seed_book
    from flows.agency_simulation import simulate_agencies, simulate_auditors
    from flows.payment_simulation import simulate_payments
    from flows.cli_run import _summary_table, run_days
    from flows.settings import Settings
    from flows.synthetic_export import write_import_example

    directory.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = f"sqlite:///{directory / 'sentinella.db'}"
    upgrade(engine=make_engine())
    context = app_context()
    console.print(f"[bold]1.[/] database ready: {os.environ['DATABASE_URL']}")
    summary = seed_book(engine=context.engine, contracts=contracts, start=date.fromisoformat(start), days=days,
                        seed=seed, rule_set_version=context.rules.version)
    console.print(f"[bold]2.[/] synthetic book seeded (seed {seed}, checksum {summary.checksum[:16]}…)")
    example = write_import_example(path=directory / "example-import.jsonl", seed=seed, start=date.fromisoformat(start))
    console.print(f"[bold]3.[/] an import file to try: {example}")
    os.environ.setdefault("SENTINELLA_VAR_DIR", str(directory))
    first = date.fromisoformat(start)
    last = first + timedelta(days=days + 75)  # time for the last restorations to complete
    console.print(f"[bold]4.[/] the daily cycle from {first} to {last} (intake, letters, switching, activation)")
    settings = Settings.from_environment()

    from flows.cli import now
    from flows.customer_simulation import CustomerSimulation, ensure_people

    ensure_people(engine=context.engine, now=now())
    customers = CustomerSimulation(engine=context.engine, rules=context.rules, calendar=context.calendar,
                                   settings=settings, seed=seed)

    def simulated_people(as_of: date) -> list:
        return [simulate_auditors(engine=context.engine, as_of=as_of, rules=context.rules, now=now(),
                                  settings=settings),
                simulate_agencies(engine=context.engine, as_of=as_of),
                customers.day(as_of=as_of, now=now()),
                simulate_payments(engine=context.engine, as_of=as_of, now=now(), seed=seed)]

    _days, totals = run_days(first=first, last=last, after_day=simulated_people)
    console.print(_summary_table("what the daily cycle did", list(totals.values())))
    with transaction(context.engine) as session:
        by_channel = session.execute(
            select(Contract.channel, Contract.commodity, func.count()).group_by(Contract.channel, Contract.commodity)
            .order_by(Contract.channel, Contract.commodity)
        ).all()
        agencies = session.execute(select(func.count()).select_from(Agency)).scalar_one()
        from db.models import Restoration

        sample = session.execute(select(Contract.external_id).join(Restoration, Restoration.contract_id == Contract.id)
                                 .where(Restoration.rebilled_on.is_not(None)).order_by(Contract.id).limit(1)
                                 ).scalar_one_or_none() or session.execute(
            select(Contract.external_id).order_by(Contract.id).limit(1)).scalar_one()
        revoked = session.execute(select(Agency.code, Agency.revoked_on, Agency.revocation_reason)
                                  .where(Agency.revoked_on.is_not(None)).order_by(Agency.code)).all()
        states = session.execute(select(Contract.state, func.count()).group_by(Contract.state)
                                 .order_by(func.count().desc())).all()
    table = Table("channel", "commodity", "contracts", title=f"{contracts:,} contracts from {agencies} agencies and direct channels")
    for channel, commodity, count in by_channel:
        table.add_row(channel.value, commodity.value, f"{count:,}")
    console.print(table)
    console.print("contracts by state: " + ", ".join(f"{state.value} {count:,}" for state, count in states))
    if revoked:
        console.print("[bold red]agencies revoked:[/] " + "; ".join(f"{code} on {on}: {why}" for code, on, why in revoked),
                      highlight=False)
    from flows.demo_outputs import headline_figures, write_demo_reports

    reports = write_demo_reports(engine=context.engine, rules=context.rules, first=first, last=last,
                                 folder=directory / "reports")
    headlines = Table("headline", "figure", title="what happened")
    for label, value in headline_figures(engine=context.engine):
        headlines.add_row(label, str(value))
    console.print(headlines)
    print_runs = sorted((directory / "letters" / "print-runs").glob("*/run-*.pdf"))
    console.print(
        "\nWhere to look next:\n"
        f"  {directory / 'letters'}/YYYY/MM/DD/          every letter, PDF and HTML\n"
        f"  {print_runs[0] if print_runs else '(no print run)'}   a print run for the mail house, with its manifest CSV\n"
        f"  {directory / 'outbox'}/sii/                   switch requests sent to the hub, and its acknowledgements\n"
        + "".join(f"  {path}   the {name}\n" for name, path in reports.items()) +
        f"  sentinella show {sample}                      a contract, its letters, bills and events\n"
        "  sentinella cases list --open                        the disownment queue, by deadline\n"
        "  sentinella web                                      the console (after: sentinella users add NAME --role ROLE)\n"
        f"  sentinella import contracts {example}   import records (some invalid on purpose)\n"
        "  sentinella rules show                               every number of the rulebook\n"
        f"  (set DATABASE_URL={os.environ['DATABASE_URL']} in your shell first)",
        highlight=False,
    )
