"""Reading the console's forms (withdrawal, disownment, decision, opt-in, Sportello): the CLI's
checks, errors in Italian.

Each reader returns the values the use case takes, or raises ``FormInvalid`` with one Italian
message per field. The domain's own refusals (``ImpossibleDates``, ``ContractNotFound``...) are
translated by ``field_error_of`` after the use case has run: the rules live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from starlette.datastructures import FormData

from flows.cli_cases import WITHDRAWAL_CHANNELS
from flows.disownments import DISOWNMENT_CHANNELS
from letters.formatting import MISSING_ITEMS_IT, format_date_it, format_request_channel_it
from protocol.codes import CaseOutcome
from protocol.errors import SentinellaError

REQUEST_FIELDS = ("name", "supply_point", "supply_address", "phone")
SPORTELLO_FINDINGS = ("unfounded", "founded")


class FormInvalid(SentinellaError):
    """A form has fields to correct; ``errors`` maps each field to an Italian message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class RequestForm:
    received_on: date
    sent_on: date | None
    channel: str
    missing: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DecisionForm:
    outcome: CaseOutcome
    reason: str


@dataclass(frozen=True)
class SportelloForm:
    finding: str
    on: date


def channel_choices(channels: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(code, format_request_channel_it(code)) for code in channels]


def missing_choices() -> list[tuple[str, str]]:
    return [(code, MISSING_ITEMS_IT[code]) for code in REQUEST_FIELDS]


def _date(form: FormData, field: str, errors: dict[str, str], *, required: bool) -> date | None:
    text = str(form.get(field, "")).strip()
    if not text:
        if required:
            errors[field] = "Campo obbligatorio: indicare la data."
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = f"«{text}» non è una data valida (formato AAAA-MM-GG)."
        return None


def _channel(form: FormData, allowed: tuple[str, ...], errors: dict[str, str]) -> str:
    channel = str(form.get("channel", "")).strip()
    if channel not in allowed:
        errors["channel"] = ("Scegliere il canale: " + ", ".join(format_request_channel_it(c) for c in allowed) + ".")
    return channel


def read_request_form(form: FormData, *, kind: str) -> RequestForm:
    """A withdrawal (``kind="withdrawal"``) or disownment request. Raises FormInvalid."""
    errors: dict[str, str] = {}
    received = _date(form, "received", errors, required=True)
    sent = _date(form, "sent", errors, required=False)
    channel = _channel(form, WITHDRAWAL_CHANNELS if kind == "withdrawal" else DISOWNMENT_CHANNELS, errors)
    missing = frozenset(str(value) for value in form.getlist("missing"))
    if not missing <= set(REQUEST_FIELDS):
        errors["missing"] = "Elemento mancante non riconosciuto."
    if errors:
        raise FormInvalid(errors)
    return RequestForm(received_on=received, sent_on=sent, channel=channel, missing=missing)


def read_decision_form(form: FormData) -> DecisionForm:
    """The decision on a disownment: accepted or rejected, with its reason. Raises FormInvalid."""
    errors: dict[str, str] = {}
    outcome = str(form.get("outcome", ""))
    if outcome not in (CaseOutcome.ACCEPTED.value, CaseOutcome.REJECTED.value):
        errors["outcome"] = "Scegliere l'esito: accolto o respinto."
    reason = str(form.get("reason", "")).strip()
    if not reason:
        errors["reason"] = "Campo obbligatorio: motivare la decisione."
    if errors:
        raise FormInvalid(errors)
    return DecisionForm(outcome=CaseOutcome(outcome), reason=reason)


def _not_in_the_future(field: str, on: date | None, today: date, errors: dict[str, str]) -> None:
    if on is not None and on > today:
        errors[field] = f"La data non può essere successiva a oggi ({format_date_it(today)})."


def read_opt_in_form(form: FormData, *, today: date) -> date:
    """The day the customer confirmed the return to the previous supplier. Raises FormInvalid."""
    errors: dict[str, str] = {}
    on = _date(form, "opted_in_on", errors, required=True)
    _not_in_the_future("opted_in_on", on, today, errors)
    if errors:
        raise FormInvalid(errors)
    return on


def read_sportello_form(form: FormData, *, today: date, decided_on: date | None) -> SportelloForm:
    """The Sportello per il Consumatore's finding on a rejection, and its date. Raises FormInvalid."""
    errors: dict[str, str] = {}
    finding = str(form.get("finding", ""))
    if finding not in SPORTELLO_FINDINGS:
        errors["finding"] = "Scegliere l'esito dello Sportello: rigetto infondato o rigetto fondato."
    on = _date(form, "sportello_on", errors, required=True)
    _not_in_the_future("sportello_on", on, today, errors)
    if on is not None and decided_on is not None and on < decided_on and "sportello_on" not in errors:
        errors["sportello_on"] = f"La data è anteriore alla decisione della pratica ({format_date_it(decided_on)})."
    if errors:
        raise FormInvalid(errors)
    return SportelloForm(finding=finding, on=on)


def field_error_of(error: SentinellaError) -> tuple[str, str]:
    """The form field a use case's refusal belongs to, and its Italian message."""
    from flows.contract_view import ContractNotFound
    from flows.disownment_decisions import CaseAlreadyDecided, CaseNotFound
    from flows.restoration_opt_in import NoRestorationAwaitingOptIn, OptInTooLate
    from flows.users import RoleNotAllowed, UnknownUser
    from protocol.cooling_off import UnknownRequestField
    from protocol.lifecycle import ImpossibleDates

    text = str(error)
    if isinstance(error, ImpossibleDates):
        if text.startswith("sent on"):
            return "sent", "La data di invio è successiva alla data di ricezione."
        if "precedes the signature" in text:
            return "received", "La richiesta risulta anteriore alla firma del contratto."
        if "precedes the receipt" in text:
            return "received", "La data di ricezione è successiva alla data odierna."
        return "received", "Le date indicate non sono coerenti tra loro."
    if isinstance(error, UnknownRequestField):
        return "missing", "Elemento mancante non riconosciuto."
    if isinstance(error, ContractNotFound):
        return "_form", "Contratto non trovato."
    if isinstance(error, CaseNotFound):
        return "_form", "Pratica non trovata."
    if isinstance(error, OptInTooLate):
        return "opted_in_on", ("Adesione fuori termine: i 20 giorni dalla risposta si sono chiusi il "
                               f"{format_date_it(error.window_closed_on)}. Nulla è cambiato.")
    if isinstance(error, NoRestorationAwaitingOptIn):
        return "_form", "Nessun ripristino di questa pratica è in attesa dell'adesione del cliente."
    if isinstance(error, CaseAlreadyDecided):
        return "_form", "La pratica è già stata decisa."
    if isinstance(error, (RoleNotAllowed, UnknownUser)):
        return "_form", "Il proprio ruolo non consente questa operazione."
    return "_form", "Operazione non riuscita: " + text
