"""The migrations and the models describe the same schema, on every database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from db.migrate import current_revision
from db.models import Base


def test_migrated_schema_has_no_autogenerate_diff_against_the_models(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrations_reach_head(engine):
    assert current_revision(engine=engine) == "0002"


@pytest.mark.parametrize("statement", [
    "UPDATE contract_events SET reason = 'rewritten'",
    "DELETE FROM contract_events",
])
def test_the_contract_event_log_refuses_to_be_rewritten(engine, statement):
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO customers (id, kind, fiscal_code, phone_e164, vulnerable, street,"
            " postcode, city, province, created_at) VALUES (1, 'domestic', 'X', '+39', false,"
            " 'Via Roma 1', '40100', 'Bologna', 'BO', '2026-01-01 00:00:00')"
        ))
        connection.execute(text(
            "INSERT INTO supply_points (id, code, commodity, customer_id, street, postcode,"
            " city, province) VALUES (1, 'IT001E12345678', 'electricity', 1, 'Via Roma 1',"
            " '40100', 'Bologna', 'BO')"
        ))
        connection.execute(text(
            "INSERT INTO contracts (id, external_id, customer_id, supply_point_id, offer_code,"
            " channel, commodity, signed_on, state, on_hold, early_execution,"
            " annual_consumption, payment_method, rule_set_version, created_at, updated_at,"
            " version) VALUES (1, 'E1', 1, 1, 'O', 'web', 'electricity', '2026-01-02',"
            " 'received', false, false, 2700, 'postal_slip', 'x', '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00', 1)"
        ))
        connection.execute(text(
            "INSERT INTO contract_events (contract_id, occurred_at, effective_on, kind, actor,"
            " reason, payload) VALUES (1, '2026-01-01 00:00:00', '2026-01-02', 'received',"
            " 'test', 'imported', '{}')"
        ))
    with pytest.raises(DatabaseError, match="append-only"):
        with engine.begin() as connection:
            connection.execute(text(statement))
