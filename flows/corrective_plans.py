"""Corrective-action plans past their due date without delivery lead to revocation (rulebook 4)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import Agency, CorrectiveAction
from flows.agency_findings import escalate
from flows.audit_draw import draw_revocation_audits
from flows.steps import StepSummary
from protocol.codes import AgencyStatus
from protocol.ruleset import RuleSet


def check_corrective_plans(*, engine: Engine, as_of: date, rules: RuleSet, now: datetime,
                           actor: str = "daily-cycle") -> StepSummary:
    summary = StepSummary(step="corrective plans")
    with transaction(engine) as session:
        overdue = session.execute(
            select(CorrectiveAction).where(CorrectiveAction.closed_on.is_(None), CorrectiveAction.outcome.is_(None),
                                           CorrectiveAction.due_on < as_of)
        ).scalars().all()
        for agency_id in sorted({plan.agency_id for plan in overdue}):
            agency = session.get(Agency, agency_id)
            if escalate(session, agency=agency, new=None, as_of=as_of, actor=actor, now=now, rules=rules) == "revocation":
                draw_revocation_audits(session, agency=agency, as_of=as_of, rules=rules, now=now)
                summary.changed += 1
            elif agency.status is AgencyStatus.REVOKED:
                summary.unchanged += 1
    return summary


def deliver_corrective_plan(*, engine: Engine, plan_id: int, delivered_on: date) -> None:
    """Record that the agency delivered its plan (closes it as delivered)."""
    with transaction(engine) as session:
        plan = session.get(CorrectiveAction, plan_id)
        plan.closed_on, plan.outcome = delivered_on, "delivered"
