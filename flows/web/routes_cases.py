"""The case queue (sorted by deadline, overdue marked), a case, and the decision on a disownment.

The decision form is shown only to roles that may decide; the POST checks the role again on the
server (403, nothing changes) before ``decide_disownment``, which checks it a third time.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from db.engine import transaction
from db.models import Contract
from flows.disownment_decisions import case_by_reference, case_queue, decide_disownment
from flows.disownments import release_hold
from flows.users import RoleNotAllowed
from flows.web.forms import FormInvalid, field_error_of, read_decision_form
from flows.web.labels import OUTCOMES_IT, label
from flows.web.session import Forbidden, WebUser, allowed_user, verified_form
from flows.web.templating import render
from letters.formatting import format_euro
from protocol.codes import CaseKind, CaseOutcome, CaseStatus
from protocol.errors import SentinellaError

router = APIRouter()


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
                "releasable": contract.on_hold and case.outcome is CaseOutcome.REJECTED}


def _case_page(request: Request, *, user: WebUser, case: dict, values: dict, errors: dict, status_code: int = 200):
    return render(request, "case.html", user=user, case=case, values=values, errors=errors,
                  notice=request.session.pop("flash", None), status_code=status_code)


@router.get("/casi/{reference}")
def case_page(request: Request, reference: str, user: WebUser = Depends(allowed_user("view the case queue"))):
    case = _case(request, reference)
    if case is None:
        return render(request, "not_found.html", user=user, what=f"Nessuna pratica «{reference}».", status_code=404)
    return _case_page(request, user=user, case=case, values={}, errors={})


@router.post("/casi/{reference}/decisione")
def decide(request: Request, reference: str, user: WebUser = Depends(allowed_user("decide a disownment")),
           form: FormData = Depends(verified_form)):
    case = _case(request, reference)
    if case is None:
        return render(request, "not_found.html", user=user, what=f"Nessuna pratica «{reference}».", status_code=404)
    values = {"outcome": form.get("outcome", ""), "reason": form.get("reason", "")}
    config = request.app.state.config
    try:
        decision = read_decision_form(form)
        result = decide_disownment(engine=config.context.engine, case_reference=case["reference"],
                                   outcome=decision.outcome, reason=decision.reason, by=user.username,
                                   as_of=config.today(), now=config.now(), rules=config.context.rules,
                                   calendar=config.context.calendar, settings=config.settings)
    except FormInvalid as invalid:
        return _case_page(request, user=user, case=case, values=values, errors=invalid.errors, status_code=422)
    except RoleNotAllowed:
        raise Forbidden("il proprio ruolo non consente di decidere i disconoscimenti") from None
    except SentinellaError as refused:
        field, message = field_error_of(refused)
        return _case_page(request, user=user, case=case, values=values, errors={field: message}, status_code=422)
    summary = f"Pratica {result.case_reference}: disconoscimento {label(OUTCOMES_IT, result.outcome)}."
    if result.activation_stopped:
        summary += " Attivazione fermata: il contratto è annullato e non sarà fatturato."
    if result.restoration:
        summary += " Avviato il ripristino presso il precedente fornitore."
    if result.late_reply_indemnity:
        summary += (" Risposta tardiva: indennizzo automatico TIQV di "
                    f"{format_euro(Decimal(result.late_reply_indemnity))} dovuto.")
    request.session["flash"] = summary
    return RedirectResponse(f"/casi/{quote(result.case_reference)}", status_code=303)


@router.post("/casi/{reference}/rimozione-blocco")
def release(request: Request, reference: str, user: WebUser = Depends(allowed_user("release a hold")),
            form: FormData = Depends(verified_form)):
    """Release the hold of a rejected case: ``release_hold``, an explicit act logged with who and why."""
    case = _case(request, reference)
    if case is None:
        return render(request, "not_found.html", user=user, what=f"Nessuna pratica «{reference}».", status_code=404)
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
