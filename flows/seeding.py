"""Write a synthetic book into an empty database (``sentinella seed``).

The book comes from :func:`flows.synthetic.iter_book` (so a million contracts never sit in
memory at once) and is written in bulk with the primary keys the generator assigned, in one
transaction: a failure leaves the database as it was. Values go through the models' own
column types (SQLAlchemy bind processors), so rows are stored exactly as a Core ``insert``
would store them. PostgreSQL through psycopg 3 then gets ``COPY FROM STDIN`` (several times
faster than psycopg's statement-per-row ``executemany``), SQLite the driver's
``executemany`` in chunks of a few thousand rows (twice as fast as Core's per-row dict
handling), any other database Core ``insert`` executemany. On PostgreSQL the id sequences
are then moved past the inserted ids, so later inserts that let the database pick ids do
not collide.
"""

from __future__ import annotations

import itertools
import json
import operator
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, Integer, func, insert, select, text

from db.checksum import data_checksum
from db.models import Base
from flows.synthetic import DEFAULT_CHUNK_SIZE, DEFAULT_RULE_SET_VERSION, iter_book
from flows.synthetic_model import RECORD_TABLES
from protocol.errors import SentinellaError

__all__ = ["SEEDED_TABLES", "BookNotEmpty", "SeedSummary", "seed_book"]

# In foreign-key order: every table is written after the tables it refers to.
SEEDED_TABLES = ("agencies", "mandates", "agents", "offers", "offer_prices", "users",
                 "customers", "supply_points", "contracts", "synthetic_truths",
                 "opt_out_numbers", "contract_events")
_JSON_FIELDS = {"penalty_table"}


class BookNotEmpty(SentinellaError):
    """The database already holds rows in tables the seeder writes; nothing was written."""

    def __init__(self, *, counts: Mapping[str, int]) -> None:
        self.counts = dict(counts)
        held = ", ".join(f"{count} {table}" for table, count in self.counts.items())
        super().__init__(
            f"the database already holds a book ({held}); seeding writes only into an empty "
            "database: use a fresh one (or drop and migrate this one) and seed again"
        )


@dataclass(frozen=True, slots=True)
class SeedSummary:
    """What was written: rows per table and the book's checksum (``None`` when skipped).

    ``checksum`` is :func:`db.checksum.data_checksum` over ``SEEDED_TABLES``: the same book
    gives the same checksum on SQLite and PostgreSQL.
    """

    counts: Mapping[str, int]
    checksum: str | None

    @property
    def contracts(self) -> int:
        return self.counts["contracts"]


def _field_names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(record_type))


_FIELDS = {table: _field_names(record_type) for record_type, table in RECORD_TABLES.items()}
_GETTERS = {table: operator.attrgetter(*names) for table, names in _FIELDS.items()}


def _processed_rows(connection: Connection, table: str, records: Sequence[Any]
                    ) -> Iterator[tuple[Any, ...]]:
    """Each record as a tuple of driver-ready values, in ``_FIELDS[table]`` order.

    Values go through each column's SQLAlchemy bind processor (scaled decimals to integers,
    enums to their values, dates and timestamps as the dialect stores them), exactly as a Core
    ``insert`` would send them; JSON goes as canonical text.
    """
    columns = Base.metadata.tables[table].columns
    converting = []
    for index, name in enumerate(_FIELDS[table]):
        processor = (_json_text if name in _JSON_FIELDS
                     else columns[name].type.bind_processor(connection.dialect))
        if processor is not None:
            converting.append((index, processor))
    getter = _GETTERS[table]
    for record in records:
        values = list(getter(record))
        for index, processor in converting:
            if values[index] is not None:
                values[index] = processor(values[index])
        yield tuple(values)


def _json_text(value: Any) -> str:
    return json.dumps(dict(value), separators=(",", ":"), sort_keys=True)


def _copy(connection: Connection, table: str, rows: Iterator[tuple[Any, ...]]) -> None:
    driver = connection.connection.driver_connection
    columns = ", ".join(_FIELDS[table])
    with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _executemany(connection: Connection, table: str, rows: Iterator[tuple[Any, ...]], *,
                 chunk_size: int) -> None:
    names = _FIELDS[table]
    statement = (f"INSERT INTO {table} ({', '.join(names)}) "
                 f"VALUES ({', '.join('?' * len(names))})")
    while batch := list(itertools.islice(rows, chunk_size)):
        connection.exec_driver_sql(statement, batch)


