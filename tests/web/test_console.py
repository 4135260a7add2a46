"""The web console through FastAPI's TestClient, on SQLite and PostgreSQL: login, CSRF, roles, forms."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from db.engine import transaction
from db.models import Agency, Case, Contract, ContractEvent, Hold
from flows.disownments import open_disownment
from flows.web.app import route_modules
from protocol.codes import CaseOutcome, CaseStatus, ContractState
from tests.integration.lifecycle_support import NOW
from tests.web.support import Book, logged_in, token_of


@pytest.fixture
def book(engine, tmp_path) -> Book:
    return Book(engine=engine, folder=tmp_path)


def open_case(book: Book) -> str:
    return open_disownment(engine=book.engine, contract_reference=book.contract, received_on=date(2026, 4, 24),
                           sent_on=None, channel="phone", by="cs.bianchi", now=NOW, rules=book.scenario.context.rules,
                           calendar=book.scenario.context.calendar).case_reference


def test_a_wrong_password_is_refused_and_opens_no_session(book):
    client = TestClient(book.app())
    token = token_of(client.get("/login").text)

    response = client.post("/login", data={"username": "cs.bianchi", "password": "sbagliata!", "csrf_token": token})
    unknown = client.post("/login", data={"username": "nessuno", "password": "sbagliata!", "csrf_token": token})

    assert response.status_code == 401 and "Nome utente o password non validi" in response.text
    assert "script-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert unknown.status_code == 401
    assert client.get("/contratti", follow_redirects=False).headers["location"] == "/login"


def test_a_login_without_the_csrf_token_is_refused(book):
    client = TestClient(book.app())
    client.get("/login")

    response = client.post("/login", data={"username": "cs.bianchi", "password": "una-password-lunga"})

    assert response.status_code == 403
    assert client.get("/contratti", follow_redirects=False).status_code == 303


def test_every_form_post_without_the_csrf_token_gets_403_and_changes_nothing(book):
    app = book.app()
    client, token = logged_in(app, "admin.gallo")
    case = open_case(book)
    before = book.snapshot()
    posts = [route.path for module in route_modules() for route in module.router.routes if "POST" in route.methods]
    assert len(posts) >= 5

    for path in posts:
        url = path.replace("{reference}", book.contract if "contratti" in path else case)
        missing = client.post(url, data={"received": "2026-04-27", "channel": "phone", "outcome": "accepted",
                                         "reason": "x"})
        wrong = client.post(url, data={"received": "2026-04-27", "channel": "phone", "csrf_token": token + "x"})
        assert (path, missing.status_code, wrong.status_code) == (path, 403, 403)

    assert book.snapshot() == before
    assert client.get("/contratti").status_code == 200  # still logged in: the refused logout did nothing


def test_customer_service_records_a_disownment_and_the_timeline_shows_the_hold(book):
    client, token = logged_in(book.app(), "cs.bianchi")

    response = client.post(f"/contratti/{book.contract}/disconoscimento",
                           data={"received": "2026-04-27", "sent": "", "channel": "phone", "csrf_token": token})

    assert response.status_code == 200 and "Blocco attivo" in response.text
    assert "aperta: blocco di fatturazione" in response.text
    with transaction(book.engine) as session:
        case = session.execute(select(Case)).scalar_one()
        hold = session.execute(select(Hold)).scalar_one()
        events = session.execute(select(ContractEvent.kind, ContractEvent.actor)).all()
    assert case.opened_by == "cs.bianchi" and case.received_on == date(2026, 4, 27) and hold.case_id == case.id
    assert ("disowned", "cs.bianchi") in events
    assert "disconoscimento ricevuto: blocco applicato" in response.text


@pytest.mark.parametrize(("form", "field_message"), [
    ({"received": "", "channel": "phone"}, "Campo obbligatorio: indicare la data."),
    ({"received": "27/04/2026", "channel": "phone"}, "non è una data valida (formato AAAA-MM-GG)"),
    ({"received": "2026-04-27", "channel": "piccione"}, "Scegliere il canale"),
    ({"received": "2026-04-25", "sent": "2026-04-27", "channel": "letter"},
     "La data di invio è successiva alla data di ricezione."),
])
def test_a_disownment_form_with_errors_shows_them_next_to_the_field_in_italian_and_records_nothing(
        book, form, field_message):
    client, token = logged_in(book.app(), "cs.bianchi")
    before = book.snapshot()

    response = client.post(f"/contratti/{book.contract}/disconoscimento", data={**form, "csrf_token": token})

    assert response.status_code == 422
    assert 'class="field-error" id="err-' in response.text and field_message in response.text
    assert book.snapshot() == before


def test_a_withdrawal_is_recorded_with_the_same_use_case_and_its_letter(book):
    client, token = logged_in(book.app(), "cs.bianchi")

    response = client.post(f"/contratti/{book.contract}/ripensamento",
                           data={"received": "2026-04-27", "sent": "2026-04-25", "channel": "raccomandata",
                                 "csrf_token": token})

    assert response.status_code == 200 and "Ripensamento RIP-2026-" in response.text
    assert book.scenario.contract(book.contract).state is ContractState.WITHDRAWN
    assert "conferma del ripensamento" in response.text


def test_a_withdrawal_by_a_channel_the_cli_refuses_is_refused_in_italian(book):
    client, token = logged_in(book.app(), "cs.bianchi")

    response = client.post(f"/contratti/{book.contract}/ripensamento",
                           data={"received": "2026-04-27", "channel": "phone", "csrf_token": token})

    assert response.status_code == 422 and "Scegliere il canale: raccomandata con ricevuta di ritorno" in response.text


def test_the_search_finds_the_contract_by_pod_fiscal_code_phone_name_and_id(book):
    client, _ = logged_in(book.app(), "cs.bianchi")
    spaced_phone = f"{book.phone[3:6]} {book.phone[6:]}"

    for query in (book.supply_point, book.fiscal_code.lower(), spaced_phone, book.last_name, book.contract):
        page = client.get("/contratti", params={"q": query}).text
        assert f'href="/contratti/{book.contract}"' in page, query
    assert "Nessun contratto corrisponde" in client.get("/contratti", params={"q": "IT999E99999999"}).text


def test_a_sales_manager_sees_no_decide_form_and_a_forged_decision_gets_403_and_changes_nothing(book):
    case = open_case(book)
    client, token = logged_in(book.app(), "sales.verdi")
    before = book.snapshot()

    page = client.get(f"/casi/{case}")
    forged = client.post(f"/casi/{case}/decisione", data={"outcome": "accepted", "reason": "falso",
                                                         "csrf_token": token})
    record = client.post(f"/contratti/{book.contract}/disconoscimento",
                         data={"received": "2026-04-27", "channel": "phone", "csrf_token": token})

    assert page.status_code == 200 and 'id="decisione"' not in page.text and "Decidi" not in page.text
    assert forged.status_code == 403 and "Operazione non consentita" in forged.text
    assert record.status_code == 403
    assert book.snapshot() == before
    with transaction(book.engine) as session:
        assert session.execute(select(Case.status)).scalar_one() is CaseStatus.OPEN


def test_compliance_decides_a_disownment_through_the_form(book):
    case = open_case(book)
    client, token = logged_in(book.app(), "csr.neri")
    assert 'id="decisione"' in client.get(f"/casi/{case}").text

    empty = client.post(f"/casi/{case}/decisione", data={"outcome": "", "reason": " ", "csrf_token": token})
    decided = client.post(f"/casi/{case}/decisione", data={"outcome": "accepted", "reason": "firma non conforme",
                                                          "csrf_token": token})

    assert empty.status_code == 422 and "esito: accolto o respinto" in empty.text and "motivare la decisione" in empty.text
    assert decided.status_code == 200 and "disconoscimento accolto" in decided.text
    with transaction(book.engine) as session:
        stored = session.execute(select(Case)).scalar_one()
    assert (stored.outcome, stored.decided_by, stored.decided_on) == (CaseOutcome.ACCEPTED, "csr.neri",
                                                                      date(2026, 4, 28))


def test_the_queue_is_sorted_by_deadline_and_marks_overdue_cases(book):
    case = open_case(book)
    client, _ = logged_in(book.app(), "cs.bianchi")
    app = book.app()
    app.state.config = type(app.state.config)(**{**book.config().__dict__, "today": lambda: date(2026, 6, 1)})
    late_client, _ = logged_in(app, "cs.bianchi")

    assert case in client.get("/casi").text and "scaduta</span>" not in client.get("/casi").text
    assert "scaduta</span>" in late_client.get("/casi").text


def test_roles_see_only_their_pages(book):
    liaison, _ = logged_in(book.app(), "assoc.rossi")
    sales, _ = logged_in(book.app(), "sales.verdi")
    service, _ = logged_in(book.app(), "cs.bianchi")

    assert [liaison.get(p).status_code for p in ("/contratti", "/casi", "/agenzie", "/conformita", "/rapporti")] \
        == [403, 403, 403, 403, 200]
    assert [sales.get(p).status_code for p in ("/agenzie", "/conformita", "/rapporti")] == [200, 403, 403]
    assert [service.get(p).status_code for p in ("/agenzie", f"/contratti/{book.contract}/ripensamento")] == [403, 200]
    assert sales.get(f"/contratti/{book.contract}/ripensamento").status_code == 403


def test_the_scorecard_page_uses_the_scorecard_and_drills_down_to_each_nonconformity(book):
    case = open_case(book)
    decider, token = logged_in(book.app(), "csr.neri")
    decider.post(f"/casi/{case}/decisione", data={"outcome": "accepted", "reason": "mai firmato", "csrf_token": token})
    sales, _ = logged_in(book.app(), "sales.verdi")

    page = sales.get("/agenzie", params={"periodo": "2026-Q2"})
    with transaction(book.engine) as session:
        code = session.execute(select(Agency.code).join(Contract, Contract.agency_id == Agency.id)).scalar_one()
    drill = sales.get(f"/agenzie/{code}", params={"periodo": "2026-Q2"})

    assert page.status_code == 200 and f"/agenzie/{code}?periodo=2026-Q2" in page.text
    assert "Scheda di valutazione delle agenzie" in sales.get("/agenzie/grafico", params={"periodo": "2026-Q2"}).text
    assert drill.status_code == 200 and "contratto non richiesto" in drill.text and book.contract in drill.text
    assert "500,00 €" in drill.text
    assert sales.get("/agenzie", params={"periodo": "2026-Q5"}).status_code == 422


def test_a_letter_link_serves_its_pdf_and_nothing_outside_the_letters_folder(book):
    client, _ = logged_in(book.app(), "cs.bianchi")
    page = client.get(f"/contratti/{book.contract}").text
    link = page.split('href="/lettere/', 1)[1].split('"', 1)[0]

    pdf = client.get(f"/lettere/{link}")

    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get("/lettere/999999").status_code == 404


def test_a_rejected_case_keeps_the_hold_until_it_is_released_through_the_form_with_a_reason(book):
    case = open_case(book)
    client, token = logged_in(book.app(), "csr.neri")
    assert 'id="rimozione-blocco"' not in client.get(f"/casi/{case}").text  # open case: nothing to release
    client.post(f"/casi/{case}/decisione", data={"outcome": "rejected", "reason": "consenso registrato",
                                                "csrf_token": token})
    assert book.scenario.contract(book.contract).on_hold

    without_reason = client.post(f"/casi/{case}/rimozione-blocco", data={"release_reason": "", "csrf_token": token})
    released = client.post(f"/casi/{case}/rimozione-blocco", data={"release_reason": "lettera di rigetto inviata",
                                                                  "csrf_token": token})

    assert without_reason.status_code == 422 and "indicare perché il blocco viene rimosso" in without_reason.text
    assert released.status_code == 200 and "Blocco rimosso." in released.text
    assert not book.scenario.contract(book.contract).on_hold
    with transaction(book.engine) as session:
        hold = session.execute(select(Hold)).scalar_one()
        events = session.execute(select(ContractEvent.kind, ContractEvent.actor)).all()
    assert hold.released_by == "csr.neri" and hold.release_reason.endswith("lettera di rigetto inviata")
    assert ("hold_released", "csr.neri") in events


def test_the_timeline_shows_invoices_credit_notes_and_outbox_messages_in_italian(book):
    from decimal import Decimal

    from db.models import CreditNote, Invoice, OutboxMessage
    from protocol.codes import CreditNoteKind, InvoiceKind, InvoiceStatus, OutboxStatus

    with transaction(book.engine) as session:
        contract_id = session.execute(select(Contract.id).where(Contract.external_id == book.contract)).scalar_one()
        session.add(Invoice(number="F-2026-000001", contract_id=contract_id, kind=InvoiceKind.REGULAR,
                            status=InvoiceStatus.ISSUED, period_start=date(2026, 5, 1), period_end=date(2026, 6, 1),
                            issued_on=date(2026, 6, 3), due_on=date(2026, 6, 23), total=Decimal("1234.56"),
                            rule_set_version="2026.1"))
        session.add(CreditNote(number="NC-2026-000001", series="NC", kind=CreditNoteKind.STORNO,
                               contract_id=contract_id, issued_on=date(2026, 6, 10), amount=Decimal("1234.56"),
                               reason="storno per disconoscimento"))
        session.add(OutboxMessage(idempotency_key="sii:test:1", destination="sii", kind="switch_request",
                                  contract_id=contract_id, payload={}, status=OutboxStatus.PENDING,
                                  queued_on=date(2026, 5, 14), created_at=NOW))
    client, _ = logged_in(book.app(), "cs.bianchi")

    timeline = client.get(f"/contratti/{book.contract}").text.split('id="cronologia"', 1)[1]

    assert "Fattura F-2026-000001" in timeline and "1.234,56 €" in timeline and "emessa" in timeline
    assert "periodo 01/05/2026–31/05/2026" in timeline
    assert "storno di fattura" in timeline and "NC-2026-000001" in timeline
    assert "Messaggio in uscita: switch_request" in timeline and "in coda" in timeline
    assert timeline.index("storno di fattura") < timeline.index("Fattura F-2026-000001")  # newest first
