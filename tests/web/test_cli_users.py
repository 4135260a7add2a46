"""``sentinella users add --password`` and ``sentinella web --help`` as a user runs them (real processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from db.engine import make_engine, transaction
from db.models import User
from flows.web.passwords import authenticate

SENTINELLA = [sys.executable, "-c", "from flows.cli import main; main()"]


def _run(args: list[str], *, database: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", PYTHONHASHSEED="0", COLUMNS="200")
    return subprocess.run(SENTINELLA + args, env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_users_add_stores_an_argon2_hash_that_the_console_accepts_and_refuses_a_short_password(tmp_path):
    database = tmp_path / "users.db"
    assert _run(["db", "upgrade"], database=database).returncode == 0

    added = _run(["users", "add", "cs.bianchi", "--role", "customer_service", "--password", "una-password-lunga"],
                 database=database)
    short = _run(["users", "add", "cs.rossi", "--role", "customer_service", "--password", "corta"], database=database)
    without = _run(["users", "add", "cli.only", "--role", "compliance"], database=database)

    assert added.returncode == 0 and "web login enabled" in added.stdout
    assert short.returncode == 2 and "at least 8 characters" in short.stderr
    assert without.returncode == 0
    engine = make_engine(url=f"sqlite:///{database}")
    with transaction(engine) as session:
        stored = dict(session.execute(select(User.username, User.password_hash)).all())
    assert set(stored) == {"cs.bianchi", "cli.only"} and stored["cli.only"] is None
    assert stored["cs.bianchi"].startswith("$argon2id$") and "una-password-lunga" not in stored["cs.bianchi"]
    assert authenticate(engine=engine, username="cs.bianchi", password="una-password-lunga") == "cs.bianchi"
    assert authenticate(engine=engine, username="cs.bianchi", password="una-password-lungA") is None
    assert authenticate(engine=engine, username="cli.only", password="") is None
    engine.dispose()


def test_the_web_command_is_registered_with_host_and_port(tmp_path):
    shown = _run(["web", "--help"], database=tmp_path / "none.db")

    assert shown.returncode == 0 and "--host" in shown.stdout and "--port" in shown.stdout
