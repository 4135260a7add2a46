"""The console in headless Chromium (Debian's ``/usr/bin/chromium`` driven by Playwright).

Skipped, with the reason, only where Chromium or Playwright is absent. Set
``SENTINELLA_WEB_SCREENSHOT=1`` to refresh ``docs/web/timeline.png`` from the timeline test.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from db.engine import transaction
from db.models import Case, ContractEvent, Hold
from protocol.codes import CaseStatus
from tests.conftest import fresh_sqlite_engine
from tests.web.support import PASSWORD, Book
from tests.web.test_console import open_case

CHROMIUM = Path(os.environ.get("SENTINELLA_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "web" / "timeline.png"

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium is not installed at {CHROMIUM} "
                                                     "(apt-get install chromium)"),
    pytest.mark.slow,
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """The console served by uvicorn on a thread, on a free local port."""

    def __init__(self, app) -> None:
        import uvicorn

        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the console did not start")
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def book(sqlite_template, tmp_path) -> Iterator[Book]:
    engine = fresh_sqlite_engine(sqlite_template, tmp_path)
    yield Book(engine=engine, folder=tmp_path)
    engine.dispose()


@pytest.fixture
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_customer_service_finds_a_contract_by_pod_records_a_disownment_and_sees_the_hold(book, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1200, "height": 1000}, locale="it-IT")
    with Server(book.app()) as base:
        log_in(page, base, "cs.bianchi")
        page.fill("input[name=q]", book.supply_point)
        page.click("form.search button")
        page.click(f"a[href='/contratti/{book.contract}']")
        assert page.locator("#blocco").count() == 0

        page.click("text=Registra disconoscimento")
        page.fill("input[name=received]", "2026-04-27")
        page.select_option("select[name=channel]", "phone")
        page.click("button:has-text('Registra')")
        page.wait_for_url(f"{base}/contratti/{book.contract}")

        banner = page.locator("#blocco")
        assert banner.is_visible() and "Blocco attivo" in banner.inner_text()
        assert "27 aprile 2026" in banner.inner_text()
        timeline = page.locator("#cronologia").inner_text()
        assert "disconoscimento ricevuto: blocco applicato" in timeline and "Lettera: lettera di conferma" in timeline
        shot = tmp_path / "timeline.png"
        page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("SENTINELLA_WEB_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    with transaction(book.engine) as session:
        assert session.execute(select(Hold.placed_by)).scalar_one() == "cs.bianchi"


def test_a_sales_manager_sees_no_decide_button_and_a_forged_decision_is_refused(book, browser):
    case = open_case(book)
    page = browser.new_page(locale="it-IT")
    with Server(book.app()) as base:
        log_in(page, base, "sales.verdi")
        page.goto(f"{base}/casi")
        page.click(f"a[href='/casi/{case}']")
        assert page.locator("#decisione").count() == 0 and page.locator("button:has-text('Decidi')").count() == 0
        events_before = _events(book)

        token = page.locator("input[name=csrf_token]").first.get_attribute("value")
        forged = page.request.post(f"{base}/casi/{case}/decisione",
                                   form={"outcome": "accepted", "reason": "forzato", "csrf_token": token})

        assert forged.status == 403
    with transaction(book.engine) as session:
        stored = session.execute(select(Case)).scalar_one()
    assert (stored.status, stored.outcome, stored.decided_by) == (CaseStatus.OPEN, None, None)
    assert _events(book) == events_before


def _events(book: Book) -> list[tuple[str, str]]:
    with transaction(book.engine) as session:
        return session.execute(select(ContractEvent.kind, ContractEvent.actor).order_by(ContractEvent.id)).all()
