"""The case queue (sorted by deadline, overdue marked), a case, and what is done on it: the
decision on a disownment, the release of a hold, the customer's opt-in to the restoration and
the Sportello's finding on a rejection.

Each form is shown only to roles that may use it; the POST checks the role again on the server
(403, nothing changes) before the use case, which checks it a third time.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from db.engine import transaction
from sqlalchemy import select

from db.models import Contract, Restoration
from flows.disownment_decisions import (Decision, case_by_reference, case_queue, decide_disownment,
                                        record_sportello_finding)
from flows.disownments import release_hold
from flows.restoration_opt_in import OptIn, record_opt_in
from flows.users import RoleNotAllowed
from flows.web.forms import FormInvalid, field_error_of, read_decision_form, read_opt_in_form, read_sportello_form
from flows.web.labels import OUTCOMES_IT, RESTORATION_STATUSES_IT, label
from flows.web.session import Forbidden, WebUser, allowed_user, verified_form
from flows.web.templating import render
from letters.formatting import format_date_it, format_euro
from protocol.codes import CaseKind, CaseOutcome, CaseStatus, RestorationStatus
from protocol.errors import SentinellaError

router = APIRouter()
T = TypeVar("T")


@router.get("/casi")
def queue_page(request: Request, scaduti: bool = False, tutti: bool = False,
               user: WebUser = Depends(allowed_user("view the case queue"))):
    config = request.app.state.config
    rows = case_queue(engine=config.context.engine, as_of=config.today(), open_only=not tutti, overdue_only=scaduti)
    return render(request, "queue.html", user=user, rows=rows, overdue_only=scaduti, everything=tutti,
                  as_of=config.today())


def _case(request: Request, reference: str) -> dict | None:
    with transaction(request.app.state.config.context.engine) as session:
        case = case_by_reference(session, reference=reference)
        if case is None:
            return None
        contract = session.get(Contract, case.contract_id)
        restoration = session.execute(select(Restoration).where(Restoration.case_id == case.id)).scalar_one_or_none()
        decidable = case.kind is CaseKind.DISOWNMENT and (
            case.status is not CaseStatus.DECIDED
            or (case.outcome is CaseOutcome.REJECTED and case.sportello_finding == "unfounded"))
        return {"reference": case.reference, "kind": case.kind.value, "status": case.status.value,
                "outcome": case.outcome.value if case.outcome else None, "channel": case.channel.value,
                "received_on": case.received_on, "sent_on": case.sent_on, "counted_on": case.counted_on,
                "reply_due_on": case.reply_due_on, "decided_on": case.decided_on, "decided_by": case.decided_by,
                "decision_reason": case.decision_reason, "tirv_note": case.tirv_note, "opened_by": case.opened_by,
                "missing_fields": case.missing_fields or [], "contract": contract.external_id,
                "on_hold": contract.on_hold, "decidable": decidable,
                "releasable": contract.on_hold and case.outcome is CaseOutcome.REJECTED,
                "sportello_finding": case.sportello_finding, "sportello_on": case.sportello_on,
                "sportello_open": (case.kind is CaseKind.DISOWNMENT and case.outcome is CaseOutcome.REJECTED
                                   and case.sportello_finding is None),
                "restoration": _restoration(restoration),
                "opt_in_open": restoration is not None and restoration.status is RestorationStatus.AWAITING_OPT_IN}


def _restoration(restoration: Restoration | None) -> dict | None:
    if restoration is None:
        return None
    return {"status": restoration.status.value, "opt_in_required": restoration.opt_in_required,
            "opt_in_due_on": restoration.opt_in_due_on, "opted_in_on": restoration.opted_in_on,
            "request_due_on": restoration.request_due_on, "requested_on": restoration.requested_on,
            "return_on": restoration.return_on, "rebilled_on": restoration.rebilled_on,
            "completed_on": restoration.completed_on}


def _case_page(request: Request, *, user: WebUser, case: dict, values: dict, errors: dict, status_code: int = 200):
    return render(request, "case.html", user=user, case=case, values=values, errors=errors,
                  notice=request.session.pop("flash", None), status_code=status_code,
                  today=request.app.state.config.today())


def _attempt(request: Request, *, user: WebUser, case: dict, values: dict, action: Callable[[], T], forbidden: str,
             refusals_on: str | None = None) -> tuple[T | None, Response | None]:
    """Run a case action: ``(its result, None)``, or ``(None, the case page with the errors)`` when
    the form or the use case refuses it (nothing changed); 403 when the role may not. A use case's
    refusal is shown next to its field, or on ``refusals_on`` when given."""
    try:
        return action(), None
    except FormInvalid as invalid:
        errors = invalid.errors
    except RoleNotAllowed:
        raise Forbidden(forbidden) from None
    except SentinellaError as refused:
        field, message = field_error_of(refused)
        errors = {refusals_on or field: message}
    return None, _case_page(request, user=user, case=case, values=values, errors=errors, status_code=422)


def _not_found(request: Request, user: WebUser, reference: str):
    return render(request, "not_found.html", user=user, what=f"Nessuna pratica «{reference}».", status_code=404)


@router.get("/casi/{reference}")
def case_page(request: Request, reference: str, user: WebUser = Depends(allowed_user("view the case queue"))):
    case = _case(request, reference)
    if case is None:
        return _not_found(request, user, reference)
    return _case_page(request, user=user, case=case, values={}, errors={})


@router.post("/casi/{reference}/decisione")
def decide(request: Request, reference: str, user: WebUser = Depends(allowed_user("decide a disownment")),
           form: FormData = Depends(verified_form)):
    case = _case(request, reference)
    if case is None:
        return _not_found(request, user, reference)
    values = {"outcome": form.get("outcome", ""), "reason": form.get("reason", "")}
    config = request.app.state.config

    def action() -> Decision:
        decision = read_decision_form(form)
        return decide_disownment(engine=config.context.engine, case_reference=case["reference"],
                                 outcome=decision.outcome, reason=decision.reason, by=user.username,
                                 as_of=config.today(), now=config.now(), rules=config.context.rules,
                                 calendar=config.context.calendar, settings=config.settings)

    result, refusal = _attempt(request, user=user, case=case, values=values, action=action,
                               forbidden="il proprio ruolo non consente di decidere i disconoscimenti")
    if refusal is not None:
        return refusal
    request.session["flash"] = _decision_summary(result)
    return RedirectResponse(f"/casi/{quote(result.case_reference)}", status_code=303)


def _decision_summary(result: Decision) -> str:
    summary = f"Pratica {result.case_reference}: disconoscimento {label(OUTCOMES_IT, result.outcome)}."
    if result.activation_stopped:
        summary += " Attivazione fermata: il contratto è annullato e non sarà fatturato."
    if result.restoration:
        summary += (" Avviato il ripristino presso il precedente fornitore ("
                    f"{label(RESTORATION_STATUSES_IT, result.restoration)}).")
    if result.late_reply_indemnity:
        summary += (" Risposta tardiva: indennizzo automatico TIQV di "
                    f"{format_euro(Decimal(result.late_reply_indemnity))} dovuto.")
    return summary


@router.post("/casi/{reference}/rimozione-blocco")
def release(request: Request, reference: str, user: WebUser = Depends(allowed_user("release a hold")),
            form: FormData = Depends(verified_form)):
    """Release the hold of a rejected case: ``release_hold``, an explicit act logged with who and why."""
    case = _case(request, reference)
    if case is None:
        return _not_found(request, user, reference)
    reason = str(form.get("release_reason", "")).strip()
    if not reason:
        return _case_page(request, user=user, case=case, values={}, status_code=422,
                          errors={"release_reason": "Campo obbligatorio: indicare perché il blocco viene rimosso."})
    config = request.app.state.config
    try:
        released = release_hold(engine=config.context.engine, case_reference_=case["reference"], by=user.username,
                                reason=reason, as_of=config.today(), now=config.now())
    except RoleNotAllowed:
        raise Forbidden("il proprio ruolo non consente di rimuovere il blocco") from None
    except SentinellaError:
        return _case_page(request, user=user, case=case, values={}, status_code=422,
                          errors={"release_reason": "Solo il blocco di una pratica respinta può essere rimosso."})
    request.session["flash"] = "Blocco rimosso." if released else "Nessun blocco era attivo: nulla è cambiato."
    return RedirectResponse(f"/casi/{quote(case['reference'])}", status_code=303)


@router.post("/casi/{reference}/adesione-ripristino")
def opt_in(request: Request, reference: str, user: WebUser = Depends(allowed_user("record a restoration opt-in")),
           form: FormData = Depends(verified_form)):
    """The domestic customer's opt-in to the return to the previous supplier (``record_opt_in``)."""
    case = _case(request, reference)
    if case is None:
        return _not_found(request, user, reference)
    values = {"opted_in_on": form.get("opted_in_on", "")}
    config = request.app.state.config

    def action() -> OptIn:
        return record_opt_in(engine=config.context.engine, case_reference=case["reference"],
                             on=read_opt_in_form(form, today=config.today()), by=user.username, now=config.now(),
                             rules=config.context.rules, calendar=config.context.calendar)

    result, refusal = _attempt(request, user=user, case=case, values=values, action=action,
                               forbidden="il proprio ruolo non consente di registrare l'adesione al ripristino")
    if refusal is not None:
        return refusal
    if result.already_recorded:
        request.session["flash"] = (f"L'adesione era già registrata il {format_date_it(result.opted_in_on)}: "
                                    "nulla è cambiato.")
    else:
        request.session["flash"] = (f"Adesione al ripristino registrata il {format_date_it(result.opted_in_on)}: la "
                                    "richiesta al precedente fornitore parte entro il "
                                    f"{format_date_it(result.request_due_on)}.")
    return RedirectResponse(f"/casi/{quote(case['reference'])}", status_code=303)


