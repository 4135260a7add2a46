"""The terminal rendering of a contract view (``sentinella show``)."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from flows.cli_output import console, to_jsonable


def print_contract_view(view: dict[str, Any]) -> None:
    view = to_jsonable(view)
    c, customer, point = view["contract"], view["customer"], view["supply_point"]
    hold = " [bold red]ON HOLD[/]" if c["on_hold"] else ""
    lines = [
        f"[bold]{c['external_id']}[/] (n. {c['id']}) state [bold]{c['state']}[/]{hold}",
        f"{c['commodity']} via {c['channel']}, signed {c['signed_on']}, offer {c['offer_code']}",
        f"customer: {customer['name']} ({customer['kind']}{', vulnerable' if customer['vulnerable'] else ''}) "
        f"CF {customer['fiscal_code']}, {customer['phone']}, {customer['email'] or 'no e-mail'}",
        f"supply point: {point['code']} at {point['address']}",
    ]
    if view["agency"]:
        a = view["agency"]
        lines.append(f"agency: {a['code']} {a['name'] or '(unknown)'} ({a['status']}), "
                     f"agent {a['agent_badge']} {a['agent'] or '(unknown)'} ({a['agent_status']})")
    for label, key in (("withdrawal deadline", "withdrawal_deadline"), ("switch date", "switch_date"),
                       ("point of no return", "point_of_no_return"), ("active from", "activated_on"),
                       ("ended", "ended_on")):
        if c[key]:
            lines.append(f"{label}: {c[key]}")
    console.print(Panel(escape("\n".join(lines)), title="contract", expand=False), highlight=False)
    if c["state"] == "rejected_at_intake":
        rejected = [e for e in view["events"] if e["to"] == "rejected_at_intake"]
        for problem in (rejected[-1]["payload"].get("problems", []) if rejected else []):
            console.print(f"[red]intake problem[/] {escape(problem['field'])}: {escape(problem['reason'])}",
                          highlight=False)
    open_rejects = [r for r in view["import_rejects"] if not r["resolved"]]
    for reject in open_rejects:
        problems = "; ".join(f"{p['field']}: {p['reason']}" for p in reject["problems"])
        console.print(f"[red]import reject[/] {reject['source']} line {reject['line']}: {problems}", highlight=False)
    for title, rows, columns in (
        ("cases", view["cases"], ("reference", "kind", "status", "received_on", "reply_due_on", "outcome")),
        ("letters", view["letters"], ("kind", "written_on", "path")),
        ("bills", view["invoices"], ("number", "period_start", "period_end", "issued_on", "due_on", "total", "status",
                                     "paid_on", "sepa", "dunning")),
        ("credit notes", view["credit_notes"], ("number", "kind", "issued_on", "amount", "reason")),
        ("outbox", view["outbox"], ("queued_on", "kind", "destination", "status")),
    ):
        if rows:
            table = Table(*columns, title=title)
            for row in rows:
                table.add_row(*(", ".join(row[col]) if isinstance(row[col], list) else str(row[col] or "")
                                for col in columns))
            console.print(table)
    events = Table("effective", "event", "state", "by", "reason", title="events")
    for event in view["events"]:
        change = f"{event['from'] or ''} → {event['to']}" if event["to"] else ""
        events.add_row(event["effective_on"], event["kind"], change, event["actor"], event["reason"])
    console.print(events)
