"""The case page's opt-in and Sportello forms: what customer service and compliance record
after a decision, with the use cases' own checks and Italian errors, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from db.engine import transaction
from db.models import Case, ContractEvent, Restoration
from flows.disownment_decisions import decide_disownment
from flows.disownments import open_disownment
from flows.web import WebConfig, create_app
from protocol.codes import CaseOutcome, RestorationStatus
from tests.integration.lifecycle_support import NOW, Scenario
from tests.web.support import SECRET, add_console_users, logged_in


class AcceptedLate:
    """An agency contract for a domestic customer, executed early and supplied, disowned on 20 April
    2026 and decided on 22 April: accepted (a restoration awaiting the opt-in, due by 12 May) or
    rejected."""

    def __init__(self, *, engine, folder, outcome: str) -> None:
        self.engine = engine
        self.scenario = Scenario(engine=engine, folder=folder)
        add_console_users(engine)
        self.contract = self.scenario.add_contract(signed_on=date(2026, 4, 1), early_execution=True, agency=True)
        self.scenario.run(date(2026, 4, 2), date(2026, 4, 20))
        context = self.scenario.context
        self.case = open_disownment(engine=engine, contract_reference=self.contract, received_on=date(2026, 4, 20),
                                    sent_on=None, channel="phone", by="cs.bianchi", now=NOW, rules=context.rules,
                                    calendar=context.calendar).case_reference
        decide_disownment(engine=engine, case_reference=self.case, outcome=CaseOutcome(outcome),
                          reason="verificato con il cliente", by="csr.neri", as_of=date(2026, 4, 22), now=NOW,
                          rules=context.rules, calendar=context.calendar, settings=self.scenario.settings)

    def app(self, *, today: date):
        return create_app(config=WebConfig(context=self.scenario.context, settings=self.scenario.settings,
                                           secret_key=SECRET, today=lambda: today, now=lambda: NOW))

    def restoration(self) -> Restoration | None:
        with transaction(self.engine) as session:
            return session.execute(select(Restoration)).scalar_one_or_none()

    def events(self) -> list[str]:
        with transaction(self.engine) as session:
            return list(session.execute(select(ContractEvent.kind).order_by(ContractEvent.id)).scalars())


@pytest.fixture
def accepted(engine, tmp_path) -> AcceptedLate:
    return AcceptedLate(engine=engine, folder=tmp_path, outcome="accepted")


@pytest.fixture
def rejected(engine, tmp_path) -> AcceptedLate:
    return AcceptedLate(engine=engine, folder=tmp_path, outcome="rejected")


def test_customer_service_records_the_opt_in_and_the_page_shows_the_request_deadline(accepted):
    client, token = logged_in(accepted.app(today=date(2026, 5, 4)), "cs.bianchi")
    page = client.get(f"/casi/{accepted.case}")
    assert 'id="adesione"' in page.text and "in attesa dell&#39;adesione del cliente" in page.text
    assert "12 maggio 2026" in page.text  # the opt-in window's last day

    recorded = client.post(f"/casi/{accepted.case}/adesione-ripristino",
                           data={"opted_in_on": "2026-05-04", "csrf_token": token})

    assert recorded.status_code == 200
    assert "Adesione al ripristino registrata il 4 maggio 2026" in recorded.text
    assert "parte entro il 6 maggio 2026" in recorded.text  # 2 working days
    assert 'id="adesione"' not in recorded.text and "da richiedere al precedente fornitore" in recorded.text
    restoration = accepted.restoration()
    assert (restoration.status, restoration.opted_in_on, restoration.request_due_on) == (
        RestorationStatus.TO_REQUEST, date(2026, 5, 4), date(2026, 5, 6))
    assert accepted.events().count("restoration_opted_in") == 1


def test_an_opt_in_after_the_window_or_in_the_future_is_refused_in_italian_and_changes_nothing(accepted):
    client, token = logged_in(accepted.app(today=date(2026, 5, 20)), "cs.bianchi")
    events = accepted.events()

    late = client.post(f"/casi/{accepted.case}/adesione-ripristino",
                       data={"opted_in_on": "2026-05-13", "csrf_token": token})
    future = client.post(f"/casi/{accepted.case}/adesione-ripristino",
                         data={"opted_in_on": "2026-05-21", "csrf_token": token})
    garbled = client.post(f"/casi/{accepted.case}/adesione-ripristino",
                          data={"opted_in_on": "13/05/2026", "csrf_token": token})

    assert late.status_code == 422 and "Adesione fuori termine" in late.text and "12 maggio 2026" in late.text
    assert future.status_code == 422 and "non può essere successiva a oggi" in future.text
    assert garbled.status_code == 422 and "non è una data valida" in garbled.text
    assert accepted.restoration().status is RestorationStatus.AWAITING_OPT_IN
    assert accepted.events() == events


def test_a_sales_manager_sees_no_opt_in_form_and_a_forged_one_gets_403(accepted):
    client, token = logged_in(accepted.app(today=date(2026, 5, 4)), "sales.verdi")
    assert 'id="adesione"' not in client.get(f"/casi/{accepted.case}").text

    forged = client.post(f"/casi/{accepted.case}/adesione-ripristino",
                         data={"opted_in_on": "2026-05-04", "csrf_token": token})

    assert forged.status_code == 403
    assert accepted.restoration().opted_in_on is None


def test_the_sportello_finds_the_rejection_unfounded_and_the_case_reopens_as_accepted(rejected):
    client, token = logged_in(rejected.app(today=date(2026, 6, 1)), "csr.neri")
    assert 'id="sportello"' in client.get(f"/casi/{rejected.case}").text

    before_decision = client.post(f"/casi/{rejected.case}/sportello",
                                  data={"finding": "unfounded", "sportello_on": "2026-04-21", "csrf_token": token})
    no_finding = client.post(f"/casi/{rejected.case}/sportello",
                             data={"finding": "", "sportello_on": "2026-06-01", "csrf_token": token})
    assert before_decision.status_code == 422 and "anteriore alla decisione della pratica" in before_decision.text
    assert no_finding.status_code == 422 and "rigetto infondato o rigetto fondato" in no_finding.text
    assert rejected.restoration() is None

    reopened = client.post(f"/casi/{rejected.case}/sportello",
                           data={"finding": "unfounded", "sportello_on": "2026-06-01", "csrf_token": token})

    assert reopened.status_code == 200 and "rigetto infondato" in reopened.text
    assert "disconoscimento accolto" in reopened.text and 'id="sportello"' not in reopened.text
    assert 'id="adesione"' not in reopened.text  # compliance may not record the customer's opt-in
    with transaction(rejected.engine) as session:
        case = session.execute(select(Case)).scalar_one()
    assert (case.outcome, case.sportello_finding, case.sportello_on) == (CaseOutcome.ACCEPTED, "unfounded",
                                                                         date(2026, 6, 1))
    assert rejected.restoration().status is RestorationStatus.AWAITING_OPT_IN

    again = client.post(f"/casi/{rejected.case}/sportello",
                        data={"finding": "founded", "sportello_on": "2026-06-01", "csrf_token": token})
    assert again.status_code == 422 and "una volta" in again.text


def test_a_founded_rejection_stays_rejected_and_the_page_says_so(rejected):
    client, token = logged_in(rejected.app(today=date(2026, 6, 1)), "cs.bianchi")

    kept = client.post(f"/casi/{rejected.case}/sportello",
                       data={"finding": "founded", "sportello_on": "2026-05-30", "csrf_token": token})

    assert kept.status_code == 200 and "rigetto fondato, la decisione resta" in kept.text
    assert "rigetto fondato: la decisione resta (30 maggio 2026)" in kept.text
    with transaction(rejected.engine) as session:
        assert session.execute(select(Case.outcome)).scalar_one() is CaseOutcome.REJECTED
    assert rejected.restoration() is None
