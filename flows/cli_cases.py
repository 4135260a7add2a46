"""``sentinella withdraw``: record a customer's withdrawal (ripensamento)."""

from __future__ import annotations

import typer

from flows.cli_output import console, date_option as _date, print_json
from protocol.codes import RequestChannel

WITHDRAWAL_CHANNELS = ("raccomandata", "letter", "fax", "email")


def register(app: typer.Typer) -> None:
    app.command("withdraw")(withdraw_command)


def withdraw_command(
    contract: str = typer.Argument(..., help="External id (HC-…), contract number or POD/PDR."),
    received: str = typer.Option(..., "--received", help="Date the request was received (YYYY-MM-DD)."),
    sent: str | None = typer.Option(None, "--sent", help="Date it was sent, when the channel proves it (postmark, e-mail, fax)."),
    channel: str = typer.Option(..., "--channel", help="raccomandata | letter | fax | email"),
    missing: list[str] = typer.Option([], "--missing", help="A required item the request lacks: name, supply_point, supply_address, phone (repeatable)."),
    on: str | None = typer.Option(None, "--date", help="Business date of the decision (default: today)."),
    by: str = typer.Option("customer-service", "--by", help="Who records it."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Record a withdrawal, decide it by the rules, and write the reply letter."""
    from flows.cli import now, today
    from flows.runtime import app_context
    from flows.settings import Settings
    from flows.withdrawals import record_withdrawal

    if channel not in WITHDRAWAL_CHANNELS:
        raise typer.BadParameter(f"'{channel}' is not one of: {', '.join(WITHDRAWAL_CHANNELS)}", param_hint="--channel")
    context = app_context()
    result = record_withdrawal(
        engine=context.engine, contract_reference=contract, received_on=_date(received, "--received"),
        sent_on=_date(sent, "--sent") if sent else None, channel=RequestChannel(channel),
        missing_fields=frozenset(missing), as_of=_date(on, "--date") if on else today(), actor=by, now=now(),
        rules=context.rules, calendar=context.calendar, settings=Settings.from_environment(),
    )
    if as_json:
        print_json(result)
        return
    colour = {"in_time": "green", "accepted": "green", "incomplete": "yellow"}.get(result.outcome, "red")
    console.print(f"case [bold]{result.case_reference}[/] for {result.contract}: [{colour}]{result.outcome}[/]"
                  + (" (already recorded: nothing changed)" if result.already_recorded else ""))
    console.print(f"  counted on {result.counted_on}, deadline {result.deadline}; contract now {result.contract_state}")
    console.print(f"  {result.reason}", highlight=False)
    if result.return_on:
        console.print(f"  supply returns to the previous supplier on {result.return_on}")
    for message in result.messages:
        console.print(f"  queued: {message}")
    if result.letter:
        console.print(f"  letter: {result.letter}")