def _core_insert(connection: Connection, table: str, records: Sequence[Any], *,
                 chunk_size: int) -> None:
    names, getter = _FIELDS[table], _GETTERS[table]
    statement = insert(Base.metadata.tables[table])
    for offset in range(0, len(records), chunk_size):
        connection.execute(statement, [
            {name: dict(value) if name in _JSON_FIELDS else value
             for name, value in zip(names, getter(record), strict=True)}
            for record in records[offset:offset + chunk_size]])


def _bulk_method(connection: Connection) -> str:
    """``"copy"`` (PostgreSQL via psycopg 3), ``"executemany"`` (SQLite) or ``"core"``."""
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        return "copy"
    if connection.dialect.paramstyle == "qmark":
        return "executemany"
    return "core"


def _write(connection: Connection, table: str, records: Sequence[Any], *,
           counts: dict[str, int], chunk_size: int) -> None:
    """Bulk-insert ``records`` into ``table`` (see the module's docstring for how)."""
    method = _bulk_method(connection)
    if method == "copy":
        _copy(connection, table, _processed_rows(connection, table, records))
    elif method == "executemany":
        _executemany(connection, table, _processed_rows(connection, table, records),
                     chunk_size=chunk_size)
    else:
        _core_insert(connection, table, records, chunk_size=chunk_size)
    counts[table] += len(records)


def _record_arrivals(connection: Connection, *, seed: int) -> int:
    """Every seeded contract's first event, as if it had arrived from the sales channel."""
    result = connection.execute(text(
        "INSERT INTO contract_events (contract_id, occurred_at, effective_on, kind, from_state,"
        " to_state, actor, reason, payload, rule_set_version)"
        " SELECT id, created_at, signed_on, 'received', NULL, 'received', 'seed', :reason, '{}',"
        " rule_set_version FROM contracts ORDER BY id"
    ), {"reason": f"synthetic book (seed {seed})"})
    return result.rowcount


def _held_rows(connection: Connection) -> dict[str, int]:
    held = {}
    for name in SEEDED_TABLES:
        count = connection.execute(select(func.count()).select_from(
            Base.metadata.tables[name])).scalar_one()
        if count:
            held[name] = count
    return held


def _reset_sequences(connection: Connection) -> None:
    """Move each PostgreSQL id sequence to the highest id present (no-op elsewhere)."""
    if connection.dialect.name != "postgresql":
        return
    for name in SEEDED_TABLES:
        keys = list(Base.metadata.tables[name].primary_key.columns)
        if len(keys) == 1 and isinstance(keys[0].type, Integer) and not keys[0].foreign_keys:
            column = keys[0].name
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), max({column})) "
                f"FROM {name} HAVING max({column}) IS NOT NULL"
            ), {"table": name, "column": column})


def seed_book(*, engine: Engine, contracts: int, start: date, days: int, seed: int,
              rule_set_version: str = DEFAULT_RULE_SET_VERSION,
              chunk_size: int = DEFAULT_CHUNK_SIZE, checksum: bool = True) -> SeedSummary:
    """Generate the book ``(contracts, start, days, seed)`` and write it, all or nothing.

    Raises:
        BookNotEmpty: a table the seeder writes (``SEEDED_TABLES``) already holds rows.
        ValueError: ``contracts`` is negative, ``days`` or ``chunk_size`` not positive.
        sqlalchemy.exc.SQLAlchemyError: the database refused a write; nothing was written.
    """
    reference, sales = iter_book(contracts=contracts, start=start, days=days, seed=seed,
                                 rule_set_version=rule_set_version, chunk_size=chunk_size)
    counts = dict.fromkeys(SEEDED_TABLES, 0)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":  # a concurrent seeder waits, then refuses
            connection.execute(text(f"LOCK TABLE {', '.join(SEEDED_TABLES)} IN EXCLUSIVE MODE"))
        held = _held_rows(connection)
        if held:
            raise BookNotEmpty(counts=held)
        for table, records in (
            ("agencies", reference.agencies), ("mandates", reference.mandates),
            ("agents", reference.agents), ("offers", reference.offers),
            ("offer_prices", reference.offer_prices), ("users", reference.users),
        ):
            _write(connection, table, records, counts=counts, chunk_size=chunk_size)
        for chunk in sales:
            for table, records in (
                ("customers", chunk.customers), ("supply_points", chunk.supply_points),
                ("contracts", chunk.contracts), ("synthetic_truths", chunk.truths),
                ("opt_out_numbers", chunk.opt_outs),
            ):
                _write(connection, table, records, counts=counts, chunk_size=chunk_size)
        counts["contract_events"] = _record_arrivals(connection, seed=seed)
        _reset_sequences(connection)
        digest = data_checksum(connection=connection, tables=SEEDED_TABLES) if checksum else None
    return SeedSummary(counts=counts, checksum=digest)
