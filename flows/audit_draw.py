"""The weekly sample-audit draw (rulebook 3): per agency, paper and telephone apart, seeded.

The seed and every input (population, risk figures, rule-set version) are stored with the
batch, so anyone can re-draw the same sample with ``agencies.sampling.draw_sample``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agencies.periods import week_start_of
from agencies.sampling import SamplingInputs, draw_sample, risk_window
from db.engine import transaction
from db.models import Agency, Audit, AuditBatch, Contract
from flows.steps import StepSummary
from protocol.codes import AuditGroup, AuditVerdict, Channel, ContractState
from protocol.lifecycle import ACTIVATION_STOPPABLE_STATES
from protocol.ruleset import RuleSet

DEFAULT_SEED = 153_2012  # the installation's base seed; each batch's own material adds agency, group, week
GROUP_CHANNELS = {AuditGroup.PAPER: (Channel.DOOR_TO_DOOR, Channel.STAND), AuditGroup.TELEPHONE: (Channel.PHONE,)}
DOCUMENT_STEPS = ("signature", "formal_correctness", "substantive_correctness", "badge_and_mandate")
TELEPHONE_STEPS = ("recording", "opt_out_register")


def audit_steps(group: AuditGroup) -> dict:
    """The protocol's steps for one audit, in order, each still to do (None)."""
    names = DOCUMENT_STEPS + (TELEPHONE_STEPS if group is AuditGroup.TELEPHONE else ()) + ("customer_call",)
    return {name: None for name in names}


def draw_audit_week(*, engine: Engine, week_start: date, rules: RuleSet, now: datetime,
                    seed: int = DEFAULT_SEED) -> StepSummary:
    """Draw the batches of the week starting ``week_start`` (a Monday) not drawn yet."""
    summary = StepSummary(step="audit draw")
    with transaction(engine) as session:
        for agency in session.execute(select(Agency).order_by(Agency.code)).scalars().all():
            groups = (AuditGroup.EMPLOYEE,) if agency.is_internal else (AuditGroup.PAPER, AuditGroup.TELEPHONE)
            for group in groups:
                if _drawn(session, agency=agency, week_start=week_start, group=group):
                    summary.unchanged += 1
                    continue
                population = _population(session, agency=agency, group=group, week_start=week_start)
                if population:
                    summary.changed += _draw(session, agency=agency, group=group, week_start=week_start,
                                             population=population, rules=rules, now=now, seed=seed)
    return summary


def draw_revocation_audits(session: Session, *, agency: Agency, as_of: date, rules: RuleSet, now: datetime,
                           seed: int = DEFAULT_SEED) -> int:
    """Every pending contract of a revoked agency, not audited yet, goes to audit (100%)."""
    week_start = week_start_of(as_of)
    drawn = 0
    for group in (AuditGroup.PAPER, AuditGroup.TELEPHONE):
        audited = select(Audit.contract_id)
        population = session.execute(
            select(Contract.id).where(Contract.agency_id == agency.id, Contract.channel.in_(GROUP_CHANNELS[group]),
                                      Contract.state.in_(tuple(ACTIVATION_STOPPABLE_STATES)),
                                      Contract.id.not_in(audited)).order_by(Contract.id)
        ).scalars().all()
        if population and not _drawn(session, agency=agency, week_start=week_start, group=group):
            drawn += _draw(session, agency=agency, group=group, week_start=week_start, population=population,
                           rules=rules, now=now, seed=seed)
    return drawn


def _drawn(session: Session, *, agency: Agency, week_start: date, group: AuditGroup) -> bool:
    return session.execute(select(AuditBatch.id).where(
        AuditBatch.agency_id == agency.id, AuditBatch.week_start == week_start, AuditBatch.group == group)
    ).first() is not None


def _population(session: Session, *, agency: Agency, group: AuditGroup, week_start: date) -> list[int]:
    query = select(Contract.id).where(
        Contract.agency_id == agency.id, Contract.signed_on >= week_start,
        Contract.signed_on < week_start + timedelta(days=7), Contract.state != ContractState.REJECTED_AT_INTAKE)
    if group in GROUP_CHANNELS:
        query = query.where(Contract.channel.in_(GROUP_CHANNELS[group]))
    return list(session.execute(query.order_by(Contract.id)).scalars())


def _risk_record(session: Session, *, agency: Agency, week_start: date, rules: RuleSet) -> tuple[int, int]:
    """Audits of the agency decided in the risk window before the week, and the nonconforming ones."""
    since, until = risk_window(week_start=week_start, rules=rules.audit_sampling)
    rows = session.execute(
        select(Audit.verdict, func.count()).join(AuditBatch, AuditBatch.id == Audit.batch_id)
        .where(AuditBatch.agency_id == agency.id, Audit.verdict.is_not(None), Audit.verdict_on >= since,
               Audit.verdict_on < until).group_by(Audit.verdict)
    ).all()
    counts = {verdict: count for verdict, count in rows}
    return sum(counts.values()), counts.get(AuditVerdict.NONCONFORMING, 0)


def _draw(session: Session, *, agency: Agency, group: AuditGroup, week_start: date, population: list[int],
          rules: RuleSet, now: datetime, seed: int) -> int:
    audited, nonconforming = _risk_record(session, agency=agency, week_start=week_start, rules=rules)
    inputs = SamplingInputs(agency_code=agency.code, group=group, week_start=week_start, population=tuple(population),
                            agency_status=agency.status, audited_last_window=audited,
                            nonconforming_last_window=nonconforming, seed=seed)
    draw = draw_sample(inputs=inputs, rules=rules.audit_sampling)
    batch = AuditBatch(
        agency_id=agency.id, week_start=week_start, group=group, seed=seed, rate=str(draw.rate),
        population_size=len(population), drawn_count=draw.size, created_at=now,
        inputs={"agency_code": agency.code, "agency_status": agency.status.value, "population": list(population),
                "audited_last_window": audited, "nonconforming_last_window": nonconforming,
                "seed_material": draw.seed_material, "risk_weighted": draw.risk_weighted, "reason": draw.reason,
                "rule_set_version": rules.version},
    )
    session.add(batch)
    session.flush()
    for contract_id in draw.drawn:
        session.add(Audit(batch_id=batch.id, contract_id=contract_id, steps=audit_steps(group)))
    session.flush()
    return draw.size
