"""Compliance and liaison pages: the monitoring reports of ``flows.reports``, the overdue list, downloads."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.web.support import Book, logged_in
from tests.web.test_console import open_case

reports = pytest.importorskip("flows.reports", reason="the monitoring report package flows.reports is not installed")


@pytest.fixture
def book(engine, tmp_path) -> Book:
    return Book(engine=engine, folder=tmp_path)


def test_the_liaison_downloads_the_association_report_and_only_the_monitoring_folder(book):
    open_case(book)
    folder = book.scenario.settings.reports_dir
    (folder / "monitoring").mkdir(parents=True)
    (folder / "monitoring" / "monitoring-2026-H1.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "scorecards").mkdir()
    (folder / "scorecards" / "scorecard-2026-04.csv").write_text("agency\n", encoding="utf-8")
    liaison, _ = logged_in(book.app(), "assoc.rossi")

    page = liaison.get("/rapporti")
    report = liaison.get("/rapporti", params={"dal": "2026-01-01", "al": "2026-04-30", "formato": "json"})
    inverted = liaison.get("/rapporti", params={"dal": "2026-05-01", "al": "2026-04-30", "formato": "json"})

    assert page.status_code == 200 and "monitoring-2026-H1.csv" in page.text and "scorecard-2026-04" not in page.text
    assert liaison.get("/rapporti/file/monitoring-2026-H1.csv").text == "a,b\n1,2\n"
    assert liaison.get("/rapporti/file/..%2Fscorecards%2Fscorecard-2026-04.csv").status_code == 404
    assert report.status_code == 200 and report.headers["content-type"].startswith("application/json")
    assert json.loads(report.content)  # the same bytes `sentinella report monitoring --format json` writes
    assert inverted.status_code == 422 and "il primo giorno deve precedere" in inverted.text


def test_compliance_sees_the_overdue_cases_and_opens_the_compliance_report(book):
    case = open_case(book)
    app = book.app()
    app.state.config = type(app.state.config)(**{**book.config().__dict__, "today": lambda: date(2026, 6, 1)})
    compliance, _ = logged_in(app, "csr.neri")

    page = compliance.get("/conformita")
    report = compliance.get("/conformita", params={"dal": "2026-04-01", "al": "2026-05-31", "formato": "html"})

    assert page.status_code == 200 and case in page.text and 'id="rapporto-conformita"' in page.text
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert compliance.get("/conformita", params={"formato": "xml"}).status_code == 422
