"""The invoicing run (rulebook 2.5): a bill for every period that is over, by contract.

Batched by contract id and resumable (``billing_runs``). Each batch locks its contracts'
rows (``flows.contract_locks``) and writes nothing for a contract on hold, so a disownment
committed while the run is under way is honoured for every contract not yet written. A
pending TIQV late-reply indemnity is credited on the contract's next bill, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine, and_, exists, func, insert, or_, select, update

from db.engine import transaction
from db.models import Contract, Customer, Indemnity, Invoice, InvoiceLine, Restoration
from db.sequences import reserve_numbers
from flows.billing_inputs import ENERGY, RETAIL_FEE, BatchInputs, BillableContract, MissingOfferPrice, load_batch_inputs
from flows.billing_runs import record_batch, run_in_batches
from flows.contract_locks import lock_contracts
from flows.steps import StepSummary
from protocol.billing import (
    BillingError, InvoiceLineDraft, Period, billing_frequency, billing_periods, consumption_for, due_on,
    invoice_lines, invoice_total,
)
from protocol.billing_prices import DEFAULT_CHARGE_TABLE
from protocol.calendar import WorkingCalendar
from protocol.codes import CustomerKind, InvoiceComponent, InvoiceKind, InvoiceStatus
from protocol.ruleset import BillingFrequency, CustomerGroup, RuleSet

BATCH = 500
INVOICE_SERIES = "FT"
INDEMNITY_TEXT = "Indennizzo automatico per risposta tardiva al reclamo (TIQV), fuori campo IVA"
_STEP_MONTHS = {BillingFrequency.MONTHLY: 1, BillingFrequency.BIMONTHLY: 2}


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _candidates(*, as_of: date, rules: RuleSet, after: int):
    """Contracts that may have a period over by ``as_of`` (a cheap superset, by SQL)."""
    latest = (select(func.max(Invoice.period_end))
              .where(Invoice.contract_id == Contract.id, Invoice.kind == InvoiceKind.REGULAR).scalar_subquery())
    month = as_of.replace(day=1)
    due = []
    for group, by_commodity in rules.billing.frequency.items():
        domestic = Customer.kind == CustomerKind.DOMESTIC
        kind_clause = domestic if group is CustomerGroup.DOMESTIC else ~domestic
        for commodity, frequency in by_commodity.items():
            threshold = _add_months(month, -_STEP_MONTHS[BillingFrequency(frequency)])
            due.append(and_(kind_clause, Contract.commodity == commodity,
                            or_(and_(latest.is_(None), Contract.activated_on < _add_months(threshold, 1)),
                                latest <= threshold)))
    ended = and_(Contract.ended_on.is_not(None), Contract.ended_on <= as_of,
                 or_(latest.is_(None), latest < Contract.ended_on))
    rebilled = exists().where(Restoration.contract_id == Contract.id, Restoration.rebilled_on.is_not(None))
    return (select(Contract.id).join(Customer, Customer.id == Contract.customer_id)
            .where(Contract.activated_on.is_not(None), Contract.activated_on < as_of, Contract.id > after,
                   or_(ended, *due), ~rebilled)
            .order_by(Contract.id).limit(BATCH))


def _drafts(*, contract: BillableContract, period: Period, inputs: BatchInputs, rules: RuleSet
            ) -> tuple[InvoiceLineDraft, ...]:
    consumption = consumption_for(annual=contract.annual_consumption, commodity=contract.commodity,
                                  customer_kind=contract.customer_kind, period=period)
    return invoice_lines(
        commodity=contract.commodity, customer_kind=contract.customer_kind, consumption=consumption, period=period,
        energy_price=inputs.price(contract=contract, component=ENERGY, on=period.start),
        retail_fee_per_month=inputs.price(contract=contract, component=RETAIL_FEE, on=period.start),
        charges=DEFAULT_CHARGE_TABLE)


@dataclass(frozen=True, kw_only=True)
class _Planned:
    contract: BillableContract
    period: Period
    lines: list[InvoiceLineDraft]


def _plan(*, contract: BillableContract, inputs: BatchInputs, as_of: date, rules: RuleSet) -> list[_Planned]:
    """The bills due for one contract, computed before anything is written. The first one
    carries the pending TIQV indemnities (outside the scope of VAT)."""
    frequency = billing_frequency(customer_kind=contract.customer_kind, commodity=contract.commodity, rules=rules)
    planned = [_Planned(contract=contract, period=period, lines=list(_drafts(contract=contract, period=period,
                                                                              inputs=inputs, rules=rules)))
               for period in billing_periods(active_from=contract.activated_on, until=as_of, frequency=frequency,
                                             ended_on=contract.ended_on)
               if period.start not in inputs.billed_starts.get(contract.id, ())]
    if planned:
        planned[0].lines.extend(
            InvoiceLineDraft(component=InvoiceComponent.INDEMNITY, description_it=INDEMNITY_TEXT, quantity=Decimal(1),
                             unit="€", unit_price=-pending.amount, amount=-pending.amount)
            for pending in inputs.indemnities.get(contract.id, ()))
    return planned


def _write(session, *, planned: list[_Planned], inputs: BatchInputs, as_of: date, rules: RuleSet,
           calendar: WorkingCalendar, run_id: int) -> None:
    """Every bill of the batch in three statements: numbers, invoices, lines."""
    numbers = reserve_numbers(session, series=INVOICE_SERIES, year=as_of.year, count=len(planned))
    due = due_on(issued_on=as_of, rules=rules, calendar=calendar)
    ids = session.execute(insert(Invoice).returning(Invoice.id, sort_by_parameter_order=True), [
        {"number": f"{INVOICE_SERIES}-{as_of.year}-{number:08d}", "contract_id": bill.contract.id,
         "kind": InvoiceKind.REGULAR, "status": InvoiceStatus.ISSUED, "period_start": bill.period.start,
         "period_end": bill.period.end, "issued_on": as_of, "due_on": due, "total": invoice_total(bill.lines),
         "billing_run_id": run_id, "rule_set_version": rules.version}
        for number, bill in zip(numbers, planned)]).scalars().all()
    session.execute(insert(InvoiceLine), [
        {"invoice_id": invoice_id, "component": line.component, "description": line.description_it,
         "quantity": line.quantity, "unit": line.unit, "unit_price": line.unit_price, "amount": line.amount}
        for invoice_id, bill in zip(ids, planned) for line in bill.lines])
    credited = {}
    for invoice_id, bill in zip(ids, planned):
        credited.setdefault(bill.contract.id, invoice_id)
    for contract_id, pending in inputs.indemnities.items():
        if contract_id in credited:
            session.execute(update(Indemnity).where(Indemnity.id.in_([p.id for p in pending]))
                            .values(invoice_id=credited[contract_id]))


def _batch(ids: list[int], *, wait: bool, run_id: int, last_key: int, engine: Engine, as_of: date, rules: RuleSet,
           calendar: WorkingCalendar, summary: StepSummary) -> list[int]:
    """Bill one batch in one transaction; returns the ids another transaction held (to retry)."""
    with transaction(engine) as session:
        locked = lock_contracts(session, contract_ids=ids, wait=wait)
        inputs = load_batch_inputs(session, contract_ids=locked.free)
        planned: list[_Planned] = []
        for contract_id in sorted(locked.free):
            try:
                bills = _plan(contract=inputs.contracts[contract_id], inputs=inputs, as_of=as_of, rules=rules)
            except (BillingError, MissingOfferPrice) as error:
                summary.errors += 1
                summary.notes.append(str(error))
                continue
            planned += bills
            summary.unchanged += 0 if bills else 1
        if planned:
            _write(session, planned=planned, inputs=inputs, as_of=as_of, rules=rules, calendar=calendar,
                   run_id=run_id)
        summary.changed += len(planned)
        summary.to_review += len(locked.on_hold)
        record_batch(session, run_id=run_id, last_key=last_key, processed=len(locked.free),
                     skipped_on_hold=len(locked.on_hold))
    return sorted(locked.busy)


def run_invoicing(*, engine: Engine, as_of: date, rules: RuleSet, calendar: WorkingCalendar, now: datetime,
                  on_batch=None) -> StepSummary:
    """Issue the bills due on ``as_of``. ``changed`` counts invoices, ``to_review`` the
    contracts skipped because they are on hold. ``on_batch(last_key)`` is called after each
    committed batch (progress bars, tests)."""
    summary = StepSummary(step="invoicing")
    return run_in_batches(
        engine=engine, kind="invoicing", as_of=as_of, now=now, summary=summary, on_batch=on_batch,
        candidates=lambda session, after: session.execute(_candidates(as_of=as_of, rules=rules, after=after)
                                                          ).scalars().all(),
        key=lambda contract_id: contract_id,
        process=partial(_batch, engine=engine, as_of=as_of, rules=rules, calendar=calendar, summary=summary))
