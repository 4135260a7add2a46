"""The restoration step of the daily cycle (rulebook 6, 7), each stage its own transaction.

1. Opt-in windows that closed without an answer: the restoration is declined (to review).
2. Requests due: to the SII / distributor and to the previous supplier through the outbox,
   for the first useful date (the next switch date under rulebook 2.4).
3. Returns due: the contract ends ``returned`` on the return date (an early-execution
   withdrawal ended already);
4. for a disownment, the supplied period re-billed (``flows.rebilling``) and the protocol's
   €25 paid by its own credit note when every condition holds (``flows.protocol_indemnity``);
5. the letter, the restoration completed and the hold released: the re-issued bills are due.

A run that stops between stages resumes at the next one: each stage is recorded on the
restoration (``status``, ``rebilled_on``, ``completed_on``) or guarded by a unique key.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import transaction
from db.events import record_event
from db.models import Case, Contract, Restoration, SupplyPoint
from flows.outbox import queue_message
from flows.protocol_indemnity import pay_protocol_indemnity
from flows.rebilling import rebill_supplied_period
from flows.restoration_letter import write_restoration_letter
from flows.settings import Settings
from flows.steps import StepSummary
from flows.transitions import move
from protocol.calendar import WorkingCalendar
from protocol.codes import CaseKind, ContractState, RestorationStatus
from protocol.errors import SentinellaError
from protocol.ruleset import RuleSet
from protocol.switching import switch_date_for


def _expire_opt_ins(session, *, as_of: date, now: datetime, actor: str, rules: RuleSet, summary: StepSummary) -> None:
    for restoration in session.execute(select(Restoration).where(
            Restoration.status == RestorationStatus.AWAITING_OPT_IN, Restoration.opt_in_due_on < as_of)).scalars():
        restoration.status = RestorationStatus.DECLINED
        record_event(session, contract=session.get(Contract, restoration.contract_id), kind="restoration_declined",
                     actor=actor, occurred_at=now, effective_on=as_of, rule_set_version=rules.version,
                     reason=f"no opt-in by {restoration.opt_in_due_on.isoformat()}: the supply is not returned; "
                            "customer service to contact the customer")
        summary.to_review += 1


def _send_requests(session, *, as_of: date, now: datetime, actor: str, rules: RuleSet, summary: StepSummary) -> None:
    for restoration, case in session.execute(
            select(Restoration, Case).join(Case, Case.id == Restoration.case_id)
            .where(Restoration.status == RestorationStatus.TO_REQUEST).order_by(Restoration.id)).all():
        contract = session.get(Contract, restoration.contract_id)
        point = session.get(SupplyPoint, contract.supply_point_id)
        return_on = switch_date_for(filed_on=as_of, rules=rules.switching)
        for destination in ("sii", "previous_supplier"):
            summary.messages += queue_message(
                session, key=f"{destination}:restoration:{contract.external_id}:{case.reference}",
                destination=destination, kind="restoration_request", contract_id=contract.id, queued_on=as_of,
                now=now, payload={"contract": contract.external_id, "supply_point": point.code,
                                  "return_on": return_on.isoformat(), "previous_supplier": contract.previous_supplier,
                                  "reason": "unsolicited contract (disownment accepted)", "case": case.reference})
        restoration.status, restoration.requested_on, restoration.return_on = RestorationStatus.REQUESTED, as_of, return_on
        late = restoration.request_due_on is not None and as_of > restoration.request_due_on
        record_event(session, contract=contract, kind="restoration_requested", actor=actor, occurred_at=now,
                     effective_on=as_of, rule_set_version=rules.version, payload={"case": case.reference},
                     reason=f"return to {contract.previous_supplier or 'the previous supplier'} requested for "
                            f"{return_on.isoformat()}" + (f", after the deadline of {restoration.request_due_on}"
                                                          if late else ""))
        summary.changed += 1
        summary.errors += late


def _return(session, *, restoration_id: int, as_of: date, now: datetime, actor: str, rules: RuleSet) -> None:
    restoration = session.get(Restoration, restoration_id, with_for_update=True)
    case = session.get(Case, restoration.case_id)
    contract = session.get(Contract, restoration.contract_id)
    if case.kind is CaseKind.DISOWNMENT and contract.state in (ContractState.ACTIVE, ContractState.IRREVOCABLE):
        contract.ended_on = restoration.return_on
        move(session, contract=contract, to=ContractState.RETURNED, actor=actor, effective_on=restoration.return_on,
             now=now, rule_set_version=rules.version, kind="returned",
             reason=f"supply returned to the previous supplier on {restoration.return_on.isoformat()} "
                    f"({case.reference})", payload={"case": case.reference})


def _rebill(session, *, restoration_id: int, as_of: date, now: datetime, actor: str, rules: RuleSet,
            calendar: WorkingCalendar) -> None:
    restoration = session.get(Restoration, restoration_id, with_for_update=True)
    case = session.get(Case, restoration.case_id)
    if restoration.rebilled_on is not None or case.kind is not CaseKind.DISOWNMENT:
        return
    contract = session.get(Contract, restoration.contract_id)
    result = rebill_supplied_period(session, contract=contract, case_id=case.id, case_reference=case.reference,
                                    return_on=restoration.return_on, as_of=as_of, now=now, rules=rules,
                                    calendar=calendar)
    restoration.rebilled_on = as_of
    record_event(session, contract=contract, kind="rebilled", actor=actor, occurred_at=now, effective_on=as_of,
                 rule_set_version=rules.version, payload={"case": case.reference, "stornos": result.stornos,
                                                          "bills": [row["number"] for row in result.rows]},
                 reason=f"{result.stornos} bill(s) cancelled by storno, {len(result.rows)} issued at reduced "
                        "regulated prices")
    pay_protocol_indemnity(session, case=case, contract=contract, as_of=as_of, now=now, actor=actor, rules=rules)


def _complete(session, *, restoration_id: int, as_of: date, now: datetime, actor: str, rules: RuleSet,
              settings: Settings) -> None:
    restoration = session.get(Restoration, restoration_id, with_for_update=True)
    case = session.get(Case, restoration.case_id)
    contract = session.get(Contract, restoration.contract_id)
    if case.kind is CaseKind.DISOWNMENT:
        write_restoration_letter(session, case=case, contract=contract, restoration=restoration, as_of=as_of, now=now,
                                 rules=rules, settings=settings)
    restoration.status, restoration.completed_on = RestorationStatus.COMPLETED, as_of
    from flows.disownments import lift_hold

    lift_hold(session, contract=contract, by=actor, now=now, as_of=as_of,
              reason=f"restoration {case.reference} completed: the re-issued bills are due on their new dates")


def run_restorations(*, engine: Engine, as_of: date, rules: RuleSet, calendar: WorkingCalendar, now: datetime,
                     settings: Settings, actor: str = "daily-cycle") -> StepSummary:
    summary = StepSummary(step="restorations")
    with transaction(engine) as session:
        _expire_opt_ins(session, as_of=as_of, now=now, actor=actor, rules=rules, summary=summary)
        _send_requests(session, as_of=as_of, now=now, actor=actor, rules=rules, summary=summary)
    with transaction(engine) as session:
        due = session.execute(select(Restoration.id).where(
            Restoration.status == RestorationStatus.REQUESTED, Restoration.return_on <= as_of)
            .order_by(Restoration.id)).scalars().all()
    for restoration_id in due:
        try:
            for stage in (_return, _rebill, _complete):
                extra = {"calendar": calendar} if stage is _rebill else {"settings": settings} if stage is _complete \
                    else {}
                with transaction(engine) as session:
                    stage(session, restoration_id=restoration_id, as_of=as_of, now=now, actor=actor, rules=rules,
                          **extra)
        except SentinellaError as error:  # e.g. no regulated price: the restoration waits, nothing half-done
            summary.errors += 1
            summary.notes.append(f"restoration {restoration_id}: {error}")
            continue
        summary.changed += 1
        summary.letters += 1
    return summary
