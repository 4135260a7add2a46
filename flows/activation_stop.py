"""Stop an activation (rulebook 3, 5): incorrect selling or an accepted disownment.

While the switch can still be stopped, the contract does not go live: a request not yet
sent is withdrawn from the outbox, one already at the hub is revoked, and the customer is
told by letter. Past the point of no return the finding is recorded; the remedy is then
restoration (rulebook 6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.events import record_event
from db.models import Contract, Customer, SupplyPoint, SwitchRequest
from flows.letter_contexts import common_context
from flows.letter_writer import write_letter
from flows.outbox import cancel_pending, queue_message
from flows.settings import Settings
from flows.switching_step import switch_request_key
from flows.transitions import move
from letters.parallel import inline_renderer
from protocol.codes import ContractState, SwitchStatus
from protocol.lifecycle import activation_stoppable, can_transition


@dataclass(frozen=True)
class StopOutcome:
    stopped: bool
    letter: str | None
    revocation_queued: bool


def stop_activation(
    session: Session, *, contract: Contract, to: ContractState, letter_reason: str, event_key: str, reason: str,
    agency_name: str | None, as_of: date, now: datetime, actor: str, rule_set_version: str, settings: Settings,
    case_id: int | None = None,
) -> StopOutcome:
    """Stop ``contract`` going live if it still can; ``to`` is blocked_by_audit or cancelled."""
    if not activation_stoppable(state=contract.state) or not can_transition(from_state=contract.state, to_state=to):
        never_live = contract.state is ContractState.REJECTED_AT_INTAKE
        record_event(session, contract=contract, kind="activation_not_stoppable", actor=actor,
                     reason=f"{reason}; " + ("the contract was refused at intake and will not go live" if never_live
                                             else f"the switch can no longer be stopped (state {contract.state.value})"),
                     occurred_at=now, effective_on=as_of, rule_set_version=rule_set_version)
        return StopOutcome(stopped=False, letter=None, revocation_queued=False)
    request = session.execute(
        select(SwitchRequest).where(SwitchRequest.contract_id == contract.id).order_by(SwitchRequest.id.desc())
    ).scalars().first()
    switch_was_requested, revocation = False, False
    if request is not None and request.status not in (SwitchStatus.REVOKED, SwitchStatus.COMPLETED):
        switch_was_requested = request.status in (SwitchStatus.REQUESTED, SwitchStatus.ACKNOWLEDGED)
        never_left = request.status == SwitchStatus.PLANNED or cancel_pending(
            session, key=switch_request_key(contract=contract, request=request), reason=reason)
        if not never_left:
            revocation = queue_message(
                session, key=f"sii:switch-revocation:{contract.external_id}:{request.id}", destination="sii",
                kind="switch_revocation", contract_id=contract.id, queued_on=as_of, now=now,
                payload={"contract": contract.external_id, "switch_date": request.switch_date.isoformat(),
                         "reason": reason})
        request.status, request.revoked_on, request.revocation_reason = SwitchStatus.REVOKED, as_of, reason
    contract.ended_on = as_of
    move(session, contract=contract, to=to, actor=actor, reason=reason, effective_on=as_of, now=now,
         rule_set_version=rule_set_version, payload={"switch_revoked": revocation})
    customer = session.get(Customer, contract.customer_id)
    point = session.get(SupplyPoint, contract.supply_point_id)
    context = common_context(contract=contract, customer=customer, supply_point=point, letter_date=as_of,
                             reference=contract.external_id)
    context.update(signed_on=contract.signed_on, reason=letter_reason, switch_was_requested=switch_was_requested,
                   agency_name=agency_name)
    letter = write_letter(session, renderer=inline_renderer(), letters_dir=settings.letters_dir, contract=contract,
                          kind="activation_stopped", event_key=event_key, context=context, written_on=as_of,
                          now=now, rule_set_version=rule_set_version, case_id=case_id)
    return StopOutcome(stopped=True, letter=letter.path if letter else None, revocation_queued=revocation)
