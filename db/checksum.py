"""A content checksum of database tables that is the same on SQLite and PostgreSQL.

``data_checksum`` hashes (SHA-256) the rows of the given tables — by default every table of
``db.models.Base.metadata`` — table by table in alphabetical order of their names, each
table's rows in primary-key order. The hash covers, for each table, one header line
``table <name> <column>,<column>,...`` (columns in declaration order) and then one line per
row: a JSON array with each value in a canonical text form, so the checksum depends on the
data only, never on the database that holds it:

=================  ==========================================================================
value              canonical form
=================  ==========================================================================
NULL               JSON ``null``
boolean            ``"true"`` / ``"false"`` (SQLite's 0/1 and PostgreSQL's booleans alike)
integer            decimal digits (``"42"``)
Decimal            plain notation, trailing zeros dropped (``Decimal("1.50")`` -> ``"1.5"``)
float              ``repr`` (no model stores floats; listed for completeness)
datetime           UTC ISO 8601 with offset (``"2026-05-04T16:00:00+00:00"``); a naive value
                   is taken as UTC, as ``db.types.UTCDateTime`` does
date, time         ISO 8601
enum               its value
JSON (dict/list)   ``json.dumps`` with sorted keys, compact separators, non-ASCII kept
bytes              lower-case hex
=================  ==========================================================================

Values are read through the models' column types (``ScaledDecimal`` gives ``Decimal``,
``UTCDateTime`` aware datetimes, JSON columns Python objects), so two databases holding the
same data yield the same checksum. Rows are ordered by primary key in the database; string
key columns are ordered bytewise (``COLLATE "C"`` on PostgreSQL, SQLite's default ``BINARY``)
so the order does not depend on the server's locale. Rows are streamed, never all loaded.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date, datetime, time, timezone
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, String, Table, select

from db.models import Base

__all__ = ["UnknownTable", "canonical_value", "data_checksum"]


class UnknownTable(KeyError):
    """A table name that ``db.models.Base.metadata`` does not define."""


def canonical_value(value: Any) -> str | None:
    """The canonical text of one column value (``None`` for NULL); see the module's table."""
    kind = type(value)
    if kind is str:  # the common cases first
        return value
    if kind is int:
        return str(value)
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return canonical_value(value.value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                          default=canonical_value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def _ordered_select(table: Table, dialect_name: str):
    keys = list(table.primary_key.columns) or list(table.columns)
    order = []
    for column in keys:
        if isinstance(column.type, String) and dialect_name == "postgresql":
            order.append(column.collate("C"))
        else:
            order.append(column)
    return select(*table.columns).order_by(*order)


def data_checksum(*, connection: Connection, tables: Sequence[str] | None = None) -> str:
    """The SHA-256 (hex) of the content of ``tables`` (default: every table of the models).

    Tables are hashed in alphabetical order whatever order ``tables`` gives them in.

    Raises:
        UnknownTable: a name in ``tables`` is not a table of ``db.models.Base.metadata``.
    """
    metadata = Base.metadata.tables
    names = sorted(metadata if tables is None else set(tables))
    unknown = [name for name in names if name not in metadata]
    if unknown:
        raise UnknownTable(f"no such table in the models: {', '.join(unknown)}")
    digest = hashlib.sha256()
    dialect_name = connection.dialect.name
    for name in names:
        table = metadata[name]
        header = f"table {name} {','.join(column.name for column in table.columns)}\n"
        digest.update(header.encode())
        statement = _ordered_select(table, dialect_name).execution_options(yield_per=5000)
        for row in connection.execute(statement):
            line = json.dumps([canonical_value(value) for value in row],
                              ensure_ascii=False, separators=(",", ":"))
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()
