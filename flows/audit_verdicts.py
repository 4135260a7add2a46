"""Record an audit's verdict: nonconformities by type, penalties, escalation, stopped activation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import Agency, Audit, AuditBatch, Contract
from flows.activation_stop import stop_activation
from flows.agency_findings import register_nonconformity
from flows.audit_draw import draw_revocation_audits
from flows.settings import Settings
from protocol.codes import AgencyStatus, AuditVerdict, ContractState, NonconformityType
from protocol.errors import SentinellaError
from protocol.ruleset import RuleSet

STEP_FOR = {
    NonconformityType.FORGED_CONTRACT: "signature",
    NonconformityType.MISSING_DOCUMENTS: "formal_correctness",
    NonconformityType.MISLEADING_PRACTICE: "customer_call",
    NonconformityType.UNSOLICITED_CONTRACT: "customer_call",
    NonconformityType.OPT_OUT_VIOLATION: "opt_out_register",
    NonconformityType.UNAUTHORISED_SUBAGENT: "badge_and_mandate",
}


class AuditNotFound(SentinellaError):
    """No audit has that number."""


class AuditAlreadyDecided(SentinellaError):
    """The audit has a verdict already; a verdict is recorded once."""


class InvalidVerdict(SentinellaError):
    """The verdict and its nonconformities do not agree."""


@dataclass
class VerdictResult:
    audit_id: int
    contract: str
    verdict: str
    nonconformities: list[str] = field(default_factory=list)
    penalties: list[str] = field(default_factory=list)
    escalation: list[str] = field(default_factory=list)
    activation_stopped: bool = False
    letter: str | None = None


def record_verdict(
    *, engine: Engine, audit_id: int, verdict: AuditVerdict, nonconformities: list[NonconformityType], note: str | None,
    by: str, as_of: date, now: datetime, rules: RuleSet, settings: Settings,
) -> VerdictResult:
    """Record the verdict of audit ``audit_id`` and act on it, all in one transaction.

    Incorrect selling (any serious nonconformity) stops the activation while it still can be
    stopped; missing documents alone do not. Raises AuditNotFound, AuditAlreadyDecided,
    InvalidVerdict.
    """
    kinds = list(dict.fromkeys(nonconformities))
    if verdict is AuditVerdict.NONCONFORMING and not kinds:
        raise InvalidVerdict("a nonconforming verdict needs at least one --nonconformity TYPE")
    if verdict is AuditVerdict.COMPLIANT and kinds:
        raise InvalidVerdict("a compliant verdict cannot list nonconformities")
    with transaction(engine) as session:
        audit = session.get(Audit, audit_id)
        if audit is None:
            raise AuditNotFound(f"no audit number {audit_id} (see: sentinella audits list --open)")
        if audit.verdict is not None:
            raise AuditAlreadyDecided(f"audit {audit_id} was decided {audit.verdict.value} on {audit.verdict_on} "
                                      f"by {audit.verdict_by}")
        contract = session.get(Contract, audit.contract_id)
        agency = session.get(Agency, session.get(AuditBatch, audit.batch_id).agency_id)
        audit.verdict, audit.verdict_on, audit.verdict_by, audit.note = verdict, as_of, by, note
        failed = {STEP_FOR[k] for k in kinds}
        audit.steps = {step: {"result": "failed" if step in failed else "ok", "by": by, "on": as_of.isoformat()}
                       for step in audit.steps}
        result = VerdictResult(audit_id=audit.id, contract=contract.external_id, verdict=verdict.value)
        incorrect_selling = False
        for kind in kinds:
            finding = register_nonconformity(session, contract=contract, kind=kind, found_on=as_of, actor=by, now=now,
                                             rules=rules, note=note, audit_id=audit.id)
            result.nonconformities.append(kind.value)
            if finding is not None and finding.penalty:
                result.penalties.append(finding.penalty)
            if finding is not None and finding.escalation not in ("none", "corrective measure only"):
                result.escalation.append(finding.escalation)
            incorrect_selling |= kind in rules.penalties.serious
        if incorrect_selling:
            outcome = stop_activation(
                session, contract=contract, to=ContractState.BLOCKED_BY_AUDIT, letter_reason="audit",
                event_key=f"audit:{audit.id}", agency_name=agency.name, as_of=as_of, now=now, actor=by,
                rule_set_version=rules.version, settings=settings,
                reason=f"audit {audit.id} found incorrect selling: {', '.join(kinds)}",
            )
            result.activation_stopped, result.letter = outcome.stopped, outcome.letter
        if agency.status is AgencyStatus.REVOKED and "revocation" in result.escalation:
            draw_revocation_audits(session, agency=agency, as_of=as_of, rules=rules, now=now)
        return result


def open_audits(*, engine: Engine) -> list[dict]:
    """Audits without a verdict, oldest batch first."""
    with transaction(engine) as session:
        rows = session.execute(
            select(Audit, AuditBatch, Agency.code, Contract.external_id, Contract.channel, Contract.state)
            .join(AuditBatch, AuditBatch.id == Audit.batch_id).join(Agency, Agency.id == AuditBatch.agency_id)
            .join(Contract, Contract.id == Audit.contract_id)
            .where(Audit.verdict.is_(None)).order_by(AuditBatch.week_start, Audit.id)
        ).all()
        return [{"audit": audit.id, "agency": code, "group": batch.group.value, "week_start": batch.week_start,
                 "contract": external_id, "channel": channel.value, "contract_state": state.value,
                 "steps": list(audit.steps)} for audit, batch, code, external_id, channel, state in rows]
