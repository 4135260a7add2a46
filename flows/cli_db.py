"""``sentinella db``: the database schema."""

from __future__ import annotations

import typer

from db.engine import database_url, make_engine
from db.migrate import current_revision, upgrade
from flows.cli_output import console

app = typer.Typer(help="Create or upgrade the database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply the migrations to the database named by DATABASE_URL."""
    engine = make_engine()
    upgrade(engine=engine, revision=revision)
    console.print(f"database at revision {current_revision(engine=engine)} ({_safe_url()})")


@app.command("current")
def current_command() -> None:
    """Print the revision the database is at."""
    console.print(current_revision(engine=make_engine()) or "empty (run: sentinella db upgrade)")


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(database_url()).render_as_string(hide_password=True)
