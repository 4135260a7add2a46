"""Importing contract records: valid ones saved, invalid ones kept with every reason."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from db.engine import transaction
from db.models import Contract, ContractEvent, ImportReject
from flows.contract_view import ContractNotFound, contract_view
from flows.importing import ImportFileUnreadable, import_contracts
from flows.synthetic_export import CORRUPTIONS, import_file_lines
from tests.conftest import FIXED_NOW

KINDS_OF_BREAKAGE = len(CORRUPTIONS) + 1  # + malformed JSON


@pytest.fixture(scope="module")
def thousand_lines():
    """1,000 lines: 930 valid, 10 broken in each of the seven ways the issue names."""
    lines, expected = import_file_lines(valid=930, invalid_each=10, seed=11, start=date(2026, 3, 2))
    assert len(lines) == 1000 and len(expected) == 10 * KINDS_OF_BREAKAGE
    return lines, expected


def _write(tmp_path, lines, name="contracts.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(engine, path):
    return import_contracts(engine=engine, path=path, now=FIXED_NOW, actor="test", rule_set_version="2026.1")


def _count(engine, model):
    with transaction(engine) as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_a_thousand_records_import_exactly_the_valid_ones_and_list_each_reject(engine, tmp_path, thousand_lines):
    lines, expected = thousand_lines
    report = _run(engine, _write(tmp_path, lines))

    assert report.created == 1000 - len(expected)
    assert _count(engine, Contract) == report.created
    rejected = {r.line_no: r for r in report.rejected}
    assert set(rejected) == set(expected)
    for line_no, field in expected.items():
        fields = [p.field for p in rejected[line_no].problems]
        assert field in fields, (line_no, fields)
        assert all(p.reason for p in rejected[line_no].problems)
    with transaction(engine) as session:
        kept = {r.line_no: r for r in session.execute(select(ImportReject)).scalars()}
    assert set(kept) == set(expected)
    assert all(r.raw == lines[r.line_no - 1] for r in kept.values())  # nothing lost
    assert all(r.problems[0]["field"] and r.problems[0]["reason"] for r in kept.values())


def test_a_second_import_of_the_same_file_adds_nothing(engine, tmp_path, thousand_lines):
    lines, expected = thousand_lines
    path = _write(tmp_path, lines)
    _run(engine, path)
    before = (_count(engine, Contract), _count(engine, ImportReject), _count(engine, ContractEvent))

    again = _run(engine, path)

    assert again.created == 0 and again.updated == 0
    assert again.unchanged == 1000 - len(expected)
    assert all(r.already_known for r in again.rejected)
    assert (_count(engine, Contract), _count(engine, ImportReject), _count(engine, ContractEvent)) == before


def test_a_corrected_record_with_the_same_external_id_replaces_its_reject(engine, tmp_path):
    lines, expected = import_file_lines(valid=3, invalid_each=1, seed=5, start=date(2026, 3, 2))
    bad_phone_line = next(n for n, field in expected.items() if field == "customer.phone")
    _run(engine, _write(tmp_path, lines))
    broken = json.loads(lines[bad_phone_line - 1])
    broken["customer"]["phone"] = "347 123 4567"

    report = _run(engine, _write(tmp_path, [json.dumps(broken)], name="fix.jsonl"))

    assert report.created == 1 and not report.rejected
    with transaction(engine) as session:
        reject = session.execute(
            select(ImportReject).where(ImportReject.external_id == broken["external_id"])
        ).scalar_one()
        contract = session.execute(
            select(Contract).where(Contract.external_id == broken["external_id"])
        ).scalar_one()
        assert reject.resolved_by_contract_id == contract.id
        view = contract_view(session, reference=broken["external_id"])
    assert view["customer"]["phone"] == "+393471234567"
    assert view["events"][0]["kind"] == "received"


def test_a_correction_of_a_contract_still_at_intake_updates_it_and_says_so(engine, tmp_path):
    lines, _ = import_file_lines(valid=2, invalid_each=0, seed=5, start=date(2026, 3, 2))
    _run(engine, _write(tmp_path, lines))
    record = json.loads(lines[0])
    record["customer"]["email"] = "nuovo.indirizzo@example.it"

    report = _run(engine, _write(tmp_path, [json.dumps(record)], name="fix.jsonl"))

    assert report.updated == 1
    with transaction(engine) as session:
        view = contract_view(session, reference=record["external_id"])
    assert view["customer"]["email"] == "nuovo.indirizzo@example.it"
    assert [e["kind"] for e in view["events"]] == ["received", "corrected"]


def test_a_second_live_contract_on_the_same_supply_point_is_rejected(engine, tmp_path):
    lines, _ = import_file_lines(valid=1, invalid_each=0, seed=5, start=date(2026, 3, 2))
    record = json.loads(lines[0])
    twin = dict(record, external_id=record["external_id"] + "-BIS")

    report = _run(engine, _write(tmp_path, [json.dumps(record), json.dumps(twin)]))

    assert report.created == 1
    (reject,) = report.rejected
    assert reject.problems[0].field == "supply_point"
    assert record["external_id"] in reject.problems[0].reason


def test_blank_lines_and_bad_encoding_are_handled_without_crashing(engine, tmp_path):
    lines, _ = import_file_lines(valid=1, invalid_each=0, seed=5, start=date(2026, 3, 2))
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n" + lines[0].encode() + b"\n\n\xff\xfe not utf-8\n")

    report = _run(engine, path)

    assert report.created == 1
    (reject,) = report.rejected
    assert reject.line_no == 4 and "UTF-8" in reject.problems[0].reason


def test_a_missing_file_is_a_clear_error(engine, tmp_path):
    with pytest.raises(ImportFileUnreadable, match="cannot read"):
        _run(engine, tmp_path / "nowhere.jsonl")


def test_an_unknown_contract_is_a_clear_error(engine):
    with transaction(engine) as session, pytest.raises(ContractNotFound, match="HC-0000"):
        contract_view(session, reference="HC-0000")
