"""The book commands as a user runs them: a real process, a real database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SENTINELLA = [sys.executable, "-c", "from flows.cli import main; main()"]


def _run(args: list[str], *, database: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", PYTHONHASHSEED="0", COLUMNS="200")
    result = subprocess.run(SENTINELLA + args, env=env, capture_output=True, text=True, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


@pytest.mark.slow
def test_seeding_ten_thousand_contracts_twice_from_empty_databases_prints_the_same_checksum(tmp_path):
    checksums = []
    for name in ("first.db", "second.db"):
        database = tmp_path / name
        _run(["db", "upgrade"], database=database)
        printed = json.loads(_run(["seed", "--contracts", "10000", "--seed", "7", "--json"], database=database).stdout)
        assert printed["counts"]["contracts"] == 10000
        checksums.append(printed["checksum"])
    assert checksums[0] == checksums[1]
    assert len(checksums[0]) == 64


def test_seeding_a_database_that_holds_a_book_is_refused_with_a_clear_message(tmp_path):
    database = tmp_path / "book.db"
    _run(["db", "upgrade"], database=database)
    _run(["seed", "--contracts", "50", "--seed", "1"], database=database)
    again = _run(["seed", "--contracts", "50", "--seed", "1"], database=database, check=False)
    assert again.returncode == 2
    assert "already holds a book" in again.stderr
    assert "Traceback" not in again.stderr


def test_import_and_show_work_from_the_command_line(tmp_path):
    from datetime import date

    from flows.synthetic_export import write_import_example

    database = tmp_path / "book.db"
    example = write_import_example(path=tmp_path / "example.jsonl", seed=3, start=date(2026, 3, 2))
    _run(["db", "upgrade"], database=database)
    report = json.loads(_run(["import", "contracts", str(example), "--json"], database=database).stdout)
    assert report["created"] == 20 and report["rejected"] == 7
    assert all(r["problems"] for r in report["rejects"])
    first = json.loads(example.read_text().splitlines()[0])["external_id"]
    shown = json.loads(_run(["show", first, "--json"], database=database).stdout)
    assert shown["contract"]["external_id"] == first
    assert shown["events"][0]["kind"] == "received"
    text = _run(["show", first], database=database).stdout
    assert first in text and "received" in text
    missing = _run(["show", "HC-NOPE"], database=database, check=False)
    assert missing.returncode == 2 and "no contract 'HC-NOPE'" in missing.stderr


def test_the_rule_set_can_be_shown_and_a_broken_rule_file_is_refused_naming_the_key(tmp_path):
    from importlib.resources import files

    database = tmp_path / "rules.db"
    shown = json.loads(_run(["rules", "show", "--json"], database=database).stdout)
    assert shown["cooling_off"]["statutory_days"] == 14
    broken = tmp_path / "rules.toml"
    broken.write_text(files("protocol").joinpath("rules.toml").read_text().replace(
        "statutory_days = 14", "statutory_dayz = 14"))
    refused = _run(["rules", "check", str(broken)], database=database, check=False)
    assert refused.returncode == 2
    assert "cooling_off.statutory_dayz" in refused.stderr


def test_a_database_without_schema_is_refused_with_the_command_that_fixes_it(tmp_path):
    refused = _run(["seed", "--contracts", "5"], database=tmp_path / "empty.db", check=False)
    assert refused.returncode == 2
    assert "sentinella db upgrade" in refused.stderr


def test_audits_and_the_opt_out_register_work_from_the_command_line(tmp_path):
    database = tmp_path / "book.db"
    _run(["db", "upgrade"], database=database)
    _run(["seed", "--contracts", "120", "--start", "2026-03-02", "--days", "5", "--seed", "4"], database=database)
    drawn = json.loads(_run(["audits", "draw", "--week", "2026-03-04", "--json"], database=database).stdout)
    assert drawn["week_start"] == "2026-03-02" and drawn["changed"] > 0
    again = json.loads(_run(["audits", "draw", "--week", "2026-03-02", "--json"], database=database).stdout)
    assert again["changed"] == 0
    audits = json.loads(_run(["audits", "list", "--open", "--json"], database=database).stdout)
    assert len(audits) == drawn["changed"]
    first = audits[0]["audit"]
    recorded = json.loads(_run(["audits", "record", str(first), "--verdict", "nonconforming", "--nonconformity",
                                "missing_documents", "--note", "no copy of the ID", "--by", "qa.rossi",
                                "--date", "2026-03-10", "--json"], database=database).stdout)
    assert recorded["nonconformities"] == ["missing_documents"]
    refused = _run(["audits", "record", str(first), "--verdict", "compliant", "--by", "qa.rossi",
                    "--date", "2026-03-10"], database=database, check=False)
    assert refused.returncode == 2 and "was decided" in refused.stderr
    register = tmp_path / "register.txt"
    register.write_text("347 123 4567\n+39 051 123456\nnonsense\n", encoding="utf-8")
    loaded = json.loads(_run(["optout", "import", str(register), "--json"], database=database).stdout)
    assert loaded["added"] == 2 and len(loaded["rejected"]) == 1
