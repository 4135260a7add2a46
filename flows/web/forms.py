"""Reading the withdrawal, disownment and decision forms: the CLI's checks, errors in Italian.

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
from letters.formatting import MISSING_ITEMS_IT, format_request_channel_it
from protocol.codes import CaseOutcome
from protocol.errors import SentinellaError

REQUEST_FIELDS = ("name", "supply_point", "supply_address", "phone")


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


def field_error_of(error: SentinellaError) -> tuple[str, str]:
    """The form field a use case's refusal belongs to, and its Italian message."""
    from flows.contract_view import ContractNotFound
    from flows.disownment_decisions import CaseAlreadyDecided, CaseNotFound
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
    if isinstance(error, CaseAlreadyDecided):
        return "_form", "La pratica è già stata decisa."
    if isinstance(error, (RoleNotAllowed, UnknownUser)):
        return "_form", "Il proprio ruolo non consente questa operazione."
    return "_form", "Operazione non riuscita: " + text
