"""Seeding a synthetic book into a database, and the content checksum that proves it."""

from __future__ import annotations

import shutil
from dataclasses import fields
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text, update

from db.checksum import UnknownTable, canonical_value, data_checksum
from db.engine import make_engine, transaction
from db.models import Base, Contract, Customer, Mandate, OfferPrice, SyntheticTruth, User
from flows import seeding
from flows.seeding import SEEDED_TABLES, BookNotEmpty, seed_book
from flows.synthetic import generate_book
from flows.synthetic_model import RECORD_TABLES
from protocol.codes import ContractState, Role

BOOK = {"contracts": 2000, "start": date(2026, 3, 2), "days": 60, "seed": 77}


@pytest.fixture
def fresh_sqlite(sqlite_template, tmp_path):
    """A second, empty, migrated SQLite database next to the ``engine`` under test."""
    path = tmp_path / "second.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(url=f"sqlite:///{path}")
    yield engine
    engine.dispose()


def row_counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in Base.metadata.tables.items()}


@pytest.mark.parametrize(("record_type", "table"), sorted(
    RECORD_TABLES.items(), key=lambda item: item[1]))
def test_every_record_type_has_exactly_the_columns_of_its_table(record_type, table):
    assert [f.name for f in fields(record_type)] == [
        column.name for column in Base.metadata.tables[table].columns]


def test_seeding_writes_every_record_of_the_book(engine):
    summary = seed_book(engine=engine, **BOOK)
    book = generate_book(**BOOK)
    assert summary.contracts == 2000
    assert summary.counts == {
        "agencies": len(book.agencies), "mandates": len(book.mandates),
        "agents": len(book.agents), "offers": len(book.offers),
        "offer_prices": len(book.offer_prices), "users": len(book.users),
        "customers": len(book.customers), "supply_points": len(book.supply_points),
        "contracts": 2000, "synthetic_truths": 2000, "opt_out_numbers": len(book.opt_outs),
        "contract_events": 2000,  # each contract's arrival
    }
    counts = row_counts(engine)
    assert {name: counts[name] for name in SEEDED_TABLES} == summary.counts
    with transaction(engine) as session:
        contract = session.get(Contract, 1)
        assert contract.external_id == book.contracts[0].external_id
        assert contract.state is ContractState.RECEIVED and contract.version == 1
        assert contract.created_at == book.contracts[0].created_at
        customer = session.get(Customer, book.customers[-1].id)
        assert customer.fiscal_code == book.customers[-1].fiscal_code
        assert customer.turnover_eur == book.customers[-1].turnover_eur
        assert session.get(OfferPrice, 1).amount == book.offer_prices[0].amount
        assert session.get(Mandate, 1).penalty_table == dict(book.mandates[0].penalty_table)
        assert session.get(SyntheticTruth, 2000).unsolicited == book.truths[-1].unsolicited


def test_the_same_book_seeded_into_two_fresh_databases_has_the_same_checksum(
        engine, fresh_sqlite):
    """Against PostgreSQL this also proves SQLite and PostgreSQL give the same checksum."""
    first = seed_book(engine=engine, **BOOK)
    second = seed_book(engine=fresh_sqlite, **BOOK)
    assert first.checksum == second.checksum
    assert len(first.checksum) == 64
    with engine.connect() as a, fresh_sqlite.connect() as b:
        assert data_checksum(connection=a) == data_checksum(connection=b)
        assert data_checksum(connection=a, tables=SEEDED_TABLES) == first.checksum


def test_another_seed_gives_another_checksum(engine, fresh_sqlite):
    with engine.connect() as connection:
        empty = data_checksum(connection=connection, tables=SEEDED_TABLES)
    one = seed_book(engine=engine, **{**BOOK, "contracts": 100, "seed": 78})
    other = seed_book(engine=fresh_sqlite, **{**BOOK, "contracts": 100})
    assert len({empty, one.checksum, other.checksum}) == 3


