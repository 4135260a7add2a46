"""A large book on PostgreSQL in seconds: seed a small synthetic book, then copy it in SQL.

``multiply_book(engine, copies=K)`` copies every customer, supply point and contract K times
with ``INSERT ... SELECT ... generate_series``, shifting ids by a fixed stride so each copy's
foreign keys stay inside the copy, and keeping unique codes unique. Used by the benchmarks
only (PostgreSQL only); the tests build their books through the real use cases.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

from db.models import Contract, Customer, SupplyPoint

_TABLES = (Customer.__table__, SupplyPoint.__table__, Contract.__table__)


def _stride(connection, table: str) -> int:
    return int(connection.execute(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")).scalar_one())


def template_ids(engine: Engine) -> dict[str, int]:
    """The highest id of each copied table: call it right after seeding the template."""
    with engine.begin() as connection:
        return {table.name: _stride(connection, table.name) - 1 for table in _TABLES}


def multiply_book(engine: Engine, *, copies: int, contract_overrides: dict[str, str] | None = None,
                  only_template: dict[str, int] | None = None) -> int:
    """Add ``copies`` copies of the book; returns the number of contracts now in it.

    ``contract_overrides`` maps a contract column to an SQL expression over the source row
    ``s`` (for instance ``{"state": "'active'"}``). ``only_template`` (table name to the
    template's highest id, see ``template_ids``) copies only the seeded template's rows,
    instead of the whole book.
    """
    if engine.dialect.name != "postgresql":
        raise RuntimeError("multiply_book runs on PostgreSQL only (generate_series)")
    with engine.begin() as connection:
        strides = {table.name: _stride(connection, table.name) for table in _TABLES}
        limit = {name: top + 1 for name, top in only_template.items()} if only_template else strides
        shifted = {
            "id": "s.id + g * {self}",
            "customer_id": "s.customer_id + g * {customers}",
            "supply_point_id": "s.supply_point_id + g * {supply_points}",
            "code": "'X' || lpad((s.id + g * {self})::text, 14, '0')",
            "external_id": "s.external_id || '-' || (s.id + g * {self})",
        }
        for table in _TABLES:
            columns = [column.name for column in table.columns]
            overrides = {**shifted, **(contract_overrides or {})} if table.name == "contracts" else shifted
            expressions = [overrides[name].format(self=strides[table.name], **strides) if name in overrides
                           else f"s.{name}" for name in columns]
            connection.execute(text(
                f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT {', '.join(expressions)} "
                f"FROM {table.name} s CROSS JOIN generate_series(1, :copies) g WHERE s.id < :stride"
            ), {"copies": copies, "stride": limit[table.name]})
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"))
        for table in _TABLES:
            connection.execute(text(f"ANALYZE {table.name}"))
        return int(connection.execute(text("SELECT count(*) FROM contracts")).scalar_one())
