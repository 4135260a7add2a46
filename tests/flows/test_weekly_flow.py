"""The weekly audit draw as its own Prefect flow: the last full week, drawn once."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from db.engine import transaction
from db.models import Audit, AuditBatch
from flows.seeding import seed_book
from flows.weekly import week_ending


def test_the_week_drawn_is_the_last_full_monday_to_sunday_week_ending_on_or_before_the_date():
    assert week_ending(as_of=date(2026, 3, 9)) == date(2026, 3, 2)  # a Monday: the week before
    assert week_ending(as_of=date(2026, 3, 8)) == date(2026, 3, 2)  # a Sunday: the week ending that day
    assert week_ending(as_of=date(2026, 3, 7)) == date(2026, 2, 23)  # a Saturday: that week is not over


def test_the_weekly_flow_draws_the_week_once_under_prefect(engine, database_url, prefect_api_url):
    from flows.weekly import weekly_audit_draw

    seed_book(engine=engine, contracts=40, start=date(2026, 3, 2), days=5, seed=3, checksum=False)

    first = weekly_audit_draw(as_of=date(2026, 3, 9), database_url=database_url)
    again = weekly_audit_draw(as_of=date(2026, 3, 9), database_url=database_url)

    with transaction(engine) as session:
        weeks = list(session.execute(select(AuditBatch.week_start)).scalars())
        audits = session.execute(select(func.count()).select_from(Audit)).scalar_one()
    assert first["week_start"] == "2026-03-02" and set(weeks) == {date(2026, 3, 2)}
    assert first["changed"] == audits > 0 and first["unchanged"] == 0
    assert again["changed"] == 0 and again["unchanged"] == len(weeks)  # every batch found drawn already