def test_plain_core_inserts_store_the_book_exactly_as_the_fast_path_does(
        engine, fresh_sqlite, monkeypatch):
    fast = seed_book(engine=fresh_sqlite, **{**BOOK, "contracts": 300})
    monkeypatch.setattr(seeding, "_bulk_method", lambda connection: "core")
    core = seed_book(engine=engine, **{**BOOK, "contracts": 300})
    assert core.checksum == fast.checksum and core.counts == fast.counts


def test_seeding_a_database_that_holds_a_book_is_refused_and_changes_nothing(engine):
    seed_book(engine=engine, **{**BOOK, "contracts": 200})
    with engine.connect() as connection:
        before = data_checksum(connection=connection)
    with pytest.raises(BookNotEmpty, match="already holds a book .*200 contracts") as refused:
        seed_book(engine=engine, **{**BOOK, "seed": 1})
    assert refused.value.counts["contracts"] == 200
    with engine.connect() as connection:
        assert data_checksum(connection=connection) == before


def test_a_failure_halfway_through_seeding_leaves_the_database_as_it_was(engine, monkeypatch):
    real_iter_book = seeding.iter_book

    def failing_iter_book(**kwargs):
        reference, sales = real_iter_book(**kwargs)

        def sales_then_failure():
            yield next(sales)
            raise RuntimeError("the generator broke down")

        return reference, sales_then_failure()

    monkeypatch.setattr(seeding, "iter_book", failing_iter_book)
    before = row_counts(engine)  # empty but for the reference data the migrations load
    with pytest.raises(RuntimeError, match="broke down"):
        seed_book(engine=engine, **{**BOOK, "contracts": 300}, chunk_size=100)
    assert row_counts(engine) == before and {before[name] for name in SEEDED_TABLES} == {0}


def test_after_seeding_the_database_gives_new_rows_ids_after_the_seeded_ones(engine):
    summary = seed_book(engine=engine, **{**BOOK, "contracts": 50})
    with transaction(engine) as session:
        user = User(username="cs.nuovo", full_name="Nuovo Utente", role=Role.CUSTOMER_SERVICE,
                    created_at=datetime(2026, 3, 1, tzinfo=timezone.utc))
        session.add(user)
        session.flush()
        assert user.id == summary.counts["users"] + 1


def test_the_checksum_sees_a_changed_value_and_ignores_the_order_tables_are_named_in(engine):
    seed_book(engine=engine, **{**BOOK, "contracts": 20})
    with engine.connect() as connection:
        forwards = data_checksum(connection=connection, tables=["contracts", "customers"])
        backwards = data_checksum(connection=connection, tables=["customers", "contracts"])
        assert forwards == backwards
    with engine.begin() as connection:
        connection.execute(update(Contract).where(Contract.id == 7).values(on_hold=True))
    with engine.connect() as connection:
        assert data_checksum(connection=connection, tables=["contracts", "customers"]) != forwards
        with pytest.raises(UnknownTable, match="no_such_table"):
            data_checksum(connection=connection, tables=["contracts", "no_such_table"])
        assert connection.execute(text("SELECT 1")).scalar_one() == 1


@pytest.mark.parametrize(("value", "canonical"), [
    (None, None), (True, "true"), (False, "false"), (42, "42"),
    (Decimal("1.50"), "1.5"), (Decimal("100"), "100"), (Decimal("-0.00"), "0"),
    (date(2026, 3, 2), "2026-03-02"),
    (datetime(2026, 3, 2, 17, 0), "2026-03-02T17:00:00+00:00"),
    (datetime(2026, 3, 2, 18, 0, tzinfo=timezone.utc), "2026-03-02T18:00:00+00:00"),
    (Role.COMPLIANCE, "compliance"),
    ({"b": 1, "a": [Decimal("2.0")]}, '{"a":["2"],"b":1}'),
])
def test_values_are_checksummed_in_a_canonical_form(value, canonical):
    assert canonical_value(value) == canonical
