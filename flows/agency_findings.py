"""A nonconformity against an agency: recorded, priced by its mandate, escalated (rulebook 3-4).

Used by audit verdicts, the opt-out register check and (later) accepted disownments. A
contract carries at most one nonconformity of each type, so a re-run records nothing twice.
Employees' contracts (the internal agency) get corrective measures, never penalties.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agencies.escalation import AgencyStanding, CorrectivePlanFacts, EscalationAction, decide_escalation
from agencies.penalties import is_serious, penalty_for
from agencies.periods import quarter_of
from db.models import Agency, AgencyEvent, Contract, CorrectiveAction, Mandate, Nonconformity, Penalty
from protocol.codes import AgencyStatus, NonconformityType
from protocol.ruleset import RuleSet


@dataclass(frozen=True)
class Finding:
    nonconformity_id: int
    new: bool
    penalty: str | None
    escalation: str


def register_nonconformity(
    session: Session, *, contract: Contract, kind: NonconformityType, found_on: date, actor: str, now: datetime,
    rules: RuleSet, note: str | None = None, audit_id: int | None = None, case_id: int | None = None,
) -> Finding | None:
    """Record ``kind`` against the contract's agency; None for a sale with no agency."""
    if contract.agency_id is None:
        return None
    existing = session.execute(
        select(Nonconformity).where(Nonconformity.contract_id == contract.id, Nonconformity.type == kind)
    ).scalar_one_or_none()
    if existing is not None:
        return Finding(nonconformity_id=existing.id, new=False, penalty=None, escalation="none")
    agency = session.get(Agency, contract.agency_id)
    serious = is_serious(nonconformity=kind, rules=rules.penalties)
    finding = Nonconformity(agency_id=agency.id, agent_id=contract.agent_id, contract_id=contract.id, audit_id=audit_id,
                            case_id=case_id, type=kind, serious=serious, found_on=found_on, note=note)
    session.add(finding)
    session.flush()
    if agency.is_internal:
        return Finding(nonconformity_id=finding.id, new=True, penalty=None, escalation="corrective measure only")
    mandate = _mandate(session, agency_id=agency.id, on=contract.signed_on)
    amount = penalty_for(nonconformity=kind, penalty_table=mandate.penalty_table if mandate else {},
                         rules=rules.penalties)
    session.add(Penalty(agency_id=agency.id, nonconformity_id=finding.id, amount=amount, accrued_on=found_on))
    decision = escalate(session, agency=agency, new=kind if serious else None, as_of=found_on, actor=actor, now=now,
                        rules=rules)
    return Finding(nonconformity_id=finding.id, new=True, penalty=str(amount), escalation=decision)


def escalate(
    session: Session, *, agency: Agency, new: NonconformityType | None, as_of: date, actor: str, now: datetime,
    rules: RuleSet,
) -> str:
    """Apply the escalation rule to the agency's standing today; returns the action taken."""
    if agency.status is AgencyStatus.REVOKED:
        return "none"
    start, end = quarter_of(as_of)
    serious = session.execute(
        select(func.count()).select_from(Nonconformity).where(
            Nonconformity.agency_id == agency.id, Nonconformity.serious.is_(True),
            Nonconformity.found_on >= start, Nonconformity.found_on < end)
    ).scalar_one()
    warned = session.execute(
        select(AgencyEvent.id).where(AgencyEvent.agency_id == agency.id, AgencyEvent.kind == "warning",
                                     AgencyEvent.occurred_on >= start, AgencyEvent.occurred_on < end)
    ).first() is not None
    plans = session.execute(
        select(CorrectiveAction).where(CorrectiveAction.agency_id == agency.id, CorrectiveAction.outcome.is_(None))
    ).scalars().all()
    standing = AgencyStanding(
        code=agency.code, status=agency.status, serious_this_quarter=serious,
        forged=new is NonconformityType.FORGED_CONTRACT, warned_this_quarter=warned, new_nonconformity=new,
        open_plans=tuple(CorrectivePlanFacts(opened_on=p.opened_on, due_on=p.due_on, delivered_on=p.closed_on)
                         for p in plans),
    )
    decision = decide_escalation(standing=standing, as_of=as_of, rules=rules.escalation)
    if decision.action is EscalationAction.WARNING:
        if agency.status is AgencyStatus.ACTIVE:  # probation (100% audit) outranks a warning
            agency.status, agency.status_since = AgencyStatus.WARNED, as_of
        session.add(CorrectiveAction(agency_id=agency.id, opened_on=as_of, due_on=decision.plan_due_on,
                                     description=f"corrective-action plan after a formal warning: {decision.reason}"))
        _agency_event(session, agency=agency, kind="warning", reason=decision.reason, as_of=as_of, actor=actor,
                      rules=rules, payload={"plan_due_on": decision.plan_due_on.isoformat()})
    elif decision.action is EscalationAction.REVOCATION:
        revoke_agency(session, agency=agency, reason=decision.reason, as_of=as_of, actor=actor, rules=rules)
        for plan in plans:
            if plan.closed_on is None and plan.due_on < as_of:
                plan.outcome = "missed"
    return decision.action.value


def revoke_agency(session: Session, *, agency: Agency, reason: str, as_of: date, actor: str, rules: RuleSet) -> None:
    """Revoke the agency's mandate for just cause; its pending contracts then go to 100% audit."""
    agency.status, agency.status_since, agency.revoked_on = AgencyStatus.REVOKED, as_of, as_of
    agency.revocation_reason = reason
    for mandate in session.execute(select(Mandate).where(Mandate.agency_id == agency.id,
                                                         Mandate.revoked_on.is_(None))).scalars():
        mandate.revoked_on = as_of
    _agency_event(session, agency=agency, kind="revocation", reason=reason, as_of=as_of, actor=actor, rules=rules,
                  payload={})


def _mandate(session: Session, *, agency_id: int, on: date) -> Mandate | None:
    mandates = session.execute(select(Mandate).where(Mandate.agency_id == agency_id)
                               .order_by(Mandate.valid_from.desc())).scalars().all()
    for mandate in mandates:
        if mandate.valid_from <= on and (mandate.valid_to is None or on < mandate.valid_to):
            return mandate
    return mandates[0] if mandates else None


def _agency_event(session, *, agency, kind, reason, as_of, actor, rules, payload) -> None:
    session.add(AgencyEvent(agency_id=agency.id, occurred_on=as_of, kind=kind, actor=actor, reason=reason,
                            payload=payload, rule_set_version=rules.version))
