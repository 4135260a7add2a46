"""Switching (rulebook 2.4): file switch requests, pass points of no return, activate."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import Contract, SupplyPoint, SwitchRequest
from flows.outbox import queue_message
from flows.steps import StepSummary
from flows.transitions import move
from protocol.calendar import WorkingCalendar
from protocol.codes import ContractState, SwitchStatus
from protocol.cooling_off import withdrawal_deadline
from protocol.ruleset import RuleSet
from protocol.switching import point_of_no_return, switch_date_for

BATCH = 2000
FILABLE = (ContractState.CONFIRMED, ContractState.COOLING_OFF)


def switch_request_key(*, contract: Contract, request: SwitchRequest) -> str:
    return f"sii:switch-request:{contract.external_id}:{request.id}"


def file_switch_requests(
    *, engine: Engine, as_of: date, rules: RuleSet, calendar: WorkingCalendar, now: datetime,
    actor: str = "daily-cycle",
) -> StepSummary:
    """Send the switch request of every contract whose cooling-off allows it (outbox, SII).

    The switch date follows the cut-off rule from the day the request is actually filed.
    A contract on hold is not switched: it waits for its disownment case to be decided.
    """
    summary = StepSummary(step="switch requests")
    last_id = 0
    while True:
        with transaction(engine) as session:
            rows = session.execute(
                select(SwitchRequest, Contract, SupplyPoint.code)
                .join(Contract, Contract.id == SwitchRequest.contract_id)
                .join(SupplyPoint, SupplyPoint.id == Contract.supply_point_id)
                .where(SwitchRequest.status == SwitchStatus.PLANNED, SwitchRequest.send_on <= as_of,
                       Contract.state.in_(FILABLE), SwitchRequest.id > last_id)
                .order_by(SwitchRequest.id).limit(BATCH)
            ).all()
            if not rows:
                return summary
            for request, contract, supply_point_code in rows:
                last_id = request.id
                if contract.on_hold:
                    summary.to_review += 1
                    continue
                switch_date = switch_date_for(filed_on=as_of, rules=rules.switching)
                pnr = point_of_no_return(switch_date=switch_date, rules=rules.switching)
                request.status, request.requested_on = SwitchStatus.REQUESTED, as_of
                request.switch_date, request.point_of_no_return = switch_date, pnr
                window = withdrawal_deadline(signed_on=contract.signed_on, channel=contract.channel,
                                             point_of_no_return=pnr, rules=rules.cooling_off, calendar=calendar)
                contract.switch_date, contract.point_of_no_return = switch_date, pnr
                contract.withdrawal_deadline = window.deadline
                session.flush()
                queued = queue_message(
                    session, key=switch_request_key(contract=contract, request=request), destination="sii",
                    kind="switch_request", contract_id=contract.id, queued_on=as_of, now=now,
                    payload={"contract": contract.external_id, "supply_point": supply_point_code,
                             "commodity": contract.commodity.value, "switch_date": switch_date.isoformat(),
                             "previous_supplier": contract.previous_supplier,
                             "early_execution": contract.early_execution},
                )
                summary.messages += int(queued)
                move(session, contract=contract, to=ContractState.SWITCH_REQUESTED, actor=actor,
                     reason=f"switch requested for {switch_date.isoformat()}; revocable until {pnr.isoformat()}",
                     effective_on=as_of, now=now, rule_set_version=rules.version,
                     payload={"switch_date": switch_date.isoformat(), "point_of_no_return": pnr.isoformat()})
                summary.changed += 1


def pass_points_of_no_return(
    *, engine: Engine, as_of: date, rules: RuleSet, now: datetime, actor: str = "daily-cycle",
) -> StepSummary:
    """Contracts whose point of no return has passed become irrevocable."""
    summary = StepSummary(step="points of no return")
    with transaction(engine) as session:
        contracts = session.execute(
            select(Contract).where(Contract.state == ContractState.SWITCH_REQUESTED,
                                   Contract.point_of_no_return < as_of).order_by(Contract.id)
        ).scalars().all()
        for contract in contracts:
            move(session, contract=contract, to=ContractState.IRREVOCABLE, actor=actor,
                 reason=f"point of no return {contract.point_of_no_return.isoformat()} passed: "
                 "the switch can no longer be revoked", effective_on=as_of, now=now,
                 rule_set_version=rules.version)
            summary.changed += 1
    return summary


def activate_switched_contracts(
    *, engine: Engine, as_of: date, rules: RuleSet, now: datetime, actor: str = "daily-cycle",
) -> StepSummary:
    """Irrevocable contracts become active on their switch date."""
    summary = StepSummary(step="activations")
    with transaction(engine) as session:
        rows = session.execute(
            select(Contract, SwitchRequest)
            .join(SwitchRequest, SwitchRequest.contract_id == Contract.id)
            .where(Contract.state == ContractState.IRREVOCABLE, Contract.switch_date <= as_of,
                   SwitchRequest.status.in_((SwitchStatus.REQUESTED, SwitchStatus.ACKNOWLEDGED)))
            .order_by(Contract.id)
        ).all()
        for contract, request in rows:
            contract.activated_on = contract.switch_date
            request.status = SwitchStatus.COMPLETED
            move(session, contract=contract, to=ContractState.ACTIVE, actor=actor,
                 reason=f"supply started on {contract.switch_date.isoformat()}",
                 effective_on=contract.switch_date, now=now, rule_set_version=rules.version)
            summary.changed += 1
    return summary
