"""Confirmation (rulebook 2.2): a letter to every validated contract, then cooling-off.

The letter states the planned switch date and the withdrawal deadline, so the switch is
planned here: its send date (after the statutory window, or at once with early execution),
switch date and point of no return.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import transaction
from db.models import Contract, Customer, SupplyPoint, SwitchRequest
from flows.letter_contexts import confirmation_context, price_lines
from flows.letter_tasks import render_letters
from flows.letter_writer import letter_exists, store_letter
from flows.reference_data import load_reference_data
from flows.settings import Settings
from flows.steps import StepSummary
from flows.transitions import move
from protocol.calendar import WorkingCalendar
from protocol.codes import ContractState, SwitchStatus
from protocol.cooling_off import statutory_window_end, withdrawal_deadline
from protocol.intake import intake_on
from protocol.ruleset import RuleSet
from protocol.switching import SwitchPlan, plan_switch, point_of_no_return, switch_date_for

BATCH = 200


def send_confirmations(
    *, engine: Engine, as_of: date, rules: RuleSet, calendar: WorkingCalendar, now: datetime, settings: Settings,
) -> StepSummary:
    """Write the confirmation letter of every validated contract and start its cooling-off."""
    summary = StepSummary(step="confirmations")
    last_id = 0
    while True:
        with transaction(engine) as session:
            reference = load_reference_data(session)
            rows = session.execute(
                select(Contract, Customer, SupplyPoint)
                .join(Customer, Customer.id == Contract.customer_id)
                .join(SupplyPoint, SupplyPoint.id == Contract.supply_point_id)
                .where(Contract.state == ContractState.VALIDATED, Contract.id > last_id)
                .order_by(Contract.id).limit(BATCH * settings.letter_workers)  # a batch per Dask worker
            ).all()
            if not rows:
                return summary
            last_id = rows[-1][0].id
            planned = [_plan(contract, as_of=as_of, rules=rules, calendar=calendar) for contract, _c, _p in rows]
            jobs = [
                (contract, plan, window, _context(contract, customer, point, reference, as_of))
                for (contract, customer, point), (plan, window) in zip(rows, planned)
                if not letter_exists(session, contract_id=contract.id, kind="confirmation", event_key="confirmation")
            ]
            rendered = dict(zip((job[0].id for job in jobs),
                                render_letters(jobs=[("confirmation", job[3]) for job in jobs],
                                               workers=settings.letter_workers)))
            for (contract, _customer, _point), (plan, window) in zip(rows, planned):
                letter = None
                if contract.id in rendered:
                    letter = store_letter(session, rendered=rendered[contract.id], letters_dir=settings.letters_dir,
                                          contract=contract, kind="confirmation", event_key="confirmation",
                                          written_on=as_of, now=now, rule_set_version=rules.version)
                    summary.letters += 1
                _start_cooling_off(session, contract=contract, plan=plan, window=window, letter=letter, as_of=as_of,
                                   now=now, rules=rules, settings=settings)
                summary.changed += 1


def _plan(contract: Contract, *, as_of: date, rules: RuleSet, calendar: WorkingCalendar):
    """The switch plan and withdrawal window the letter announces; stored on the contract."""
    statutory_end = statutory_window_end(signed_on=contract.signed_on, rules=rules.cooling_off, calendar=calendar)
    plan = plan_switch(signed_on=contract.signed_on, early_execution=contract.early_execution,
                       intake_on=intake_on(signed_on=contract.signed_on, calendar=calendar),
                       statutory_window_end=statutory_end, calendar=calendar, rules=rules.switching)
    if plan.send_on < as_of:  # a late confirmation: plan from the day the request can really go
        switch_date = switch_date_for(filed_on=as_of, rules=rules.switching)
        plan = SwitchPlan(send_on=as_of, switch_date=switch_date,
                          point_of_no_return=point_of_no_return(switch_date=switch_date, rules=rules.switching))
    window = withdrawal_deadline(signed_on=contract.signed_on, channel=contract.channel,
                                 point_of_no_return=plan.point_of_no_return, rules=rules.cooling_off,
                                 calendar=calendar)
    contract.switch_date, contract.point_of_no_return = plan.switch_date, plan.point_of_no_return
    contract.withdrawal_deadline = window.deadline
    return plan, window


def _context(contract, customer, supply_point, reference, as_of):
    return confirmation_context(
        contract=contract, customer=customer, supply_point=supply_point, letter_date=as_of,
        offer_name=reference.offer_names.get(contract.offer_code, contract.offer_code),
        prices=price_lines(prices=reference.offer_prices.get(contract.offer_code, []),
                           commodity=contract.commodity, on=contract.signed_on),
        agency_name=reference.agency_names.get(contract.agency_code or ""),
    )


def _start_cooling_off(session, *, contract, plan, window, letter, as_of, now, rules, settings) -> None:
    if session.execute(select(SwitchRequest.id).where(SwitchRequest.contract_id == contract.id)).first() is None:
        session.add(SwitchRequest(contract_id=contract.id, status=SwitchStatus.PLANNED, send_on=plan.send_on,
                                  switch_date=plan.switch_date, point_of_no_return=plan.point_of_no_return))
    late = as_of > (contract.confirmation_due_on or as_of)
    move(session, contract=contract, to=ContractState.CONFIRMED, actor=settings.actor,
         reason="confirmation letter sent" + (f" (due {contract.confirmation_due_on.isoformat()}: late)" if late else ""),
         effective_on=as_of, now=now, rule_set_version=rules.version,
         payload={"letter": letter.path if letter else None, "withdrawal_deadline": window.deadline.isoformat(),
                  "switch_date": plan.switch_date.isoformat()})
    move(session, contract=contract, to=ContractState.COOLING_OFF, actor=settings.actor,
         reason=f"cooling-off until {window.deadline.isoformat()}; switch request on {plan.send_on.isoformat()}",
         effective_on=as_of, now=now, rule_set_version=rules.version)
