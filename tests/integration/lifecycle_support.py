"""Helpers for lifecycle scenarios: a small book, one contract with chosen dates, day runs."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from db.engine import transaction
from db.models import Contract
from flows.daily_steps import Day, run_day_steps
from flows.importing import import_contracts
from flows.runtime import app_context
from flows.seeding import seed_book
from flows.settings import Settings
from flows.synthetic import generate_book
from flows.synthetic_export import import_records

BOOK = {"start": date(2025, 1, 6), "days": 30, "seed": 5}
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


class Scenario:
    """One database with the reference data of a small book, and a folder for files."""

    def __init__(self, *, engine, folder: Path) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=False)
        self.settings = Settings(letters_dir=folder / "letters", outbox_dir=folder / "outbox",
                                 reports_dir=folder / "reports")
        self.folder = folder
        seed_book(engine=engine, contracts=0, checksum=False, **BOOK)
        self.context = app_context(self.url)
        book = generate_book(contracts=200, **BOOK)
        records = [r for r in import_records(book, id_prefix="T-") if r["customer"]["kind"] == "domestic"]
        self._records = [r for r in records if r["agency_code"] is None]
        good_badges = {a.badge for a in book.agents if a.status.value == "active" and a.badge_valid_to is None}
        open_agencies = {a.code for a in book.agencies if not a.is_internal and a.status.value == "active"}
        lasting = {m.agency_id for m in book.mandates if m.valid_to is None}
        open_agencies &= {a.code for a in book.agencies if a.id in lasting}
        self._agency_records = [r for r in records if r["agent_badge"] in good_badges
                                and r["agency_code"] in open_agencies and r["channel"] == "phone"]
        self._used = 0
        self._taken: set[str] = set()

    def add_contract(self, *, signed_on: date, channel: str = "web", early_execution: bool = False,
                     agency: bool = False, payment_method: str | None = None, commodity: str | None = None) -> str:
        """Import the next unused contract of the pool (with that payment method / commodity)."""
        source = self._agency_records if agency else self._records
        chosen = next(r for r in source if r["external_id"] not in self._taken
                      and payment_method in (None, r["payment"]["method"]) and commodity in (None, r["commodity"]))
        self._taken.add(chosen["external_id"])
        record = dict(chosen, signed_on=signed_on.isoformat(), early_execution=early_execution)
        if not agency:
            record["channel"] = channel
        self._used += 1
        path = self.folder / f"contract-{self._used}.jsonl"
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
        report = import_contracts(engine=self.engine, path=path, now=NOW, actor="test", rule_set_version="2026.1")
        assert report.created == 1, report
        return record["external_id"]

    def run(self, first: date, last: date | None = None) -> list:
        summaries = []
        day = first
        while day <= (last or first):
            summaries.append(run_day_steps(Day(database_url=self.url, as_of=day, now=NOW, settings=self.settings)))
            day += timedelta(days=1)
        return summaries

    def contract(self, external_id: str) -> Contract:
        with transaction(self.engine) as session:
            return session.execute(select(Contract).where(Contract.external_id == external_id)).scalar_one()
