"""Simulated people for the demo and the tests: auditors who find what the hidden truth holds,
and agencies that deliver their corrective plans. Never used in production."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import Audit, AuditBatch, CorrectiveAction, SyntheticTruth
from flows.audit_verdicts import record_verdict
from flows.settings import Settings
from flows.steps import StepSummary
from protocol.codes import AuditVerdict, NonconformityType
from protocol.ruleset import RuleSet

AUDIT_TAKES_DAYS = 2  # after the Monday draw
PLAN_DELIVERED_AFTER_DAYS = 10
AUDITOR = "auditor.simulated"


def findings_of(truth: SyntheticTruth | None) -> list[NonconformityType]:
    """What a careful auditor finds on a contract, given what really happened."""
    if truth is None:
        return []
    found = []
    if truth.forged:
        found.append(NonconformityType.FORGED_CONTRACT)
    elif truth.unsolicited:
        found.append(NonconformityType.UNSOLICITED_CONTRACT)
    if truth.sloppy_documents:
        found.append(NonconformityType.MISSING_DOCUMENTS)
    return found


def simulate_auditors(*, engine: Engine, as_of: date, rules: RuleSet, now: datetime, settings: Settings) -> StepSummary:
    """Decide every open audit ``AUDIT_TAKES_DAYS`` after the Monday it was drawn."""
    summary = StepSummary(step="simulated auditors")
    with transaction(engine) as session:
        due = session.execute(
            select(Audit.id, SyntheticTruth).join(AuditBatch, AuditBatch.id == Audit.batch_id)
            .outerjoin(SyntheticTruth, SyntheticTruth.contract_id == Audit.contract_id)
            .where(Audit.verdict.is_(None),
                   AuditBatch.week_start <= as_of - timedelta(days=7 + AUDIT_TAKES_DAYS))
            .order_by(Audit.id)
        ).all()
    for audit_id, truth in due:
        found = findings_of(truth)
        record_verdict(engine=engine, audit_id=audit_id,
                       verdict=AuditVerdict.NONCONFORMING if found else AuditVerdict.COMPLIANT,
                       nonconformities=found, note="simulated audit", by=AUDITOR, as_of=as_of, now=now,
                       rules=rules, settings=settings)
        summary.changed += 1
        summary.to_review += int(bool(found))
    return summary


def simulate_agencies(*, engine: Engine, as_of: date) -> StepSummary:
    """Agencies deliver their corrective plans ``PLAN_DELIVERED_AFTER_DAYS`` after the warning."""
    summary = StepSummary(step="simulated agencies")
    with transaction(engine) as session:
        for plan in session.execute(select(CorrectiveAction).where(CorrectiveAction.closed_on.is_(None),
                                                                   CorrectiveAction.outcome.is_(None))).scalars():
            if plan.opened_on + timedelta(days=PLAN_DELIVERED_AFTER_DAYS) <= as_of:
                plan.closed_on, plan.outcome = as_of, "delivered"
                summary.changed += 1
    return summary
