"""The console's Jinja2 environment: autoescaping on, strict undefined, Italian filters."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from flows.scorecard_render import NONCONFORMITIES_IT, STATUSES_IT, format_interval_it, format_percent_it
from flows.web import labels
from flows.web.permissions import ROLES_IT
from flows.web.session import WebUser, csrf_token
from letters.formatting import JINJA_FILTERS, format_date_it

TEMPLATES_DIR = Path(__file__).with_name("templates")
STATIC_DIR = Path(__file__).with_name("static")
ROME = ZoneInfo("Europe/Rome")


def datetime_it(moment: datetime) -> str:
    """``"4 maggio 2026, 11:30"`` in Rome time."""
    return format_datetime(moment.astimezone(ROME) if moment.tzinfo else moment, "d MMMM y, HH:mm", locale="it_IT")


def day_it(moment: date | datetime | None) -> str:
    """A date (or a datetime's Rome date) in Italian; a dash when absent."""
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        return datetime_it(moment)
    return format_date_it(moment)


def _environment() -> Environment:
    environment = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters.update(JINJA_FILTERS)
    environment.filters.update(
        day_it=day_it, datetime_it=datetime_it, percent_it=format_percent_it, interval_it=format_interval_it,
        state_it=lambda code: labels.label(labels.STATES_IT, code),
        event_it=lambda code: labels.label(labels.EVENTS_IT, code),
        case_kind_it=lambda code: labels.label(labels.CASE_KINDS_IT, code),
        case_status_it=lambda code: labels.label(labels.CASE_STATUSES_IT, code),
        outcome_it=lambda code: labels.label(labels.OUTCOMES_IT, code),
        restoration_status_it=lambda code: labels.label(labels.RESTORATION_STATUSES_IT, code),
        sportello_finding_it=lambda code: labels.label(labels.SPORTELLO_FINDINGS_IT, code),
        outbox_status_it=lambda code: labels.label(labels.OUTBOX_STATUSES_IT, code),
        invoice_status_it=lambda code: labels.label(labels.INVOICE_STATUSES_IT, code),
        credit_note_kind_it=lambda code: labels.label(labels.CREDIT_NOTE_KINDS_IT, code),
        letter_kind_it=lambda code: labels.label(labels.LETTER_KINDS_IT, code),
        customer_kind_it=lambda code: labels.label(labels.CUSTOMER_KINDS_IT, code),
        role_it=lambda code: labels.label(ROLES_IT, code),
        mandate_it=lambda code: labels.label(STATUSES_IT, code),
        nonconformity_it=lambda code: labels.label(NONCONFORMITIES_IT, code),
    )
    return environment


TEMPLATES = Jinja2Templates(env=_environment())


def render(request: Request, name: str, *, user: WebUser | None, status_code: int = 200, **context):
    """The page ``name`` with the user and the session's CSRF token in its context."""
    return TEMPLATES.TemplateResponse(request, name, {"user": user, "csrf": csrf_token(request), **context},
                                      status_code=status_code)
