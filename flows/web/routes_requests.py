"""Customer service: recording a withdrawal or a disownment through the CLI's use cases."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from db.engine import transaction
from flows.cli_cases import WITHDRAWAL_CHANNELS
from flows.contract_view import ContractNotFound, find_contract
from flows.disownments import DISOWNMENT_CHANNELS, open_disownment
from flows.web.forms import FormInvalid, channel_choices, field_error_of, missing_choices, read_request_form
from flows.web.labels import OUTCOMES_IT, label
from flows.web.session import WebUser, allowed_user, verified_form
from flows.web.templating import render
from flows.withdrawals import record_withdrawal
from letters.formatting import format_date_it
from protocol.codes import RequestChannel
from protocol.errors import SentinellaError

router = APIRouter()
KINDS = {
    "disconoscimento": {"kind": "disownment", "action": "record a disownment", "channels": DISOWNMENT_CHANNELS,
                        "title": "Registra un disconoscimento (contratto non richiesto)"},
    "ripensamento": {"kind": "withdrawal", "action": "record a withdrawal", "channels": WITHDRAWAL_CHANNELS,
                     "title": "Registra un ripensamento"},
}


def _contract_id(request: Request, reference: str) -> str | None:
    try:
        with transaction(request.app.state.config.context.engine) as session:
            return find_contract(session, reference=reference).external_id
    except ContractNotFound:
        return None


def _form_page(request: Request, *, user: WebUser, slug: str, contract: str, values: dict, errors: dict,
               status_code: int = 200):
    spec = KINDS[slug]
    return render(request, "request_form.html", user=user, slug=slug, kind=spec["kind"], title=spec["title"],
                  contract=contract, channels=channel_choices(spec["channels"]), missing_items=missing_choices(),
                  values=values, errors=errors, status_code=status_code)


def _page(slug: str):
    def page(request: Request, reference: str, user: WebUser = Depends(allowed_user(KINDS[slug]["action"]))):
        contract = _contract_id(request, reference)
        if contract is None:
            return render(request, "not_found.html", user=user, what=f"Nessun contratto «{reference}».",
                          status_code=404)
        return _form_page(request, user=user, slug=slug, contract=contract, values={}, errors={})
    return page


def _record(request: Request, *, slug: str, user: WebUser, contract: str, form: FormData) -> str:
    """Run the use case; the Italian summary shown on the timeline. Raises FormInvalid, SentinellaError."""
    config = request.app.state.config
    context = config.context
    parsed = read_request_form(form, kind=KINDS[slug]["kind"])
    if slug == "disconoscimento":
        opened = open_disownment(engine=context.engine, contract_reference=contract, received_on=parsed.received_on,
                                 sent_on=parsed.sent_on, channel=parsed.channel, by=user.username, now=config.now(),
                                 rules=context.rules, calendar=context.calendar)
        if opened.already_open:
            return f"Il contratto ha già la pratica di disconoscimento aperta {opened.case_reference}: nulla è cambiato."
        return (f"Pratica {opened.case_reference} aperta: blocco di fatturazione, solleciti e recupero crediti "
                f"applicato. Risposta dovuta entro il {format_date_it(opened.reply_due_on)}.")
    result = record_withdrawal(engine=context.engine, contract_reference=contract, received_on=parsed.received_on,
                               sent_on=parsed.sent_on, channel=RequestChannel(parsed.channel),
                               missing_fields=parsed.missing, as_of=config.today(), actor=user.username,
                               now=config.now(), rules=context.rules, calendar=context.calendar,
                               settings=config.settings)
    already = " (già registrato: nulla è cambiato)" if result.already_recorded else ""
    return f"Ripensamento {result.case_reference}: {label(OUTCOMES_IT, result.outcome)}{already}."


def _submit(slug: str):
    def submit(request: Request, reference: str, user: WebUser = Depends(allowed_user(KINDS[slug]["action"])),
               form: FormData = Depends(verified_form)):
        contract = _contract_id(request, reference)
        if contract is None:
            return render(request, "not_found.html", user=user, what=f"Nessun contratto «{reference}».",
                          status_code=404)
        values = {key: form.get(key, "") for key in ("received", "sent", "channel")} | {
            "missing": form.getlist("missing")}
        try:
            summary = _record(request, slug=slug, user=user, contract=contract, form=form)
        except FormInvalid as invalid:
            return _form_page(request, user=user, slug=slug, contract=contract, values=values, errors=invalid.errors,
                              status_code=422)
        except SentinellaError as refused:
            field, message = field_error_of(refused)
            return _form_page(request, user=user, slug=slug, contract=contract, values=values,
                              errors={field: message}, status_code=422)
        request.session["flash"] = summary
        return RedirectResponse(f"/contratti/{quote(contract)}", status_code=303)
    return submit


for _slug in KINDS:
    router.add_api_route(f"/contratti/{{reference}}/{_slug}", _page(_slug), methods=["GET"])
    router.add_api_route(f"/contratti/{{reference}}/{_slug}", _submit(_slug), methods=["POST"])
