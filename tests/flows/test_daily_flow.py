"""The daily cycle as a real Prefect flow, and as the operator runs it from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from db.engine import transaction
from db.models import DailyRunStep, Letter, OutboxMessage, PrintRun
from flows.daily_steps import DAILY_STEPS
from tests.integration.lifecycle_support import NOW, Scenario


def _counts(engine) -> tuple[int, int, int]:
    with transaction(engine) as session:
        return tuple(session.execute(select(func.count()).select_from(m)).scalar_one()
                     for m in (Letter, OutboxMessage, PrintRun))


def test_the_daily_flow_runs_under_prefect_and_a_rerun_of_the_day_changes_nothing(engine, tmp_path, prefect_api_url):
    from prefect.client.orchestration import get_client

    from flows.daily import daily

    scenario = Scenario(engine=engine, folder=tmp_path)
    scenario.add_contract(signed_on=date(2026, 3, 9), early_execution=True)
    scenario.add_contract(signed_on=date(2026, 3, 9))
    arguments = dict(database_url=scenario.url, letters_dir=str(scenario.settings.letters_dir),
                     outbox_dir=str(scenario.settings.outbox_dir), now=NOW)

    first = daily(as_of=date(2026, 3, 10), **arguments)
    steps = [s["step"] for s in first["steps"]]
    assert steps[:2] == ["intake", "confirmations"] and steps.index("switch requests") > 1
    assert first["total"]["letters"] == 2 and first["total"]["messages"] == 1
    counts = _counts(engine)
    for _ in range(2):
        again = daily(as_of=date(2026, 3, 10), **arguments)
        assert again["total"]["changed"] == again["total"]["letters"] == again["total"]["messages"] == 0
    assert _counts(engine) == counts == (2, 1, 1)
    with transaction(engine) as session:
        recorded = session.execute(select(DailyRunStep.step, DailyRunStep.status, DailyRunStep.summary)
                                   .where(DailyRunStep.as_of == date(2026, 3, 10))).all()
    assert {step for step, _, _ in recorded} == {name for name, _ in DAILY_STEPS}
    assert {status for _, status, _ in recorded} == {"done"}
    assert dict((step, summary["letters"]) for step, _, summary in recorded)["confirmations"] == 0  # the last run's

    async def artifact():
        async with get_client() as client:
            return await client.read_latest_artifacts()

    import asyncio

    keys = {a.key for a in asyncio.run(artifact())}
    assert "daily-2026-03-10" in keys


def _cli(args, *, database: Path, var: Path, api_url: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", SENTINELLA_VAR_DIR=str(var), PREFECT_API_URL=api_url,
               PYTHONHASHSEED="0", COLUMNS="200")
    result = subprocess.run([sys.executable, "-c", "from flows.cli import main; main()", *args], env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def test_run_day_three_times_from_the_command_line_writes_each_letter_and_message_once(tmp_path, prefect_api_url):
    database, var = tmp_path / "book.db", tmp_path / "var"
    _cli(["db", "upgrade"], database=database, var=var, api_url=prefect_api_url)
    _cli(["seed", "--contracts", "40", "--start", "2026-03-02", "--days", "5", "--seed", "3"], database=database,
         var=var, api_url=prefect_api_url)
    _cli(["run", "range", "--from", "2026-03-03", "--to", "2026-03-09"], database=database, var=var,
         api_url=prefect_api_url)
    letters_before = sorted(p.name for p in (var / "letters").rglob("*.pdf"))
    outbox_before = sorted(p.name for p in (var / "outbox").rglob("*.json"))

    runs = [json.loads(_cli(["run", "day", "--date", "2026-03-10", "--json"], database=database, var=var,
                            api_url=prefect_api_url).stdout) for _ in range(3)]

    assert runs[1]["total"]["changed"] == runs[2]["total"]["changed"] == 0
    letters = sorted(p.name for p in (var / "letters").rglob("*.pdf") if "print-runs" not in p.parts)
    assert len(letters) == len(set(letters)) and len(letters) >= 30
    outbox = sorted(p.name for p in (var / "outbox").rglob("*.json"))
    assert len(outbox) == len(set(outbox))
    assert set(letters_before) <= set(p.name for p in (var / "letters").rglob("*.pdf"))
    assert set(outbox_before) <= set(outbox)
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql(
            "SELECT count(*) - count(DISTINCT contract_id || kind || event_key) FROM letters").scalar_one() == 0
        assert connection.exec_driver_sql("SELECT count(*) FROM letters").scalar_one() == len(letters)
        assert connection.exec_driver_sql(
            "SELECT count(*) - count(DISTINCT idempotency_key) FROM outbox_messages").scalar_one() == 0
    engine.dispose()
