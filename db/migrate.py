"""Apply the Alembic migrations programmatically (``sentinella db upgrade``)."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from db.engine import database_url


def alembic_config(*, url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("db") / "migrations"))
    config.set_main_option("sqlalchemy.url", database_url(explicit=url).replace("%", "%%"))
    return config


def upgrade(*, engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision``, in one connection."""
    config = alembic_config(url=engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(*, engine: Engine, revision: str) -> None:
    config = alembic_config(url=engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(*, engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
