"""A PostgreSQL schema of its own for each benchmark: created fresh, dropped afterwards."""

from __future__ import annotations

from sqlalchemy import text

from db.engine import make_engine


def fresh_schema_url(url: str, schema: str) -> str:
    """Drop and create ``schema`` on the database of ``url``; the URL that works inside it."""
    admin = make_engine(url=url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


def drop_schema(url: str, schema: str) -> None:
    admin = make_engine(url=url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()
