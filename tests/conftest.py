"""Shared fixtures: databases on SQLite always, and on PostgreSQL when it is configured.

``SENTINELLA_TEST_POSTGRES_URL`` names a PostgreSQL database; the suite works in its own
schema there (``sentinella_test``), dropped and migrated afresh once per session, and every
test starts from empty tables. Tests that take the ``engine`` fixture run once per database.

``make test`` spreads the tests over processes (pytest-xdist); each worker suffixes every
schema it creates with its name (``sentinella_test_gw0``…), so workers never share tables.
"""

from __future__ import annotations

import os

# Prefect reads these when first imported: set before any test module imports it.
os.environ.setdefault("PREFECT_HOME", os.path.join(os.getcwd(), ".prefect", "tests"))
os.makedirs(os.environ["PREFECT_HOME"], exist_ok=True)
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from db.engine import make_engine
from db.migrate import upgrade
from db.models import Base

POSTGRES_URL = os.environ.get("SENTINELLA_TEST_POSTGRES_URL")
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_schema(name: str) -> str:
    """``name`` made this test process's own (the xdist worker's suffix, if any)."""
    return f"{name}_{XDIST_WORKER}" if XDIST_WORKER else name


POSTGRES_SCHEMA = "sentinella_test"
FIXED_NOW = datetime(2026, 5, 4, 9, 30, tzinfo=timezone.utc)

DATABASES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


def pytest_report_header(config) -> list[str]:
    if POSTGRES_URL:
        return [f"sentinella: database tests run on SQLite and PostgreSQL ({POSTGRES_URL})"]
    return ["sentinella: database tests run on SQLite only (SENTINELLA_TEST_POSTGRES_URL unset)"]


def pytest_collection_modifyitems(config, items) -> None:
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="PostgreSQL suite: set SENTINELLA_TEST_POSTGRES_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _search_path_url(schema: str) -> str:
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"


def _postgres_url_with_schema(schema: str = POSTGRES_SCHEMA) -> str:
    """The test database's URL, working in this test process's own copy of ``schema``."""
    return _search_path_url(worker_schema(schema))


def fresh_postgres_engine(schema: str) -> Engine:
    """A migrated, empty PostgreSQL schema of its own (for module-scoped scenarios); the name
    is suffixed with the xdist worker's (see ``worker_schema``)."""
    schema = worker_schema(schema)
    admin = make_engine(url=POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    engine = make_engine(url=_search_path_url(schema))
    upgrade(engine=engine)
    return engine


def fresh_sqlite_engine(template: Path, folder: Path) -> Engine:
    path = folder / "sentinella.db"
    shutil.copy(template, path)
    return make_engine(url=f"sqlite:///{path}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (migrating costs more than copying)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    engine = make_engine(url=f"sqlite:///{path}")
    upgrade(engine=engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL suite: set SENTINELLA_TEST_POSTGRES_URL")
    engine = fresh_postgres_engine(POSTGRES_SCHEMA)
    yield engine
    engine.dispose()


def _truncate_all(engine: Engine) -> None:
    """Empty every table, then put back the reference data the migrations load (as after
    ``db upgrade`` on a new database)."""
    from sqlalchemy.orm import Session

    from db.regulated_prices import SHIPPED_FILE, load_into
    from protocol.regulated_prices import parse_regulated_prices

    tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        session = Session(bind=connection)
        load_into(session, rows=parse_regulated_prices(SHIPPED_FILE.read_text(encoding="utf-8")),
                  source=str(SHIPPED_FILE))
        session.flush()


@pytest.fixture(params=DATABASES)
def engine(request, tmp_path) -> Iterator[Engine]:
    """A freshly migrated, empty database: SQLite, then PostgreSQL when configured."""
    if request.param == "sqlite":
        engine = fresh_sqlite_engine(request.getfixturevalue("sqlite_template"), tmp_path)
        yield engine
        engine.dispose()
    else:
        engine = request.getfixturevalue("postgres_engine")
        _truncate_all(engine)
        yield engine


@pytest.fixture
def database_url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def prefect_api_url() -> Iterator[str]:
    """One Prefect test server for the session (flows run for real, on a throwaway database)."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield PREFECT_API_URL.value()


def pytest_terminal_summary(terminalreporter) -> None:
    """Say how many database tests ran on each database, so a summary shows both."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if getattr(report, "when", "call") != "call" and outcome != "skipped":
                continue
            node = getattr(report, "nodeid", "")
            for database in ("sqlite", "postgres"):
                if f"[{database}" in node or f"-{database}]" in node or f"-{database}-" in node:
                    counts.setdefault(database, {}).setdefault(outcome, 0)
                    counts[database][outcome] += 1
    if not counts:
        return
    terminalreporter.section("databases")
    for database in ("sqlite", "postgres"):
        figures = counts.get(database, {})
        text = ", ".join(f"{n} {outcome}" for outcome, n in sorted(figures.items())) or "none"
        terminalreporter.write_line(f"{database}: {text}")
