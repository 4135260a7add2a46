"""Record a customer's withdrawal (ripensamento), decide it by the rules, act and answer.

In one transaction: the case, the decision, the contract's new state, the switch revocation
or the return through the restoration channel (outbox), and the reply letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from db.engine import transaction
from db.events import record_event
from db.models import Case, Contract, Customer, Restoration, SupplyPoint, SwitchRequest
from db.sequences import case_reference
from letters.parallel import inline_renderer
from flows.contract_view import find_contract
from flows.letter_contexts import common_context
from flows.letter_writer import write_letter
from flows.outbox import cancel_pending, queue_message
from flows.settings import Settings
from flows.switching_step import switch_request_key
from flows.transitions import move
from protocol.calendar import WorkingCalendar
from protocol.codes import CaseKind, CaseOutcome, CaseStatus, ContractState, RequestChannel, RestorationStatus, SwitchStatus
from protocol.cooling_off import WithdrawalContract, WithdrawalDecision, WithdrawalOutcome, WithdrawalRequest, decide_withdrawal
from protocol.ruleset import RuleSet
from protocol.switching import switch_date_for

LETTER_FOR = {
    WithdrawalOutcome.IN_TIME: "withdrawal_accepted",
    WithdrawalOutcome.TOO_LATE: "withdrawal_too_late",
    WithdrawalOutcome.NOT_COVERED: "withdrawal_too_late",
    WithdrawalOutcome.INCOMPLETE: "withdrawal_incomplete",
    WithdrawalOutcome.CHANNEL_NOT_ACCEPTED: "withdrawal_channel_not_accepted",
}
MISSING_ITEMS_IT = {
    "name": "nome e cognome (o ragione sociale) del titolare",
    "supply_point": "codice POD/PDR del punto di fornitura",
    "supply_address": "indirizzo di fornitura",
    "phone": "un recapito telefonico",
}


@dataclass(frozen=True)
class WithdrawalResult:
    case_reference: str
    contract: str
    outcome: str
    counted_on: date
    statutory_end: date | None
    deadline: date
    reason: str
    contract_state: str
    letter: str | None
    messages: tuple[str, ...]
    return_on: date | None
    already_recorded: bool = False


def record_withdrawal(
    *, engine: Engine, contract_reference: str, received_on: date, sent_on: date | None, channel: RequestChannel,
    missing_fields: frozenset[str], as_of: date, actor: str, now: datetime, rules: RuleSet,
    calendar: WorkingCalendar, settings: Settings,
) -> WithdrawalResult:
    """Record and decide a withdrawal request; recording the same request again changes nothing.

    Raises ContractNotFound, ImpossibleDates, UnknownRequestField (all SentinellaError).
    """
    with transaction(engine) as session:
        contract = find_contract(session, reference=contract_reference)
        existing = session.execute(
            select(Case).where(Case.contract_id == contract.id, Case.kind == CaseKind.WITHDRAWAL,
                               Case.received_on == received_on, Case.channel == channel, Case.sent_on == sent_on)
        ).scalar_one_or_none()
        if existing is not None and not (existing.status == CaseStatus.INCOMPLETE and not missing_fields):
            return _result_of(session, existing, contract, already=True)
        customer = session.get(Customer, contract.customer_id)
        request = session.execute(
            select(SwitchRequest).where(SwitchRequest.contract_id == contract.id).order_by(SwitchRequest.id.desc())
        ).scalars().first()
        switch_requested = request is not None and request.status in (SwitchStatus.REQUESTED, SwitchStatus.ACKNOWLEDGED,
                                                                      SwitchStatus.COMPLETED)
        decision = decide_withdrawal(
            request=WithdrawalRequest(sent_on=sent_on, received_on=received_on, channel=channel,
                                      customer_kind=customer.kind, missing_fields=missing_fields),
            contract=WithdrawalContract(signed_on=contract.signed_on, channel=contract.channel,
                                        early_execution=contract.early_execution, state=contract.state,
                                        switch_requested=switch_requested,
                                        point_of_no_return=contract.point_of_no_return,
                                        switch_date=contract.switch_date),
            rules=rules, calendar=calendar, as_of=as_of,
        )
        case = existing or Case(
            reference=case_reference(session, prefix="RIP", year=received_on.year), contract_id=contract.id,
            kind=CaseKind.WITHDRAWAL, channel=channel, sent_on=sent_on, received_on=received_on,
            opened_by=actor, rule_set_version=rules.version, created_at=now,
        )
        _apply_decision(case, decision, as_of=as_of, actor=actor)
        if existing is None:
            session.add(case)
        session.flush()
        messages, return_on = _act(session, contract=contract, request=request, decision=decision, case=case,
                                   as_of=as_of, actor=actor, now=now, rules=rules)
        letter = _answer(session, contract=contract, customer=customer, case=case, decision=decision,
                         switch_requested=switch_requested, return_on=return_on, as_of=as_of, now=now,
                         rules=rules, settings=settings)
        return WithdrawalResult(
            case_reference=case.reference, contract=contract.external_id, outcome=decision.outcome.value,
            counted_on=decision.counted_on, statutory_end=decision.window.statutory_end,
            deadline=decision.window.deadline, reason=decision.reason, contract_state=contract.state.value,
            letter=letter, messages=tuple(messages), return_on=return_on,
        )


def _apply_decision(case: Case, decision: WithdrawalDecision, *, as_of: date, actor: str) -> None:
    case.counted_on = decision.counted_on
    case.missing_fields = sorted(str(f) for f in decision.missing_fields)
    case.decision_reason = decision.reason
    if decision.outcome is WithdrawalOutcome.INCOMPLETE:
        case.status, case.outcome = CaseStatus.INCOMPLETE, None
        return
    case.status = CaseStatus.DECIDED
    case.outcome = CaseOutcome.ACCEPTED if decision.outcome is WithdrawalOutcome.IN_TIME else CaseOutcome.REJECTED
    case.decided_on, case.decided_by, case.replied_on = as_of, actor, as_of
    case.activation_stoppable = not decision.return_via_restoration


def _act(session: Session, *, contract: Contract, request: SwitchRequest | None, decision: WithdrawalDecision,
         case: Case, as_of: date, actor: str, now: datetime, rules: RuleSet) -> tuple[list[str], date | None]:
    payload = {"case": case.reference, "outcome": decision.outcome.value,
               "counted_on": decision.counted_on.isoformat(), "deadline": decision.window.deadline.isoformat()}
    if decision.outcome is not WithdrawalOutcome.IN_TIME:
        record_event(session, contract=contract, kind=f"withdrawal_{decision.outcome.value}", actor=actor,
                     reason=decision.reason, occurred_at=now, effective_on=as_of, payload=payload,
                     rule_set_version=rules.version)
        return [], None
    messages: list[str] = []
    return_on = None
    if request is not None and decision.revoke_switch and request.status != SwitchStatus.REVOKED:
        key = switch_request_key(contract=contract, request=request)
        # a request still planned, or queued but not yet sent, never reached the hub: withdraw it
        never_left = request.status == SwitchStatus.PLANNED or cancel_pending(
            session, key=key, reason=f"withdrawn ({case.reference})")
        if not never_left and queue_message(
                session, key=f"sii:switch-revocation:{contract.external_id}:{request.id}", destination="sii",
                kind="switch_revocation", contract_id=contract.id, queued_on=as_of, now=now,
                payload={"contract": contract.external_id, "switch_date": request.switch_date.isoformat(),
                         "case": case.reference}):
            messages.append("switch_revocation")
        request.status, request.revoked_on = SwitchStatus.REVOKED, as_of
        request.revocation_reason = f"withdrawal {case.reference}"
    if decision.return_via_restoration:
        return_on = switch_date_for(filed_on=as_of, rules=rules.switching)
        session.add(Restoration(case_id=case.id, contract_id=contract.id, status=RestorationStatus.REQUESTED,
                                opt_in_required=False, request_due_on=as_of, requested_on=as_of, return_on=return_on))
        point = session.get(SupplyPoint, contract.supply_point_id)
        for destination in ("sii", "previous_supplier"):
            if queue_message(session, key=f"{destination}:restoration:{contract.external_id}:{case.reference}",
                             destination=destination, kind="restoration_request", contract_id=contract.id,
                             queued_on=as_of, now=now,
                             payload={"contract": contract.external_id, "supply_point": point.code,
                                      "return_on": return_on.isoformat(), "previous_supplier": contract.previous_supplier,
                                      "reason": "early-execution withdrawal", "case": case.reference}):
                messages.append(f"restoration_request:{destination}")
    contract.ended_on = return_on or as_of
    move(session, contract=contract, to=ContractState.WITHDRAWN, actor=actor, reason=decision.reason,
         effective_on=as_of, now=now, rule_set_version=rules.version, kind="withdrawn", payload=payload)
    return messages, return_on


def _answer(session: Session, *, contract, customer, case, decision, switch_requested, return_on, as_of, now,
            rules, settings) -> str | None:
    kind = LETTER_FOR.get(decision.outcome)
    if kind is None:
        return None
    point = session.get(SupplyPoint, contract.supply_point_id)
    context = common_context(contract=contract, customer=customer, supply_point=point, letter_date=as_of,
                             reference=case.reference)
    context.update(request_received_on=case.received_on, request_channel=case.channel.value)
    if kind == "withdrawal_accepted":
        context.update(switch_was_requested=switch_requested, early_execution_return_date=return_on,
                       previous_supplier=contract.previous_supplier)
    elif kind == "withdrawal_too_late":
        context.update(switch_date=contract.switch_date or decision.window.deadline,
                       withdrawal_deadline=decision.window.deadline)
    elif kind == "withdrawal_incomplete":
        context.update(missing_items=[MISSING_ITEMS_IT.get(str(f), str(f)) for f in sorted(decision.missing_fields)])
    else:
        context.update(withdrawal_deadline=decision.window.deadline)
    letter = write_letter(session, renderer=inline_renderer(), letters_dir=settings.letters_dir, contract=contract, kind=kind,
                          event_key=f"case:{case.reference}:{decision.outcome.value}", context=context,
                          written_on=as_of, now=now, rule_set_version=rules.version, case_id=case.id)
    return letter.path if letter else None


def _result_of(session: Session, case: Case, contract: Contract, *, already: bool) -> WithdrawalResult:
    from db.models import Letter

    letter = session.execute(select(Letter.path).where(Letter.case_id == case.id).order_by(Letter.id.desc())).scalars().first()
    restoration = session.execute(select(Restoration).where(Restoration.case_id == case.id)).scalar_one_or_none()
    return WithdrawalResult(
        case_reference=case.reference, contract=contract.external_id,
        outcome="incomplete" if case.status == CaseStatus.INCOMPLETE else case.outcome.value,
        counted_on=case.counted_on, statutory_end=None, deadline=contract.withdrawal_deadline or case.counted_on,
        reason=case.decision_reason or "", contract_state=contract.state.value, letter=letter, messages=(),
        return_on=restoration.return_on if restoration else None, already_recorded=already,
    )
