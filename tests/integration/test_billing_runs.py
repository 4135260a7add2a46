"""Invoicing, dunning and SEPA runs, and the hold that stops them (rulebook 2.5, 5)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.engine import transaction
from db.models import (BillingRun, Contract, ContractEvent, CreditNote, DunningAction, Indemnity, Invoice, InvoiceLine,
                       OutboxMessage, Payment, SepaCollection)
from flows.contract_view import contract_view
from flows.disownment_decisions import decide_disownment
from flows.disownments import open_disownment, release_hold
from flows.dunning_run import run_dunning
from flows.invoicing import run_invoicing
from flows.sepa_batch import run_sepa_batch
from flows.tiqv_credit_notes import credit_unbillable_indemnities
from flows.users import add_user
from protocol.codes import CaseOutcome, CreditNoteKind, DunningStep, InvoiceComponent, InvoiceStatus, Role
from tests.integration.billing_support import ACTIVE_FROM, active_contracts, copy_contract
from tests.integration.lifecycle_support import NOW, Scenario

FIRST_BILL = date(2026, 5, 1)  # domestic, bimonthly: March-April is billed on 1 May
FIRST_DUE = date(2026, 5, 21)  # 20 calendar days later, a Thursday


@pytest.fixture
def scenario(engine, tmp_path):
    scenario = Scenario(engine=engine, folder=tmp_path)
    add_user(engine=engine, username="cs.bianchi", role=Role.CUSTOMER_SERVICE, full_name="Cs", now=NOW)
    add_user(engine=engine, username="csr.neri", role=Role.COMPLIANCE, full_name="Csr", now=NOW)
    return scenario


def invoice(scenario, as_of):
    context = scenario.context
    return run_invoicing(engine=scenario.engine, as_of=as_of, rules=context.rules, calendar=context.calendar, now=NOW)


def dun(scenario, as_of):
    return run_dunning(engine=scenario.engine, as_of=as_of, rules=scenario.context.rules, now=NOW)


def disown(scenario, contract, received_on):
    context = scenario.context
    return open_disownment(engine=scenario.engine, contract_reference=contract, received_on=received_on, sent_on=None,
                           channel="phone", by="cs.bianchi", now=NOW, rules=context.rules,
                           calendar=context.calendar).case_reference


def reject_and_release(scenario, case, on):
    context = scenario.context
    decide_disownment(engine=scenario.engine, case_reference=case, outcome=CaseOutcome.REJECTED,
                      reason="signed contract and recorded call on file", by="csr.neri", as_of=on, now=NOW,
                      rules=context.rules, calendar=context.calendar, settings=scenario.settings)
    assert release_hold(engine=scenario.engine, case_reference_=case, by="csr.neri", reason="rejected, reply sent",
                        as_of=on, now=NOW)


def invoices_of(scenario, external_id):
    with transaction(scenario.engine) as session:
        return session.execute(select(Invoice).join(Contract, Contract.id == Invoice.contract_id)
                               .where(Contract.external_id == external_id).order_by(Invoice.id)).scalars().all()


def lines_of(scenario, invoice_id):
    with transaction(scenario.engine) as session:
        return session.execute(select(InvoiceLine).where(InvoiceLine.invoice_id == invoice_id)
                               .order_by(InvoiceLine.id)).scalars().all()


def test_a_bill_for_each_period_over_with_lines_by_component_and_a_due_date_once(scenario):
    [contract] = active_contracts(scenario)
    assert invoice(scenario, FIRST_BILL - timedelta(days=1)).changed == 0

    assert invoice(scenario, FIRST_BILL).changed == 1
    assert invoice(scenario, FIRST_BILL).notes == [f"the invoicing run of {FIRST_BILL} is already done"]
    assert invoice(scenario, FIRST_BILL + timedelta(days=1)).changed == 0

    [bill] = invoices_of(scenario, contract)
    assert (bill.period_start, bill.period_end, bill.issued_on, bill.due_on) == (ACTIVE_FROM, FIRST_BILL, FIRST_BILL,
                                                                                 FIRST_DUE)
    lines = lines_of(scenario, bill.id)
    assert [line.component for line in lines] == [
        InvoiceComponent.ENERGY, InvoiceComponent.RETAIL_FEE, InvoiceComponent.NETWORK,
        InvoiceComponent.SYSTEM_CHARGES, InvoiceComponent.EXCISE, InvoiceComponent.VAT]
    assert lines[1].quantity == Decimal("2.000")  # two months of the retail fee
    taxable = sum(line.amount for line in lines[:-1])
    assert lines[-1].quantity == taxable and lines[-1].amount == (taxable * Decimal("0.10")).quantize(Decimal("0.01"))
    assert bill.total == sum(line.amount for line in lines)
    assert all(isinstance(line.amount, Decimal) for line in lines)


def test_a_held_contract_gets_no_bill_and_the_bill_comes_once_the_hold_is_released(scenario):
    [contract] = active_contracts(scenario)
    case = disown(scenario, contract, date(2026, 4, 20))

    held = invoice(scenario, FIRST_BILL)
    assert (held.changed, held.to_review) == (0, 1) and invoices_of(scenario, contract) == []
    reject_and_release(scenario, case, date(2026, 5, 12))

    assert invoice(scenario, date(2026, 5, 13)).changed == 1
    [bill] = invoices_of(scenario, contract)
    assert (bill.period_start, bill.issued_on) == (ACTIVE_FROM, date(2026, 5, 13))


@pytest.mark.parametrize(("days_late", "amount", "next_bill_on"), [
    (31, "25.00", date(2026, 5, 1)),  # decided 10 April: the first bill, 1 May, carries it
    (61, "50.00", date(2026, 5, 10)),  # decided 10 May, after the held 1 May bill: billed at once
    (91, "75.00", date(2026, 6, 9)),
])
def test_a_late_reply_is_credited_once_in_the_next_bill(scenario, days_late, amount, next_bill_on):
    [contract] = active_contracts(scenario)
    received = date(2026, 3, 10)
    case = disown(scenario, contract, received)
    decided = received + timedelta(days=days_late)
    reject_and_release(scenario, case, decided)

    for day in range(0, 100, 3):  # runs after the decision, across the next two bills
        invoice(scenario, decided + timedelta(days=day))

    indemnity_lines = [(bill.number, line.amount) for bill in invoices_of(scenario, contract)
                       for line in lines_of(scenario, bill.id) if line.component is InvoiceComponent.INDEMNITY]
    first_bill = invoices_of(scenario, contract)[0]
    assert indemnity_lines == [(first_bill.number, -Decimal(amount))]
    assert first_bill.issued_on == next_bill_on and len(invoices_of(scenario, contract)) >= 2
    with transaction(scenario.engine) as session:
        [owed] = session.execute(select(Indemnity)).scalars().all()
    assert owed.amount == Decimal(amount) and owed.invoice_id == first_bill.id


def test_the_dunning_ladder_keeps_its_delays_and_stops_while_on_hold(scenario):
    [contract] = active_contracts(scenario)
    invoice(scenario, FIRST_BILL)
    steps = {}
    for day in (FIRST_DUE + timedelta(days=n) for n in range(0, 45)):
        if day == date(2026, 6, 20):
            case = disown(scenario, contract, day)
        if day == date(2026, 7, 1):
            reject_and_release(scenario, case, day)
        if dun(scenario, day).changed:
            with transaction(scenario.engine) as session:
                steps.update({a.step: a.issued_on for a in session.execute(select(DunningAction)).scalars()})
    assert steps == {
        DunningStep.REMINDER: FIRST_DUE + timedelta(days=10),  # 31 May
        DunningStep.FORMAL_NOTICE: FIRST_DUE + timedelta(days=25),  # 15 June
        # due on 30 June (40 days) but held from 20 June to 1 July; after the release it keeps
        # the ladder's 15-day gap from the formal notice, so it is taken on 1 July
        DunningStep.SUSPENSION_REQUEST: date(2026, 7, 1),
    }
    with transaction(scenario.engine) as session:
        messages = session.execute(select(OutboxMessage.destination, OutboxMessage.kind)
                                   .where(OutboxMessage.kind.like("dunning_%")).order_by(OutboxMessage.id)).all()
        events = session.execute(select(ContractEvent.kind, ContractEvent.actor)
                                 .where(ContractEvent.kind.like("dunning_%"))).all()
    assert [tuple(m) for m in messages] == [("customer", "dunning_reminder"), ("customer", "dunning_formal_notice"),
                                            ("distributor", "dunning_suspension_request")]
    assert [tuple(e) for e in events] == [("dunning_suspension_request", "daily-cycle")]


def test_a_paid_bill_is_never_dunned(scenario):
    [contract] = active_contracts(scenario)
    invoice(scenario, FIRST_BILL)
    [bill] = invoices_of(scenario, contract)
    with transaction(scenario.engine) as session:
        session.add(Payment(invoice_id=bill.id, paid_on=FIRST_DUE, amount=bill.total, method="postal_slip"))
        session.get(Invoice, bill.id).status = InvoiceStatus.PAID
    assert dun(scenario, FIRST_DUE + timedelta(days=100)).changed == 0


def test_sepa_is_presented_withdrawn_by_the_hold_and_presented_again_after_release(scenario):
    [contract] = active_contracts(scenario, payment_method="sepa")
    invoice(scenario, FIRST_BILL)
    assert run_sepa_batch(engine=scenario.engine, as_of=FIRST_BILL, now=NOW).changed == 1
    case = disown(scenario, contract, date(2026, 5, 10))
    with transaction(scenario.engine) as session:
        [collection] = session.execute(select(SepaCollection)).scalars().all()
    assert (collection.status, collection.collect_on, collection.batch_reference) == ("withdrawn", FIRST_DUE,
                                                                                      "SDD-20260501")
    held = run_sepa_batch(engine=scenario.engine, as_of=FIRST_DUE, now=NOW)
    assert (held.changed, held.to_review) == (0, 1)
    assert dun(scenario, FIRST_DUE + timedelta(days=30)).to_review == 1

    reject_and_release(scenario, case, date(2026, 6, 1))
    run_sepa_batch(engine=scenario.engine, as_of=date(2026, 6, 2), now=NOW)
    run_sepa_batch(engine=scenario.engine, as_of=date(2026, 6, 7), now=NOW)
    with transaction(scenario.engine) as session:
        collection = session.execute(select(SepaCollection)).scalar_one()
        payment = session.execute(select(Payment)).scalar_one()
        bill = session.execute(select(Invoice)).scalar_one()
    assert (collection.status, collection.collect_on, collection.batch_reference) == ("collected", date(2026, 6, 7),
                                                                                      "SDD-20260602")
    assert (payment.paid_on, payment.amount, bill.status) == (date(2026, 6, 7), bill.total, InvoiceStatus.PAID)


def test_an_interrupted_run_resumes_where_it_stopped_and_issues_each_bill_once(scenario, monkeypatch):
    [contract] = active_contracts(scenario)
    copy_contract(scenario.engine, external_id=contract, copies=5)
    monkeypatch.setattr("flows.invoicing.BATCH", 2)

    class PowerCut(Exception):
        pass

    def cut(_last_key):
        raise PowerCut

    with pytest.raises(PowerCut):
        run_invoicing(engine=scenario.engine, as_of=FIRST_BILL, rules=scenario.context.rules,
                      calendar=scenario.context.calendar, now=NOW, on_batch=cut)
    with transaction(scenario.engine) as session:
        run = session.execute(select(BillingRun).where(BillingRun.kind == "invoicing", BillingRun.as_of == FIRST_BILL)).scalar_one()
        assert (run.status, run.processed, session.execute(select(func.count(Invoice.id))).scalar_one()) == (
            "running", 2, 2)
    resumed = invoice(scenario, FIRST_BILL)
    assert resumed.changed == 4
    with transaction(scenario.engine) as session:
        counts = session.execute(select(Invoice.contract_id, func.count()).group_by(Invoice.contract_id)).all()
        run = session.execute(select(BillingRun).where(BillingRun.kind == "invoicing", BillingRun.as_of == FIRST_BILL)).scalar_one()
    assert len(counts) == 6 and {n for _, n in counts} == {1}
    assert (run.status, run.processed) == ("done", 6)


def test_show_lists_the_bills_with_collection_and_dunning(scenario):
    [contract] = active_contracts(scenario)
    invoice(scenario, FIRST_BILL)
    dun(scenario, FIRST_DUE + timedelta(days=10))
    with transaction(scenario.engine) as session:
        view = contract_view(session, reference=contract)
    [bill] = view["invoices"]
    assert (bill["issued_on"], bill["due_on"], bill["paid_on"], bill["dunning"]) == (
        FIRST_BILL, FIRST_DUE, None, ["reminder 2026-05-31"])
    assert [m["kind"] for m in view["outbox"]][-1] == "dunning_reminder"


def test_a_late_reply_on_a_contract_never_billed_is_paid_by_its_own_credit_note_once(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 4, 22))
    scenario.run(date(2026, 4, 23))
    case = disown(scenario, contract, date(2026, 4, 24))
    decide_disownment(engine=scenario.engine, case_reference=case, outcome=CaseOutcome.ACCEPTED, reason="not signed",
                      by="csr.neri", as_of=date(2026, 5, 25), now=NOW, rules=scenario.context.rules,
                      calendar=scenario.context.calendar, settings=scenario.settings)  # day 31: €25

    for day in (date(2026, 5, 25), date(2026, 5, 26), date(2026, 7, 1)):
        credit_unbillable_indemnities(engine=scenario.engine, as_of=day, now=NOW)
    with transaction(scenario.engine) as session:
        notes = session.execute(select(CreditNote)).scalars().all()
        owed = session.execute(select(Indemnity)).scalar_one()
    assert [(n.kind, n.amount, n.series, n.issued_on) for n in notes] == [
        (CreditNoteKind.TIQV_INDEMNITY, Decimal("25.00"), "NCQ", date(2026, 5, 25))]
    assert owed.credit_note_id == notes[0].id and owed.invoice_id is None
    assert invoices_of(scenario, contract) == []
