"""One contract's timeline for customer service, built on ``flows.contract_view``.

The contract view (customer, supply point, agency, state, hold, cases, events, letters, bills,
credit notes, outbox messages) is reused as it is; this adds the letters' ids (for the PDF links)
and merges everything into one list, newest first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Letter
from flows.contract_view import contract_view, find_contract

ROME = ZoneInfo("Europe/Rome")


@dataclass(frozen=True)
class Entry:
    """One line of the timeline. ``kind``: event, letter, invoice, credit_note, outbox."""

    kind: str
    on: date
    at: datetime | None
    title: str
    detail: str
    actor: str | None = None
    link: str | None = None
    amount: object = None
    status: object = None  # events: (from_state, to_state); invoices and outbox: their status code


def _day(moment: datetime) -> date:
    return moment.astimezone(ROME).date() if moment.tzinfo else moment.date()


def contract_timeline(session: Session, *, reference: str) -> dict:
    """The contract view plus ``timeline``: its events, letters (linked by id), invoices, credit notes
    and outbox messages in one list, newest first.

    Raises ContractNotFound.
    """
    view = contract_view(session, reference=reference)
    contract_id = find_contract(session, reference=reference).id
    letters = session.execute(select(Letter.id, Letter.kind, Letter.written_on, Letter.created_at)
                              .where(Letter.contract_id == contract_id).order_by(Letter.id)).all()
    entries = [Entry(kind="event", on=e["effective_on"] or _day(e["at"]), at=e["at"], title=e["kind"],
                     detail=e["reason"] or "", actor=e["actor"],
                     status=(e["from"], e["to"]) if e["to"] and e["to"] != e["from"] else None)
               for e in view["events"]]
    entries += [Entry(kind="letter", on=written_on, at=created_at, title=kind, detail="", link=f"/lettere/{letter_id}")
                for letter_id, kind, written_on, created_at in letters]
    entries += [Entry(kind="invoice", on=i["issued_on"], at=None, title=i["number"], amount=i["total"],
                      status=i["status"], detail=_invoice_detail(i)) for i in view["invoices"]]
    entries += [Entry(kind="credit_note", on=n["issued_on"], at=None, title=n["kind"],
                      detail=f"{n['number']}: {n['reason']}", amount=n["amount"]) for n in view["credit_notes"]]
    entries += [Entry(kind="outbox", on=m["queued_on"], at=None, title=m["kind"],
                      detail=f"a {m['destination']} ({m['key']})", status=m["status"]) for m in view["outbox"]]
    entries.sort(key=lambda entry: (entry.on, entry.at.timestamp() if entry.at else 0.0), reverse=True)
    return {**view, "timeline": entries}


def _invoice_detail(invoice: dict) -> str:
    parts = [f"periodo {invoice['period_start'].strftime('%d/%m/%Y')}–"
             f"{(invoice['period_end'] - timedelta(days=1)).strftime('%d/%m/%Y')}",
             f"scadenza {invoice['due_on'].strftime('%d/%m/%Y')}"]
    if invoice.get("paid_on"):
        parts.append(f"pagata il {invoice['paid_on'].strftime('%d/%m/%Y')}")
    if invoice.get("sepa"):
        parts.append(f"SEPA: {invoice['sepa']}")
    if invoice.get("dunning"):
        parts.append("solleciti: " + ", ".join(invoice["dunning"]))
    return "; ".join(parts)
