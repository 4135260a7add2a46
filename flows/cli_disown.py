"""``sentinella disown / decide / sportello / hold / cases / users``: disownments and roles."""

from __future__ import annotations

import typer
from rich.table import Table

from flows.cli_output import console, date_option as _date, print_json
from protocol.codes import CaseOutcome, Role

cases_app = typer.Typer(help="Customer cases (withdrawals and disownments).", no_args_is_help=True)
hold_app = typer.Typer(help="The hold on invoicing, dunning and credit recovery.", no_args_is_help=True)
users_app = typer.Typer(help="People and their roles.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("disown")(disown_command)
    app.command("decide")(decide_command)
    app.command("sportello")(sportello_command)
    app.add_typer(cases_app, name="cases")
    app.add_typer(hold_app, name="hold")
    app.add_typer(users_app, name="users")


def disown_command(
    contract: str = typer.Argument(..., help="External id, contract number or POD/PDR."),
    received: str = typer.Option(..., "--received"),
    sent: str | None = typer.Option(None, "--sent"),
    channel: str = typer.Option(..., "--channel", help="phone | email | letter | branch | association | sportello"),
    by: str = typer.Option(..., "--by", help="The customer-service user recording it."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Open a disownment case and place the hold, in the same transaction."""
    from flows.cli import now
    from flows.disownments import DISOWNMENT_CHANNELS, open_disownment
    from flows.runtime import app_context

    if channel not in DISOWNMENT_CHANNELS:
        raise typer.BadParameter(f"'{channel}' is not one of: {', '.join(DISOWNMENT_CHANNELS)}", param_hint="--channel")
    context = app_context()
    result = open_disownment(engine=context.engine, contract_reference=contract, received_on=_date(received, "--received"),
                             sent_on=_date(sent, "--sent") if sent else None, channel=channel, by=by, now=now(),
                             rules=context.rules, calendar=context.calendar)
    if as_json:
        print_json(result)
        return
    if result.already_open:
        console.print(f"{result.contract} already has an open disownment case {result.case_reference}: nothing changed")
        return
    console.print(f"case [bold]{result.case_reference}[/] opened for {result.contract}; "
                  f"[bold red]hold placed[/]; reply due by {result.reply_due_on}"
                  + (f"; {result.collections_withdrawn} SEPA collections withdrawn" if result.collections_withdrawn else ""))


def decide_command(
    case: str = typer.Argument(..., help="The case reference, e.g. DIS-2026-000012."),
    outcome: CaseOutcome = typer.Option(..., "--outcome", help="accepted | rejected"),
    reason: str = typer.Option(..., "--reason"),
    by: str = typer.Option(..., "--by", help="A user whose role may decide (not sales)."),
    on: str | None = typer.Option(None, "--date"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Decide a disownment; the reply letter is written and the consequences applied."""
    from flows.cli import now
    from flows.disownment_decisions import decide_disownment
    from flows.runtime import app_context
    from flows.settings import Settings

    if outcome is CaseOutcome.LATE:
        raise typer.BadParameter("the outcome is accepted or rejected", param_hint="--outcome")
    context = app_context()
    result = decide_disownment(engine=context.engine, case_reference=case, outcome=outcome, reason=reason, by=by,
                               as_of=_date(on, "--date"), now=now(), rules=context.rules, calendar=context.calendar,
                               settings=Settings.from_environment())
    if as_json:
        print_json(result)
        return
    console.print(f"case {result.case_reference} ({result.contract}): [bold]{result.outcome}[/]")
    console.print(f"  {result.tirv_note}", highlight=False)
    if result.activation_stopped:
        console.print("  activation stopped: the contract is void, nothing will be billed")
    if result.restoration:
        console.print(f"  restoration to the previous supplier: {result.restoration}")
    if result.late_reply_indemnity:
        console.print(f"  late reply: TIQV automatic indemnity of {result.late_reply_indemnity} € owed")
    if result.letter:
        console.print(f"  letter: {result.letter}")


def sportello_command(
    case: str = typer.Argument(...),
    finding: str = typer.Option(..., "--finding", help="unfounded | founded (the rejection, as the Sportello sees it)"),
    on: str = typer.Option(..., "--date"),
    by: str = typer.Option(..., "--by"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Record the ARERA Sportello's finding on a rejected disownment; 'unfounded' reopens it as accepted."""
    from flows.cli import now
    from flows.disownment_decisions import record_sportello_finding
    from flows.runtime import app_context
    from flows.settings import Settings

    if finding not in ("unfounded", "founded"):
        raise typer.BadParameter("'unfounded' or 'founded'", param_hint="--finding")
    context = app_context()
    result = record_sportello_finding(engine=context.engine, case_reference=case, finding=finding,
                                      on=_date(on, "--date"), by=by, now=now(), rules=context.rules,
                                      calendar=context.calendar, settings=Settings.from_environment())
    if as_json:
        print_json(result or {"case": case, "finding": finding})
    else:
        console.print(f"{case}: Sportello finding '{finding}' recorded"
                      + (f"; reopened as accepted ({result.restoration or 'activation stopped'})" if result else ""))


@hold_app.command("release")
def release_command(
    case: str = typer.Argument(..., help="A rejected disownment case."),
    by: str = typer.Option(..., "--by"),
    reason: str = typer.Option(..., "--reason"),
    on: str | None = typer.Option(None, "--date"),
) -> None:
    """Release the hold after a rejection: an explicit, logged act."""
    from flows.cli import now
    from flows.disownments import release_hold
    from flows.runtime import app_context

    released = release_hold(engine=app_context().engine, case_reference_=case, by=by, reason=reason,
                            as_of=_date(on, "--date"), now=now())
    console.print("hold released" if released else "no hold was standing")


@cases_app.command("list")
def cases_list_command(
    open_only: bool = typer.Option(False, "--open"),
    overdue: bool = typer.Option(False, "--overdue"),
    on: str | None = typer.Option(None, "--date", help="The day deadlines are measured against (default: today)."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The case queue, sorted by reply deadline; overdue ones marked."""
    from flows.disownment_decisions import case_queue
    from flows.runtime import app_context

    rows = case_queue(engine=app_context().engine, as_of=_date(on, "--date"), open_only=open_only or overdue,
                      overdue_only=overdue)
    if as_json:
        print_json(rows)
        return
    table = Table("case", "kind", "contract", "received", "reply due", "days left", "status", "hold",
                  title=f"{len(rows)} cases")
    for row in rows:
        style = "bold red" if row["overdue"] else None
        table.add_row(row["case"], row["kind"], row["contract"], str(row["received_on"]), str(row["reply_due_on"]),
                      str(row["days_left"]), row["status"], "yes" if row["on_hold"] else "", style=style)
    console.print(table)


@users_app.command("add")
def users_add_command(
    username: str = typer.Argument(...),
    role: Role = typer.Option(..., "--role"),
    full_name: str = typer.Option("", "--name"),
    password: str | None = typer.Option(None, "--password", help="Web console password (asked for on a terminal "
                                        "when omitted; empty: no web login)."),
) -> None:
    """Add a user with one role (customer_service, sales_manager, compliance, liaison, administrator)."""
    from flows.cli import now
    from flows.runtime import app_context
    from flows.users import add_user
    import sys

    from flows.web.passwords import hash_password, store_password_hash

    if password is None and sys.stdin.isatty():
        password = typer.prompt("web console password (empty: no web login)", default="", hide_input=True,
                                confirmation_prompt=True, show_default=False)
    hashed = hash_password(password=password) if password else None  # a too-short password adds nobody
    engine = app_context().engine
    add_user(engine=engine, username=username, role=role, full_name=full_name, now=now())
    if hashed:
        store_password_hash(engine=engine, username=username, password_hash=hashed)
    console.print(f"user {username} added as {role.value}" + (" (web login enabled)" if password else ""))


@users_app.command("list")
def users_list_command(as_json: bool = typer.Option(False, "--json")) -> None:
    from flows.runtime import app_context
    from flows.users import list_users

    rows = list_users(engine=app_context().engine)
    if as_json:
        print_json(rows)
        return
    table = Table("user", "name", "role", "active")
    for row in rows:
        table.add_row(row["username"], row["full_name"], row["role"], "yes" if row["active"] else "no")
    console.print(table)
