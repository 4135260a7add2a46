"""PostgreSQL, two connections: a hold committed while the invoicing and dunning runs are
under way is honoured for every contract they have not yet written (rulebook 5)."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import func, select

from db.engine import transaction
from db.models import Contract, DunningAction, Hold, Invoice
from flows.disownments import open_disownment
from flows.dunning_run import run_dunning
from flows.invoicing import run_invoicing
from flows.users import add_user
from protocol.codes import Role
from tests.conftest import _truncate_all
from tests.integration.billing_support import active_contracts, copy_contract
from tests.integration.lifecycle_support import NOW, Scenario

pytestmark = pytest.mark.postgres
COPIES = 400
FIRST_BILL, RUN_DAY = date(2026, 5, 1), date(2026, 7, 1)  # on 1 July: the second bill, and reminders for the first
TIMEOUT = 60


@pytest.fixture
def book(postgres_engine, tmp_path):
    _truncate_all(postgres_engine)
    scenario = Scenario(engine=postgres_engine, folder=tmp_path)
    add_user(engine=postgres_engine, username="cs.bianchi", role=Role.CUSTOMER_SERVICE, full_name="Cs", now=NOW)
    [template] = active_contracts(scenario)
    ids = copy_contract(postgres_engine, external_id=template, copies=COPIES)
    run_invoicing(engine=postgres_engine, as_of=FIRST_BILL, rules=scenario.context.rules,
                  calendar=scenario.context.calendar, now=NOW)
    with transaction(postgres_engine) as session:
        last = session.execute(select(Contract.external_id).where(Contract.id == max(ids))).scalar_one()
    return scenario, last


def _runs(scenario, *, go_on: threading.Event, reached_key: int = 0):
    """The two runs in their own threads (their own connections), each pausing once, after
    the first batch that reaches ``reached_key``."""
    reached = [threading.Event(), threading.Event()]
    errors: list[BaseException] = []

    def pauser(index):
        def on_batch(last_key):
            if last_key >= reached_key and not reached[index].is_set():
                reached[index].set()
                assert go_on.wait(TIMEOUT)
        return on_batch

    context = scenario.context
    jobs = [
        lambda: run_invoicing(engine=scenario.engine, as_of=RUN_DAY, rules=context.rules, calendar=context.calendar,
                              now=NOW, on_batch=pauser(0)),
        lambda: run_dunning(engine=scenario.engine, as_of=RUN_DAY, rules=context.rules, now=NOW, on_batch=pauser(1)),
    ]

    def guarded(job):
        try:
            job()
        except BaseException as error:  # noqa: BLE001 - reported by the test thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for event in reached:
        assert event.wait(TIMEOUT), "a run never reached the batch"
    return threads, errors


def _written_after(scenario, external_id):
    with transaction(scenario.engine) as session:
        contract_id = session.execute(select(Contract.id).where(Contract.external_id == external_id)).scalar_one()
        hold_day = session.execute(select(Hold.placed_on).where(Hold.contract_id == contract_id)).scalar_one()
        invoices = session.execute(select(func.count()).where(Invoice.contract_id == contract_id,
                                                              Invoice.issued_on >= hold_day)).scalar_one()
        dunning = session.execute(select(func.count()).where(DunningAction.contract_id == contract_id)).scalar_one()
        others = session.execute(select(func.count()).where(Invoice.issued_on == RUN_DAY)).scalar_one(), \
            session.execute(select(func.count()).select_from(DunningAction)).scalar_one()
    return invoices, dunning, others


def test_a_hold_committed_during_both_runs_stops_them_for_that_contract_only(book, monkeypatch):
    scenario, target = book
    monkeypatch.setattr("flows.invoicing.BATCH", 25)
    monkeypatch.setattr("flows.dunning_run.BATCH", 25)
    go_on = threading.Event()

    threads, errors = _runs(scenario, go_on=go_on)
    context = scenario.context
    open_disownment(engine=scenario.engine, contract_reference=target, received_on=RUN_DAY, sent_on=None,
                    channel="phone", by="cs.bianchi", now=NOW, rules=context.rules, calendar=context.calendar)
    go_on.set()
    for thread in threads:
        thread.join(TIMEOUT * 4)
    assert not errors and not any(thread.is_alive() for thread in threads)

    invoices, dunning, (issued_today, reminders) = _written_after(scenario, target)
    assert (invoices, dunning) == (0, 0)
    assert (issued_today, reminders) == (COPIES, COPIES)  # every other contract: its bill and its reminder


def test_a_disownment_holding_the_row_when_the_runs_arrive_still_wins(book, monkeypatch):
    """The runs skip the locked row (SKIP LOCKED), finish the rest, then wait for it and see the hold."""
    scenario, target = book
    monkeypatch.setattr("flows.invoicing.BATCH", 25)
    monkeypatch.setattr("flows.dunning_run.BATCH", 25)
    connection = scenario.engine.connect()
    transaction_ = connection.begin()
    contract = connection.execute(select(Contract.id, Contract.version).where(Contract.external_id == target)
                                  .with_for_update()).one()
    go_on = threading.Event()
    go_on.set()
    threads, errors = _runs(scenario, go_on=go_on, reached_key=contract.id)

    # both runs have been through every batch, skipping the locked row, and are waiting for
    # it; the disownment's transaction now places the hold and commits
    connection.execute(Hold.__table__.insert().values(contract_id=contract.id, placed_on=RUN_DAY, placed_at=NOW,
                                                      placed_by="cs.bianchi"))
    connection.execute(Contract.__table__.update().where(Contract.id == contract.id)
                       .values(on_hold=True, version=contract.version + 1))
    transaction_.commit()
    connection.close()
    for thread in threads:
        thread.join(TIMEOUT * 4)
    assert not errors and not any(thread.is_alive() for thread in threads)

    invoices, dunning, (issued_today, reminders) = _written_after(scenario, target)
    assert (invoices, dunning) == (0, 0)
    assert (issued_today, reminders) == (COPIES, COPIES)
