"""The production path end to end: a real Prefect server, the repo's prefect.yaml deployed onto a
process work pool, a process worker, and the daily deployment run for one date against a migrated
and seeded database (PostgreSQL when SENTINELLA_TEST_POSTGRES_URL is set, else SQLite), with the
confirmation letters rendered on Dask. Everything started here is stopped here, also on failure.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from db.engine import make_engine, transaction
from db.migrate import upgrade
from db.models import Contract, Letter, PrintRun
from flows.seeding import seed_book
from protocol.codes import ContractState
from tests.conftest import POSTGRES_URL, _postgres_url_with_schema, fresh_postgres_engine, worker_schema

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
AS_OF = date(2026, 3, 10)
SCHEMA = "sentinella_prefect_e2e"
BOOK = {"contracts": 40, "start": date(2026, 3, 2), "days": 5, "seed": 3}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prefect_environment(*, home: Path, api_url: str) -> dict[str, str]:
    """The subprocesses' own environment: nothing of the test harness's Prefect settings."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "SENTINELLA_")) and k != "DATABASE_URL"}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_UI_ENABLED="false", PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
               PREFECT_WORKER_QUERY_SECONDS="1", PREFECT_LOGGING_LEVEL="INFO", PYTHONHASHSEED="0",
               SENTINELLA_HOME=str(ROOT))
    return env


def _stop(process: subprocess.Popen) -> None:
    """Stop a process started in its own session, and whatever of its group is left."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return  # the group is empty
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue


class Started:
    """Long-running subprocesses, each in its own process group, with their logs in files."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.processes = folder, []

    def start(self, name: str, args: list[str], *, env: dict[str, str]) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        log.close()
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {p.name} ---\n{p.read_text(errors='replace')[-4000:]}"
                         for p in sorted(self.folder.glob("*.log")))

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            _stop(process)


@pytest.fixture
def started(tmp_path) -> Iterator[Started]:
    folder = tmp_path / "logs"
    folder.mkdir()
    processes = Started(folder)
    yield processes
    processes.stop_all()


@pytest.fixture
def book(tmp_path) -> Iterator[tuple[str, object]]:
    """A migrated database holding a seeded book of 40 contracts signed 2-6 March 2026."""
    if POSTGRES_URL:
        engine = fresh_postgres_engine(SCHEMA)
        url = _postgres_url_with_schema(SCHEMA)
    else:
        url = f"sqlite:///{tmp_path / 'sentinella.db'}"
        engine = make_engine(url=url)
        upgrade(engine=engine)
    seed_book(engine=engine, checksum=False, **BOOK)
    yield url, engine
    engine.dispose()
    if POSTGRES_URL:
        admin = make_engine(url=POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {worker_schema(SCHEMA)} CASCADE"))
        admin.dispose()


def _wait_for_server(*, api_url: str, process: subprocess.Popen, started: Started, timeout: float = 60) -> None:
    began = time.monotonic()
    deadline = began + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the Prefect server exited:\n" + started.logs()
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    print(f"server up: {time.monotonic() - began:.1f} s")
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail("the Prefect server did not answer in time:\n" + started.logs())


def _run(args: list[str], *, env: dict[str, str], started: Started, timeout: float) -> str:
    began = time.monotonic()
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
                            start_new_session=True)
    print(f"{' '.join(args[1:4])}: {time.monotonic() - began:.1f} s")  # shown when the test fails
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}\n{started.logs()}"
    return result.stdout


def _deployments() -> tuple[list[str], set[str]]:
    """``deploy --all`` and every deployment of prefect.yaml; until the monitoring report's flow
    exists, the three others by name."""
    names = {"daily-cycle", "weekly-audit-draw", "monthly-scorecards", "monitoring-report"}
    if (ROOT / "flows" / "reports" / "flow.py").exists():
        return ["--all"], names
    names.discard("monitoring-report")
    return [argument for name in sorted(names) for argument in ("--name", name)], names


def test_the_daily_deployment_runs_on_a_process_worker_of_a_real_prefect_server(tmp_path, started, book):
    url, engine = book
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = _prefect_environment(home=tmp_path / "prefect-home", api_url=api_url)
    server = started.start("server", [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                           env=env)
    _wait_for_server(api_url=api_url, process=server, started=started)

    _run([PREFECT, "work-pool", "create", "sentinella-process", "--type", "process"], env=env, started=started,
         timeout=60)
    worker_env = dict(env, DATABASE_URL=url, SENTINELLA_VAR_DIR=str(tmp_path / "var"), SENTINELLA_LETTER_WORKERS="2",
                      SENTINELLA_RENDER_WORKERS="1")
    started.start("worker", [PREFECT, "worker", "start", "--pool", "sentinella-process", "--type", "process"],
                  env=worker_env)  # starts while the deployments are created
    arguments, names = _deployments()
    _run([PREFECT, "--no-prompt", "deploy", *arguments], env=env, started=started, timeout=120)
    deployed = _post(api_url=api_url, path="deployments/filter", body={})
    assert {d["name"] for d in deployed} == names
    for deployment in deployed:
        assert deployment["work_pool_name"] == "sentinella-process", deployment["name"]
        assert [s["schedule"]["timezone"] for s in deployment["schedules"]] == ["Europe/Rome"], deployment["name"]
    output = _run([PREFECT, "deployment", "run", "daily-cycle/daily-cycle", "--params",
                   f'{{"as_of": "{AS_OF.isoformat()}", "now": "2026-03-10T06:30:00+00:00"}}',
                   "--watch", "--watch-interval", "1", "--watch-timeout", "75"],
                  env=env, started=started, timeout=90)

    assert "Completed" in output, output + started.logs()
    with transaction(engine) as session:
        states = {state: count for state, count in session.execute(
            select(Contract.state, func.count()).group_by(Contract.state))}
        letters = session.execute(select(Letter.written_on, Letter.path)).all()
        print_runs = session.execute(select(func.count()).select_from(PrintRun)).scalar_one()
    assert set(states) <= {ContractState.COOLING_OFF, ContractState.REJECTED_AT_INTAKE}, states
    assert sum(states.values()) == BOOK["contracts"] and len(letters) == states[ContractState.COOLING_OFF] > 0
    assert {written_on for written_on, _path in letters} == {AS_OF}
    assert all(Path(path).is_file() and Path(path).is_relative_to(tmp_path / "var") for _on, path in letters)
    assert print_runs == 1
    assert _task_runs_named(api_url=api_url, prefix="render-letter-batch"), "letters were rendered on Dask tasks"


def _task_runs_named(*, api_url: str, prefix: str, timeout: float = 15) -> int:
    """How many task runs the server recorded whose name starts with ``prefix`` (recording lags a little)."""
    deadline = time.monotonic() + timeout
    while True:
        found = len(_post(api_url=api_url, path="task_runs/filter",
                          body={"task_runs": {"name": {"like_": prefix}}, "limit": 200}))
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


def _post(*, api_url: str, path: str, body: dict) -> list:
    request = urllib.request.Request(f"{api_url}/{path}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())
