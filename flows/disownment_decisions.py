"""Decide a disownment (rulebook 5): accepted or rejected, by a role allowed to decide.

Accepted while activation can still be stopped: switch revoked, contract void (cancelled),
nothing billed, a letter, a nonconformity against the selling agency. Accepted after the point
of no return: restoration to the previous supplier (domestic customers opt in within 20 days).
Rejected: a letter with the reasons and the escalation routes; the hold stays until released
by an explicit act. A reply after 30 days owes the TIQV automatic indemnity (25/50/75 €).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from db.engine import transaction
from db.events import record_event
from db.models import Agency, Case, Contract, Customer, Indemnity, Invoice, Letter, Restoration, SupplyPoint
from flows.activation_stop import stop_activation
from flows.agency_findings import register_nonconformity
from flows.letter_contexts import common_context
from flows.letter_writer import write_letter
from flows.settings import Settings
from flows.users import require_role
from letters.parallel import inline_renderer
from protocol.calendar import WorkingCalendar
from protocol.complaints import late_reply_indemnity
from protocol.codes import (CaseKind, CaseOutcome, CaseStatus, ContractState, CustomerKind, IndemnityKind,
                            RestorationStatus)
from protocol.errors import SentinellaError
from protocol.lifecycle import activation_stoppable
from protocol.ruleset import RuleSet


class CaseNotFound(SentinellaError):
    """No case has that reference."""


class CaseAlreadyDecided(SentinellaError):
    """The case has a decision already."""


class HoldNotReleasable(SentinellaError):
    """Only the hold of a rejected case is released by hand."""


@dataclass(frozen=True)
class Decision:
    case_reference: str
    contract: str
    outcome: str
    activation_stopped: bool
    restoration: str | None
    tirv_in_time: bool
    tirv_note: str
    late_reply_indemnity: str | None
    letter: str | None


def case_by_reference(session: Session, *, reference: str) -> Case | None:
    return session.execute(select(Case).where(Case.reference == reference.strip().upper())).scalar_one_or_none()


def _tirv(session: Session, *, case: Case, contract: Contract, customer: Customer, rules: RuleSet) -> tuple[bool, str]:
    """TIRV time limits (rulebook 5): domestic 40 days from the first bill, others 30 from learning."""
    if customer.kind is CustomerKind.DOMESTIC:
        first_bill = session.execute(select(func.min(Invoice.issued_on)).where(Invoice.contract_id == contract.id)
                                     ).scalar_one()
        if first_bill is None:
            return True, "no bill had been issued when the customer complained: within the TIRV limit"
        limit = first_bill + timedelta(days=rules.tirv.domestic_complaint_calendar_days)
        start = f"the first bill of {first_bill.isoformat()}"
    else:
        learned = session.execute(select(func.min(Letter.written_on)).where(
            Letter.contract_id == contract.id, Letter.kind == "confirmation")).scalar_one() or contract.signed_on
        limit = learned + timedelta(days=rules.tirv.non_domestic_complaint_calendar_days)
        start = f"learning of the contract (confirmation letter of {learned.isoformat()})"
    in_time = case.counted_on <= limit
    return in_time, (f"complaint of {case.counted_on.isoformat()} {'within' if in_time else 'after'} the TIRV limit "
                     f"of {limit.isoformat()} ({start})" + ("" if in_time else ": handled as a complaint, "
                                                            "but restoration is not owed"))


def decide_disownment(
    *, engine: Engine, case_reference: str, outcome: CaseOutcome, reason: str, by: str, as_of: date, now: datetime,
    rules: RuleSet, calendar: WorkingCalendar, settings: Settings,
) -> Decision:
    """Record the decision and act on it, in one transaction.

    Raises UnknownUser, RoleNotAllowed (nothing changes), CaseNotFound, CaseAlreadyDecided.
    """
    with transaction(engine) as session:
        require_role(session, username=by, action="decide a disownment")
        case = case_by_reference(session, reference=case_reference)
        if case is None or case.kind is not CaseKind.DISOWNMENT:
            raise CaseNotFound(f"no disownment case {case_reference} (see: sentinella cases list --open)")
        if case.status is CaseStatus.DECIDED and not (case.outcome is CaseOutcome.REJECTED
                                                      and case.sportello_finding == "unfounded"):
            raise CaseAlreadyDecided(f"case {case.reference} was decided {case.outcome.value} on {case.decided_on} "
                                     f"by {case.decided_by}")
        return _decide(session, case=case, outcome=outcome, reason=reason, by=by, as_of=as_of, now=now, rules=rules,
                       calendar=calendar, settings=settings)


def _decide(session, *, case, outcome, reason, by, as_of, now, rules, calendar, settings) -> Decision:
    contract = session.get(Contract, case.contract_id)
    customer = session.get(Customer, contract.customer_id)
    tirv_in_time, tirv_note = _tirv(session, case=case, contract=contract, customer=customer, rules=rules)
    first_decision = case.decided_on is None
    case.status, case.outcome, case.decision_reason = CaseStatus.DECIDED, outcome, reason
    case.decided_on, case.decided_by, case.replied_on = as_of, by, case.replied_on or as_of
    case.tirv_in_time, case.tirv_note, case.rule_set_version = tirv_in_time, tirv_note, rules.version
    record_event(session, contract=contract, kind=f"disownment_{outcome.value}", actor=by, occurred_at=now,
                 effective_on=as_of, reason=f"case {case.reference}: {reason}",
                 payload={"case": case.reference, "tirv": tirv_note}, rule_set_version=rules.version)
    indemnity = None
    if first_decision:
        amount = late_reply_indemnity(received_on=case.received_on, replied_on=as_of, rules=rules)
        if amount and session.execute(select(Indemnity.id).where(
                Indemnity.case_id == case.id, Indemnity.kind == IndemnityKind.TIQV_LATE_REPLY)).first() is None:
            session.add(Indemnity(contract_id=contract.id, case_id=case.id, kind=IndemnityKind.TIQV_LATE_REPLY,
                                  amount=amount, owed_on=as_of, rule_set_version=rules.version))
            indemnity = str(amount)
    stopped, restoration, letter = False, None, None
    agency = session.get(Agency, contract.agency_id) if contract.agency_id else None
    if outcome is CaseOutcome.ACCEPTED:
        from flows.disownments import place_hold

        session.execute(select(Contract.id).where(Contract.id == contract.id).with_for_update())
        place_hold(session, contract=contract, case=case, by=by, now=now, on=as_of,
                   reason=f"disownment {case.reference} accepted: no bill, reminder or collection until the "
                          "contract is void or returned and re-billed")
        case.activation_stoppable = activation_stoppable(state=contract.state)
        register_nonconformity(session, contract=contract, kind=rules.penalties.disownment_counts_as, found_on=as_of,
                               actor=by, now=now, rules=rules, note=f"accepted disownment {case.reference}",
                               case_id=case.id)
        if case.activation_stoppable:
            result = stop_activation(session, contract=contract, to=ContractState.CANCELLED, letter_reason="disowned",
                                     event_key=f"case:{case.reference}", agency_name=agency.name if agency else None,
                                     reason=f"disownment {case.reference} accepted: the contract is void", as_of=as_of,
                                     now=now, actor=by, rule_set_version=rules.version, settings=settings,
                                     case_id=case.id)
            stopped, letter = result.stopped, result.letter
        elif tirv_in_time:
            restoration, letter = _restore(session, case=case, contract=contract, customer=customer, as_of=as_of,
                                           now=now, rules=rules, calendar=calendar, settings=settings)
    else:
        letter = _letter(session, kind="disownment_rejected", case=case, contract=contract, customer=customer,
                         as_of=as_of, now=now, rules=rules, settings=settings,
                         extra={"decision_reason": reason, "channel": contract.channel.value,
                                "tirv_note": None})
    return Decision(case_reference=case.reference, contract=contract.external_id, outcome=outcome.value,
                    activation_stopped=stopped, restoration=restoration, tirv_in_time=tirv_in_time,
                    tirv_note=tirv_note, late_reply_indemnity=indemnity, letter=letter)


def _restore(session, *, case, contract, customer, as_of, now, rules, calendar, settings) -> tuple[str, str | None]:
    domestic = customer.kind is CustomerKind.DOMESTIC and rules.restoration.domestic_opt_in_required
    existing = session.execute(select(Restoration).where(Restoration.case_id == case.id)).scalar_one_or_none()
    if existing is None:
        opt_in_due = as_of + timedelta(days=rules.restoration.domestic_opt_in_calendar_days) if domestic else None
        existing = Restoration(
            case_id=case.id, contract_id=contract.id, opt_in_required=domestic, opt_in_due_on=opt_in_due,
            status=RestorationStatus.AWAITING_OPT_IN if domestic else RestorationStatus.TO_REQUEST,
            request_due_on=None if domestic else calendar.add_working_days(as_of, rules.restoration.request_working_days))
        session.add(existing)
        session.flush()
    letter = _letter(session, kind="disownment_accepted", case=case, contract=contract, customer=customer, as_of=as_of,
                     now=now, rules=rules, settings=settings,
                     extra={"opt_in_due_on": existing.opt_in_due_on, "previous_supplier": contract.previous_supplier})
    return existing.status.value, letter


def _letter(session, *, kind, case, contract, customer, as_of, now, rules, settings, extra) -> str | None:
    point = session.get(SupplyPoint, contract.supply_point_id)
    context = common_context(contract=contract, customer=customer, supply_point=point, letter_date=as_of,
                             reference=case.reference)
    context.update(request_received_on=case.received_on, **extra)
    letter = write_letter(session, renderer=inline_renderer(), letters_dir=settings.letters_dir, contract=contract,
                          kind=kind, event_key=f"case:{case.reference}:{as_of.isoformat()}", context=context,
                          written_on=as_of, now=now, rule_set_version=rules.version, case_id=case.id)
    return letter.path if letter else None


def record_sportello_finding(*, engine: Engine, case_reference: str, finding: str, on: date, by: str, now: datetime,
                             rules: RuleSet, calendar: WorkingCalendar, settings: Settings) -> Decision | None:
    """The ARERA Sportello's view of a rejection: 'unfounded' reopens the case as accepted."""
    with transaction(engine) as session:
        require_role(session, username=by, action="record the Sportello's finding")
        case = case_by_reference(session, reference=case_reference)
        if case is None or case.kind is not CaseKind.DISOWNMENT:
            raise CaseNotFound(f"no disownment case {case_reference}")
        if case.outcome is not CaseOutcome.REJECTED:
            raise CaseAlreadyDecided(f"case {case.reference} is not a rejected disownment; the Sportello reviews "
                                     "rejections")
        case.sportello_finding, case.sportello_on = finding, on
        contract = session.get(Contract, case.contract_id)
        record_event(session, contract=contract, kind="sportello_finding", actor=by, occurred_at=now, effective_on=on,
                     reason=f"the Sportello found the rejection of {case.reference} {finding}",
                     payload={"case": case.reference, "finding": finding}, rule_set_version=rules.version)
        if finding != "unfounded":
            return None
        return _decide(session, case=case, outcome=CaseOutcome.ACCEPTED, by=by, as_of=on, now=now, rules=rules,
                       calendar=calendar, settings=settings,
                       reason="reopened as accepted: the Sportello per il Consumatore found the rejection unfounded")


def case_queue(*, engine: Engine, as_of: date, open_only: bool = True, overdue_only: bool = False) -> list[dict]:
    """Cases sorted by reply deadline (overdue first), the way customer service works them."""
    with transaction(engine) as session:
        query = select(Case, Contract.external_id, Contract.on_hold).join(Contract, Contract.id == Case.contract_id)
        if open_only:
            query = query.where(Case.status.in_((CaseStatus.OPEN, CaseStatus.INCOMPLETE)))
        rows = session.execute(query.order_by(Case.reply_due_on, Case.id)).all()
        queue = []
        for case, external_id, on_hold in rows:
            overdue = case.reply_due_on is not None and case.reply_due_on < as_of and case.status is not CaseStatus.DECIDED
            if overdue_only and not overdue:
                continue
            queue.append({"case": case.reference, "kind": case.kind.value, "contract": external_id,
                          "channel": case.channel.value, "received_on": case.received_on,
                          "reply_due_on": case.reply_due_on, "overdue": overdue,
                          "days_left": (case.reply_due_on - as_of).days if case.reply_due_on else None,
                          "status": case.status.value, "on_hold": on_hold})
        return queue
