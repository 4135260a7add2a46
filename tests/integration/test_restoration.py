"""Restoration, re-billing at reduced regulated prices and the €25 indemnity (rulebook 6, 7).

The worked examples follow one story: a domestic customer active from 1 February 2026, billed
every two months, disowns in time (20 April); the case is rejected, the hold released and the
second bill issued (1 June); the Sportello finds the rejection unfounded (3 June), the case
reopens as accepted, the customer opts in (4 June), the request goes out on 5 June (by the
10th) and the supply returns on 1 July. Every figure below is computed by hand from the
shipped regulated prices (db/data/regulated_prices.csv), the default charges
(protocol/billing_prices.py) and the seasonal profile.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from db.engine import transaction
from db.models import Contract, CreditNote, Customer, Indemnity, Invoice, InvoiceLine, Letter, Payment, Restoration
from flows.disownment_decisions import decide_disownment, record_sportello_finding
from flows.disownments import open_disownment, release_hold
from flows.restoration_opt_in import OptInTooLate, record_opt_in
from flows.users import add_user
from protocol.codes import (CaseOutcome, ContractState, CreditNoteKind, CustomerKind, InvoiceComponent, InvoiceKind,
                            InvoiceStatus, RestorationStatus, Role)
from tests.integration.lifecycle_support import NOW, Scenario

D = Decimal
SIGNED = date(2025, 11, 20)  # web: switch filed on 12 December, after the 10th: active from 1 February 2026
STONES = (date(2025, 11, 21), date(2025, 12, 12), date(2026, 1, 12), date(2026, 2, 1))

# Re-issued at Q1/Q2 2026 regulated prices, PCV / QVD at zero; VAT 10% (domestic).
ELECTRICITY = {  # 2,700 kWh a year; Feb+Mar 8.5%+8.5%, Apr+May 7.5%+7.5%, June 8%
    # 459 kWh x 0.142 = 65.18; network 459 x 0.045 = 20.66; system 459 x 0.030 = 13.77;
    # excise 459 x 0.0227 = 10.42; taxable 110.03; VAT 11.00
    date(2026, 2, 1): D("121.03"),
    # 405 kWh x 0.1285 = 52.04; network 18.23; system 12.15; excise 9.19; taxable 91.61; VAT 9.16
    date(2026, 4, 1): D("100.77"),
    # 216 kWh x 0.1285 = 27.76; network 9.72; system 6.48; excise 4.90; taxable 48.86; VAT 4.89
    date(2026, 6, 1): D("53.75"),
}
GAS = {  # 1,400 Smc a year; Feb+Mar 16%+12%, Apr+May 7%+3%, June 2%
    # 392 Smc x 0.455 = 178.36; network 392 x 0.20 = 78.40; system 392 x 0.04 = 15.68;
    # excise 392 x 0.18 = 70.56; taxable 343.00; VAT 34.30
    date(2026, 2, 1): D("377.30"),
    # 140 Smc x 0.402 = 56.28; network 28.00; system 5.60; excise 25.20; taxable 115.08; VAT 11.51
    date(2026, 4, 1): D("126.59"),
    # 28 Smc x 0.402 = 11.26; network 5.60; system 1.12; excise 5.04; taxable 23.02; VAT 2.30
    date(2026, 6, 1): D("25.32"),
}
ANNUAL = {"electricity": 2_700, "gas": 1_400}


@pytest.fixture
def scenario(engine, tmp_path):
    scenario = Scenario(engine=engine, folder=tmp_path)
    for name, role in (("cs.bianchi", Role.CUSTOMER_SERVICE), ("csr.neri", Role.COMPLIANCE)):
        add_user(engine=engine, username=name, role=role, full_name=name, now=NOW)
    return scenario


def _contract(scenario, *, commodity: str, signed_on: date = SIGNED, business: bool = False) -> str:
    external_id = scenario.add_contract(signed_on=signed_on, payment_method="postal_slip", commodity=commodity)
    with transaction(scenario.engine) as session:
        contract = session.execute(select(Contract).where(Contract.external_id == external_id)).scalar_one()
        contract.annual_consumption = ANNUAL[commodity]
        if business:
            session.execute(update(Customer).where(Customer.id == contract.customer_id).values(
                kind=CustomerKind.BUSINESS, company_name="Fonderie Riunite S.p.A.", employees=250,
                turnover_eur=D("60000000.00")))
    return external_id


def _disown(scenario, contract, on):
    c = scenario.context
    return open_disownment(engine=scenario.engine, contract_reference=contract, received_on=on, sent_on=None,
                           channel="phone", by="cs.bianchi", now=NOW, rules=c.rules, calendar=c.calendar).case_reference


def _decide(scenario, case, outcome, on):
    c = scenario.context
    return decide_disownment(engine=scenario.engine, case_reference=case, outcome=CaseOutcome(outcome), by="csr.neri",
                             reason="checked the file and called the customer", as_of=on, now=NOW, rules=c.rules,
                             calendar=c.calendar, settings=scenario.settings)


def _pay_first_bill(scenario, contract):
    with transaction(scenario.engine) as session:
        bill = session.execute(select(Invoice).join(Contract).where(Contract.external_id == contract)
                               .order_by(Invoice.id)).scalars().first()
        session.add(Payment(invoice_id=bill.id, paid_on=date(2026, 4, 15), amount=bill.total, method="postal_slip"))
        bill.status = InvoiceStatus.PAID
        return bill.total


def sportello_story(scenario, *, commodity: str, until: date = date(2026, 7, 1)) -> tuple[str, str, Decimal]:
    contract = _contract(scenario, commodity=commodity)
    for day in STONES:
        scenario.run(day)
    assert scenario.contract(contract).activated_on == date(2026, 2, 1)
    scenario.run(date(2026, 4, 1))  # first bill, February-March
    paid = _pay_first_bill(scenario, contract)
    case = _disown(scenario, contract, date(2026, 4, 20))  # 19 days after the first bill: in time (TIRV 40)
    _decide(scenario, case, "rejected", date(2026, 5, 4))
    release_hold(engine=scenario.engine, case_reference_=case, by="csr.neri", reason="reply sent", as_of=date(2026, 5, 4),
                 now=NOW)
    scenario.run(date(2026, 6, 1))  # second bill, April-May
    c = scenario.context
    record_sportello_finding(engine=scenario.engine, case_reference=case, finding="unfounded", on=date(2026, 6, 3),
                             by="csr.neri", now=NOW, rules=c.rules, calendar=c.calendar, settings=scenario.settings)
    record_opt_in(engine=scenario.engine, case_reference=case, on=date(2026, 6, 4), by="cs.bianchi", now=NOW,
                  rules=c.rules, calendar=c.calendar)
    scenario.run(date(2026, 6, 5))  # the request: filed by the 10th, return on 1 July
    days = scenario.run(until)
    assert [note for step in days[-1] for note in step.notes if "restoration" in note] == []
    return contract, case, paid


def _documents(scenario, contract):
    with transaction(scenario.engine) as session:
        contract_id = session.execute(select(Contract.id).where(Contract.external_id == contract)).scalar_one()
        invoices = session.execute(select(Invoice).where(Invoice.contract_id == contract_id)
                                   .order_by(Invoice.kind, Invoice.period_start)).scalars().all()
        notes = session.execute(select(CreditNote).where(CreditNote.contract_id == contract_id)
                                .order_by(CreditNote.id)).scalars().all()
        indemnities = session.execute(select(Indemnity).where(Indemnity.contract_id == contract_id)).scalars().all()
        letters = session.execute(select(Letter.kind).where(Letter.contract_id == contract_id)).scalars().all()
        restoration = session.execute(select(Restoration).where(Restoration.contract_id == contract_id)
                                      ).scalar_one_or_none()
    regular = [i for i in invoices if i.kind is InvoiceKind.REGULAR]
    reissued = [i for i in invoices if i.kind is InvoiceKind.REISSUE]
    return regular, reissued, notes, indemnities, letters, restoration


@pytest.mark.parametrize(("commodity", "expected"), [("electricity", ELECTRICITY), ("gas", GAS)])
def test_the_worked_example_storno_reissue_at_reduced_regulated_prices_and_one_25_euro_note(
        scenario, commodity, expected):
    contract, _case, paid = sportello_story(scenario, commodity=commodity)

    regular, reissued, notes, indemnities, letters, restoration = _documents(scenario, contract)
    assert scenario.contract(contract).state is ContractState.RETURNED
    assert scenario.contract(contract).ended_on == date(2026, 7, 1)
    assert (restoration.status, restoration.requested_on, restoration.return_on) == (
        RestorationStatus.COMPLETED, date(2026, 6, 5), date(2026, 7, 1))
    assert [(i.period_start, i.period_end, i.status) for i in regular] == [
        (date(2026, 2, 1), date(2026, 4, 1), InvoiceStatus.CANCELLED),
        (date(2026, 4, 1), date(2026, 6, 1), InvoiceStatus.CANCELLED)]
    stornos = [n for n in notes if n.kind is CreditNoteKind.STORNO]
    assert [(n.invoice_id, n.amount, n.series) for n in stornos] == [(i.id, i.total, "NCS") for i in regular]
    replacing = [i for i in reissued if i.replaces_invoice_id is not None]
    assert [(i.replaces_invoice_id, i.period_start, i.total) for i in replacing] == [
        (regular[0].id, date(2026, 2, 1), expected[date(2026, 2, 1)]),
        (regular[1].id, date(2026, 4, 1), expected[date(2026, 4, 1)])]
    # June was never billed (the hold stood): billed once, directly at the reduced regulated prices
    [june] = [i for i in reissued if i.replaces_invoice_id is None]
    assert (june.period_start, june.period_end, june.total) == (date(2026, 6, 1), date(2026, 7, 1),
                                                                expected[date(2026, 6, 1)])
    # the first bill was paid: its re-issue is paid by the transfer and the excess refunded
    [refund] = [n for n in notes if n.kind is CreditNoteKind.REFUND]
    assert refund.amount == paid - expected[date(2026, 2, 1)] and replacing[0].status is InvoiceStatus.PAID
    assert {i.due_on for i in reissued if i.status is InvoiceStatus.ISSUED} == {date(2026, 7, 21)}
    [indemnity_note] = [n for n in notes if n.kind is CreditNoteKind.PROTOCOL_INDEMNITY]
    assert (indemnity_note.amount, indemnity_note.series, indemnity_note.invoice_id) == (D("25.00"), "NCP", None)
    assert [(i.kind.value, i.amount, i.credit_note_id) for i in indemnities] == [
        ("protocol_153", D("25.00"), indemnity_note.id)]
    assert "restoration_completed" in letters
    assert not scenario.contract(contract).on_hold  # released: the re-issued bills are due on their new dates


def test_reissued_lines_keep_network_charges_and_taxes_with_the_pcv_at_zero(scenario):
    contract, _case, _paid = sportello_story(scenario, commodity="electricity")
    _regular, reissued, *_ = _documents(scenario, contract)
    with transaction(scenario.engine) as session:
        lines = session.execute(select(InvoiceLine).where(InvoiceLine.invoice_id == reissued[0].id)
                                .order_by(InvoiceLine.id)).scalars().all()
    assert [(line.component, line.amount) for line in lines] == [
        (InvoiceComponent.ENERGY, D("65.18")), (InvoiceComponent.RETAIL_FEE, D("0.00")),
        (InvoiceComponent.NETWORK, D("20.66")), (InvoiceComponent.SYSTEM_CHARGES, D("13.77")),
        (InvoiceComponent.EXCISE, D("10.42")), (InvoiceComponent.VAT, D("11.00"))]
    assert "azzerata" in lines[1].description


def test_nothing_is_billed_or_dunned_after_the_return(scenario):
    contract, _case, _paid = sportello_story(scenario, commodity="electricity", until=date(2026, 9, 1))
    scenario.run(date(2026, 8, 1))
    regular, reissued, *_ = _documents(scenario, contract)
    assert len(regular) == 2 and len(reissued) == 3
    assert all(i.period_end <= date(2026, 7, 1) for i in regular + reissued)


def test_a_business_customer_is_restored_automatically_and_gets_no_25_euro(scenario):
    contract = _contract(scenario, commodity="electricity", signed_on=date(2026, 1, 7), business=True)
    scenario.run(date(2026, 1, 8))  # the confirmation letter: the customer learns of the contract
    scenario.run(date(2026, 2, 2))  # the switch request is filed
    case = _disown(scenario, contract, date(2026, 2, 5))  # within 30 days of learning
    scenario.run(date(2026, 2, 11))  # the point of no return has passed
    decision = _decide(scenario, case, "accepted", date(2026, 2, 20))  # after the point of no return
    assert decision.restoration == "to_request" and not decision.activation_stopped
    for day in (date(2026, 2, 23), date(2026, 3, 1), date(2026, 4, 1)):
        scenario.run(day)

    regular, reissued, notes, indemnities, _letters, restoration = _documents(scenario, contract)
    assert (restoration.requested_on, restoration.return_on, restoration.status) == (
        date(2026, 2, 23), date(2026, 4, 1), RestorationStatus.COMPLETED)
    assert scenario.contract(contract).state is ContractState.RETURNED
    assert regular == [] and [(i.period_start, i.period_end) for i in reissued] == [(date(2026, 3, 1), date(2026, 4, 1))]
    assert [n.kind for n in notes] == [] and indemnities == []


def test_accepted_before_the_point_of_no_return_no_bill_and_no_25_euro(scenario):
    contract = _contract(scenario, commodity="electricity", signed_on=date(2026, 1, 7))
    scenario.run(date(2026, 1, 8))
    case = _disown(scenario, contract, date(2026, 1, 20))
    assert _decide(scenario, case, "accepted", date(2026, 1, 22)).activation_stopped
    for day in (date(2026, 2, 2), date(2026, 3, 1), date(2026, 5, 1)):
        scenario.run(day)
    regular, reissued, notes, indemnities, *_ = _documents(scenario, contract)
    assert scenario.contract(contract).state is ContractState.CANCELLED
    assert (regular, reissued, notes, indemnities) == ([], [], [], [])


def test_an_opt_in_after_20_days_is_refused_and_changes_nothing(scenario):
    contract = _contract(scenario, commodity="electricity")
    for day in STONES:
        scenario.run(day)
    scenario.run(date(2026, 4, 1))
    case = _disown(scenario, contract, date(2026, 4, 20))
    _decide(scenario, case, "accepted", date(2026, 4, 27))
    c = scenario.context
    with pytest.raises(OptInTooLate, match="closed on 2026-05-17"):
        record_opt_in(engine=scenario.engine, case_reference=case, on=date(2026, 5, 18), by="cs.bianchi", now=NOW,
                      rules=c.rules, calendar=c.calendar)
    *_, restoration = _documents(scenario, contract)
    assert (restoration.status, restoration.opted_in_on) == (RestorationStatus.AWAITING_OPT_IN, None)


@pytest.mark.parametrize("stage", ["_rebill", "_complete", "pay_protocol_indemnity"])
def test_a_cycle_interrupted_between_restoration_stages_and_run_twice_more_writes_one_set(scenario, monkeypatch,
                                                                                       stage):
    import flows.restoration_step as step

    original = getattr(step, stage)

    def power_cut(*args, **kwargs):
        raise RuntimeError("power cut")

    contract, _case, _paid = sportello_story(scenario, commodity="electricity", until=date(2026, 6, 30))
    monkeypatch.setattr(step, stage, power_cut)
    with pytest.raises(RuntimeError, match="power cut"):
        scenario.run(date(2026, 7, 1))
    monkeypatch.setattr(step, stage, original)
    scenario.run(date(2026, 7, 1))
    scenario.run(date(2026, 7, 1))

    regular, reissued, notes, indemnities, letters, restoration = _documents(scenario, contract)
    assert restoration.status is RestorationStatus.COMPLETED
    assert [n.kind for n in notes].count(CreditNoteKind.STORNO) == 2
    assert [n.kind for n in notes].count(CreditNoteKind.PROTOCOL_INDEMNITY) == 1
    assert [n.kind for n in notes].count(CreditNoteKind.REFUND) == 1
    assert len(reissued) == 3 and len(indemnities) == 1 and letters.count("restoration_completed") == 1
    with transaction(scenario.engine) as session:
        assert session.execute(select(func.count()).select_from(Restoration)).scalar_one() == 1
