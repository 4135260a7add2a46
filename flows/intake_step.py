"""Intake (rulebook 2.1): the working day after signature, check each received contract."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import Contract
from flows.reference_data import load_reference_data
from flows.steps import StepSummary
from flows.transitions import move
from protocol.calendar import WorkingCalendar
from protocol.codes import ContractState
from protocol.intake import IntakeFacts, confirmation_due_on, intake_on, intake_problems
from protocol.ruleset import RuleSet

BATCH = 2000


def run_intake(
    *, engine: Engine, as_of: date, rules: RuleSet, calendar: WorkingCalendar, now: datetime,
    actor: str = "daily-cycle",
) -> StepSummary:
    """Validate or reject every received contract whose intake day has come.

    Batches of contracts are committed one by one: an interrupted run resumes where it stopped.
    """
    summary = StepSummary(step="intake")
    last_id = 0
    while True:
        with transaction(engine) as session:
            reference = load_reference_data(session)
            batch = session.execute(
                select(Contract).where(Contract.state == ContractState.RECEIVED, Contract.signed_on < as_of,
                                       Contract.id > last_id)
                .order_by(Contract.id).limit(BATCH)
            ).scalars().all()
            if not batch:
                return summary
            for contract in batch:
                last_id = contract.id
                if intake_on(signed_on=contract.signed_on, calendar=calendar) > as_of:
                    summary.unchanged += 1
                    continue
                facts = IntakeFacts(
                    signed_on=contract.signed_on, channel=contract.channel, agency_code=contract.agency_code,
                    agent_badge=contract.agent_badge, agency=reference.agencies.get(contract.agency_code or ""),
                    agent=reference.agents.get(contract.agent_badge or ""),
                    offer=reference.offers.get(contract.offer_code), offer_code=contract.offer_code,
                )
                problems = intake_problems(facts=facts, as_of=as_of)
                if problems:
                    move(session, contract=contract, to=ContractState.REJECTED_AT_INTAKE, actor=actor,
                         reason="intake checks failed: " + "; ".join(f"{p.field}: {p.reason}" for p in problems),
                         effective_on=as_of, now=now, rule_set_version=rules.version,
                         payload={"problems": [{"field": p.field, "reason": p.reason} for p in problems]})
                    summary.to_review += 1
                else:
                    contract.confirmation_due_on = confirmation_due_on(
                        signed_on=contract.signed_on, rules=rules.confirmation, calendar=calendar)
                    contract.rule_set_version = rules.version
                    move(session, contract=contract, to=ContractState.VALIDATED, actor=actor,
                         reason="intake checks passed", effective_on=as_of, now=now,
                         rule_set_version=rules.version)
                summary.changed += 1
