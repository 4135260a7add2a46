"""No report carries personal data: every format of both reports is scanned for every name,
fiscal code, VAT number, phone, e-mail, address and POD/PDR of a seeded synthetic book."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader
from sqlalchemy import select

from db.engine import transaction
from db.models import Contract, Customer, SupplyPoint
from flows.disownment_decisions import decide_disownment
from flows.disownments import open_disownment
from flows.reports.files import COMPLIANCE_FORMATS, MONITORING_FORMATS, compliance_bytes, monitoring_bytes
from flows.reports.period import period_from_to
from flows.runtime import app_context
from flows.seeding import seed_book
from flows.settings import Settings
from flows.users import add_user
from flows.withdrawals import record_withdrawal
from protocol.codes import CaseOutcome, RequestChannel, Role
from tests.integration.lifecycle_support import NOW

PERIOD = period_from_to(first_day=date(2026, 1, 1), last_day=date(2026, 6, 30))


def _personal_values(engine) -> set[str]:
    """Every personal value of the book, and the usual other spellings of the phone numbers."""
    values: set[str] = set()
    with transaction(engine) as session:
        for c in session.execute(select(Customer)).scalars():
            values |= {v for v in (c.first_name, c.last_name, c.company_name, c.fiscal_code, c.vat_number,
                                   c.phone_e164, c.email, c.street, f"{c.postcode} {c.city}") if v}
            values |= {c.phone_e164.removeprefix("+39"), c.phone_e164.removeprefix("+")}
        for p in session.execute(select(SupplyPoint)).scalars():
            values |= {p.code, p.street, f"{p.postcode} {p.city}"}
        values |= {c.iban for c in session.execute(select(Contract)).scalars() if c.iban}
    return values


def _book_with_cases(engine, folder):
    seed_book(engine=engine, contracts=300, start=date(2026, 1, 5), days=60, seed=3, checksum=False)
    context = app_context(engine.url.render_as_string(hide_password=False))
    settings = Settings(letters_dir=folder / "letters", outbox_dir=folder / "outbox", reports_dir=folder / "reports")
    add_user(engine=engine, username="cs.rossi", role=Role.CUSTOMER_SERVICE, full_name="cs", now=NOW)
    with transaction(engine) as session:
        contracts = session.execute(select(Contract.external_id, Contract.signed_on).order_by(Contract.id).limit(12)).all()
    for index, (external_id, signed_on) in enumerate(contracts[:8]):
        case = open_disownment(engine=engine, contract_reference=external_id, received_on=date(2026, 3, 2 + index),
                               sent_on=None, channel="email", by="cs.rossi", now=NOW, rules=context.rules,
                               calendar=context.calendar).case_reference
        if index < 4:
            decide_disownment(engine=engine, case_reference=case, outcome=CaseOutcome.REJECTED, reason="consenso",
                              by="cs.rossi", as_of=date(2026, 3, 20) + timedelta(days=index * 6), now=NOW, rules=context.rules,
                              calendar=context.calendar, settings=settings)
    for external_id, signed_on in contracts[8:]:
        record_withdrawal(engine=engine, contract_reference=external_id, received_on=date(2026, 3, 2), sent_on=None,
                          channel=RequestChannel.EMAIL, missing_fields=frozenset(), as_of=date(2026, 3, 2),
                          actor="cs.rossi", now=NOW, rules=context.rules, calendar=context.calendar, settings=settings)
    return context


def _text(fmt: str, content: bytes) -> str:
    if fmt == "pdf":
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode("utf-8")


def test_no_report_format_contains_a_personal_value_of_the_book(engine, tmp_path):
    context = _book_with_cases(engine, tmp_path)
    values = _personal_values(engine)
    assert len(values) > 1000
    texts = {f"monitoring.{fmt}": _text(fmt, monitoring_bytes(engine=engine, period=PERIOD, rules=context.rules,
                                                             fmt=fmt)) for fmt in MONITORING_FORMATS}
    texts |= {f"compliance.{fmt}": _text(fmt, compliance_bytes(engine=engine, period=PERIOD, fmt=fmt))
              for fmt in COMPLIANCE_FORMATS}
    assert '"received": 8' in texts["monitoring.json"] and "Disconoscimenti" in texts["monitoring.pdf"]
    assert "DIS-2026-" in texts["compliance.json"]  # overdue replies are listed, by case reference only
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    found = {name: sorted(set(pattern.findall(text))) for name, text in texts.items()}
    assert found == {name: [] for name in texts}


def test_the_scan_would_find_a_personal_value_that_slipped_in(engine, tmp_path):
    seed_book(engine=engine, contracts=20, start=date(2026, 1, 5), days=10, seed=3, checksum=False)
    values = _personal_values(engine)
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    with transaction(engine) as session:
        customer = session.execute(select(Customer).limit(1)).scalar_one()
    assert pattern.search(f"Totale 3; {customer.fiscal_code}") and pattern.search(customer.phone_e164[3:])
