"""The report commands as a user runs them (real processes), and the ``monitoring-report`` flow
under Prefect: files where the settings say, a markdown artifact, the same PDF twice."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

SENTINELLA = [sys.executable, "-c", "from flows.cli import main; main()"]


@pytest.fixture
def database(sqlite_template, tmp_path) -> Path:
    path = tmp_path / "sentinella.db"
    shutil.copy(sqlite_template, path)
    return path


def _run(args, *, database: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", PYTHONHASHSEED="0", COLUMNS="200")
    return subprocess.run(SENTINELLA + args, env=env, capture_output=True, text=True, timeout=300)


def test_an_inverted_period_is_refused_naming_from_and_to(database):
    result = _run(["report", "monitoring", "--from", "2026-07-01", "--to", "2026-06-30", "--format", "json"],
                  database=database)
    assert result.returncode == 2 and "--from 2026-07-01 is after --to 2026-06-30" in result.stderr


@pytest.fixture(scope="module")
def cli():
    """The ``sentinella`` Typer app in this process (quicker than a process per command)."""
    from typer.testing import CliRunner

    from flows.cli import _register, app

    _register()
    runner = CliRunner()
    return lambda args, database: runner.invoke(app, args, env={"DATABASE_URL": f"sqlite:///{database}"})


def test_each_format_is_written_and_the_pdf_is_the_same_byte_for_byte(cli, database, tmp_path):
    period = ["--from", "2026-01-01", "--to", "2026-06-30"]
    for report, fmt in (("monitoring", "pdf"), ("monitoring", "csv"), ("monitoring", "json"),
                        ("compliance", "html"), ("compliance", "pdf"), ("compliance", "json")):
        result = cli(["report", report, *period, "--format", fmt, "--out", str(tmp_path / f"{report}.{fmt}")],
                     database)
        assert result.exit_code == 0, result.output
    first = (tmp_path / "monitoring.pdf").read_bytes()
    cli(["report", "monitoring", *period, "--format", "pdf", "--out", str(tmp_path / "again.pdf")], database)
    assert (tmp_path / "again.pdf").read_bytes() == first
    assert "dal 1 gennaio 2026 al 30 giugno 2026" in PdfReader(tmp_path / "monitoring.pdf").pages[0].extract_text()
    assert json.loads((tmp_path / "monitoring.json").read_text())["period_end"] == "2026-07-01"
    assert (tmp_path / "monitoring.csv").read_text().startswith("section,indicator,month,value,label_it\n")
    assert "Passi scaduti" in (tmp_path / "compliance.html").read_text()


def test_a_pdf_needs_an_out_file_and_an_unknown_format_is_refused(cli, database):
    needs_out = cli(["report", "monitoring", "--from", "2026-01-01", "--to", "2026-01-31"], database)
    assert needs_out.exit_code == 2 and "--out" in needs_out.output
    refused = cli(["report", "compliance", "--from", "2026-01-01", "--to", "2026-01-31", "--format", "csv"], database)
    assert refused.exit_code == 2 and "--format" in refused.output


def test_the_flow_writes_the_half_year_before_period_end_and_publishes_an_artifact(database, tmp_path, prefect_api_url):
    from prefect.client.orchestration import get_client

    from flows.reports.flow import monitoring_report

    files = monitoring_report(period_end=date(2026, 7, 15), months=6, database_url=f"sqlite:///{database}",
                              reports_dir=str(tmp_path / "reports"))
    folder = tmp_path / "reports" / "monitoring"
    assert files == {fmt: str(folder / f"monitoring-2026-01-to-2026-06.{fmt}") for fmt in ("pdf", "csv", "json")}
    assert json.loads(Path(files["json"]).read_text())["period_start"] == "2026-01-01"

    async def artifacts():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    (artifact,) = [a for a in asyncio.run(artifacts()) if a.key == "monitoring-2026-01-2026-06"]
    assert "1 gennaio 2026 – 30 giugno 2026" in artifact.data
