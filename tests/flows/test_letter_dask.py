"""Confirmation letters rendered as Prefect tasks on a Dask cluster are the default path's, byte for byte."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from db.engine import transaction
from db.models import Contract, Letter
from flows.letter_tasks import letter_batches, render_letters, shutdown_dask_clusters
from flows.settings import InvalidSetting, letter_workers_from
from letters.parallel import inline_renderer
from letters.samples import sample_confirmation_context
from tests.conftest import fresh_sqlite_engine
from tests.integration.lifecycle_support import Scenario


@pytest.fixture(scope="module")
def dask_workers():
    """Two Dask worker processes for the module; stopped afterwards, whatever happened."""
    yield 2
    shutdown_dask_clusters()


def _jobs() -> list:
    return [("confirmation", sample_confirmation_context(kind_of_customer=customer, commodity=commodity, number=n))
            for n, (customer, commodity) in enumerate(
                [("domestic", "electricity"), ("business", "gas"), ("domestic", "gas"), ("business", "electricity"),
                 ("domestic", "electricity")], start=101)]


def test_batches_keep_the_order_and_hold_at_least_the_minimum_but_no_more_than_one_per_worker():
    jobs = [("confirmation", {"n": n}) for n in range(450)]
    batches = letter_batches(jobs=jobs, workers=4, min_batch=100)
    assert [len(b) for b in batches] == [113, 113, 113, 111]
    assert [job for batch in batches for job in batch] == jobs
    assert [len(b) for b in letter_batches(jobs=jobs[:150], workers=4, min_batch=100)] == [100, 50]


def test_letter_workers_setting_reads_a_positive_number_and_names_a_bad_one():
    assert letter_workers_from(value=None) == letter_workers_from(value=" ") == 1
    assert letter_workers_from(value="4") == 4
    for bad in ("0", "-2", "many"):
        with pytest.raises(InvalidSetting, match="SENTINELLA_LETTER_WORKERS"):
            letter_workers_from(value=bad)


def test_letters_rendered_on_dask_tasks_are_byte_identical_to_the_default_path(prefect_api_url, dask_workers):
    jobs = _jobs()
    default = [inline_renderer().render(kind=kind, context=context) for kind, context in jobs]

    on_dask = render_letters(jobs=jobs, workers=dask_workers, min_batch=2)  # three tasks over two processes

    assert [letter.pdf for letter in on_dask] == [letter.pdf for letter in default]
    assert [letter.sha256 for letter in on_dask] == [letter.sha256 for letter in default]
    from distributed import Client

    from flows.letter_tasks import dask_cluster

    with Client(dask_cluster(workers=dask_workers).scheduler_address) as client:
        built = client.run(lambda: __import__("letters.parallel").parallel._inline is not None)
    assert len(built) == dask_workers and any(built.values()), "the letters were rendered in the Dask workers"


def _letters(engine) -> list[tuple[str, str]]:
    with transaction(engine) as session:
        rows = session.execute(select(Contract.external_id, Letter.sha256)
                               .join(Contract, Contract.id == Letter.contract_id))
        return sorted(tuple(row) for row in rows)


def _default_path_taken(**_arguments):
    raise AssertionError("the default rendering path ran although SENTINELLA_LETTER_WORKERS > 1")


def test_the_daily_confirmations_write_the_same_letters_with_and_without_dask(
        prefect_api_url, dask_workers, sqlite_template, tmp_path, monkeypatch):
    written = {}
    for workers in (1, dask_workers):
        folder = tmp_path / f"workers-{workers}"
        folder.mkdir()
        scenario = Scenario(engine=fresh_sqlite_engine(sqlite_template, folder), folder=folder)
        scenario.settings = dataclasses.replace(scenario.settings, letter_workers=workers)
        for _ in range(3):
            scenario.add_contract(signed_on=date(2026, 3, 9))

        if workers > 1:  # the default path must not be taken
            monkeypatch.setattr("flows.letter_tasks.render_many", _default_path_taken)
        scenario.run(date(2026, 3, 10))

        written[workers] = _letters(scenario.engine)
        scenario.engine.dispose()
    assert len(written[1]) == 3
    assert written[dask_workers] == written[1]