@router.post("/casi/{reference}/sportello")
def sportello(request: Request, reference: str,
              user: WebUser = Depends(allowed_user("record the Sportello's finding")),
              form: FormData = Depends(verified_form)):
    """The Sportello per il Consumatore's finding on a rejection; 'unfounded' reopens the case as accepted."""
    case = _case(request, reference)
    if case is None:
        return _not_found(request, user, reference)
    values = {"finding": form.get("finding", ""), "sportello_on": form.get("sportello_on", "")}
    if not case["sportello_open"]:
        return _case_page(request, user=user, case=case, values=values, status_code=422, errors={
            "_sportello": "Lo Sportello riesamina un disconoscimento respinto, una volta: qui non c'è nulla da registrare."})
    config = request.app.state.config

    def action() -> Decision | None:
        finding = read_sportello_form(form, today=config.today(), decided_on=case["decided_on"])
        return record_sportello_finding(engine=config.context.engine, case_reference=case["reference"],
                                        finding=finding.finding, on=finding.on, by=user.username, now=config.now(),
                                        rules=config.context.rules, calendar=config.context.calendar,
                                        settings=config.settings)

    result, refusal = _attempt(request, user=user, case=case, values=values, action=action, refusals_on="_sportello",
                               forbidden="il proprio ruolo non consente di registrare l'esito dello Sportello")
    if refusal is not None:
        return refusal
    request.session["flash"] = ("Esito dello Sportello registrato: rigetto fondato, la decisione resta."
                                if result is None else "Esito dello Sportello registrato: rigetto infondato. "
                                + _decision_summary(result))
    return RedirectResponse(f"/casi/{quote(case['reference'])}", status_code=303)
