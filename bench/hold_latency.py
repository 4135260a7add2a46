"""Benchmark: how long a disownment takes to commit its hold while an invoicing run is busy.

    .venv/bin/python -m bench.hold_latency [--contracts 1000000] [--disownments 300] [--url URL]

On PostgreSQL (``--url`` or ``SENTINELLA_TEST_POSTGRES_URL``), in its own schema
(``sentinella_bench_hold``, dropped afterwards): a synthetic book multiplied to
``--contracts`` active contracts, an invoicing run started in another process, and while it
works through the book, disownments of random contracts one after the other, each timed from
the call to the commit of its case and hold. Prints p50/p95/p99 and what the run did
meanwhile. A disownment waits at most for the batch that holds its contract's row.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import platform
import random
import statistics
import time
from datetime import date, datetime, timezone

from sqlalchemy import text

from db.engine import make_engine
from bench.schemas import drop_schema, fresh_schema_url
from db.migrate import upgrade

SCHEMA = "sentinella_bench_hold"
TEMPLATE_CONTRACTS = 2_000
RUN_DAY, RECEIVED = date(2026, 5, 1), date(2026, 5, 1)
NOW = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)


def _build(url: str, contracts: int) -> int:
    from bench.bulk_book import multiply_book
    from flows.seeding import seed_book
    from flows.users import add_user
    from protocol.codes import Role

    engine = make_engine(url=url)
    upgrade(engine=engine)
    seed_book(engine=engine, contracts=TEMPLATE_CONTRACTS, start=date(2025, 10, 6), days=60, seed=7, checksum=False)
    active = {"state": "'active'", "activated_on": "DATE '2026-03-01'", "ended_on": "NULL", "on_hold": "false"}
    with engine.begin() as connection:
        connection.execute(text("UPDATE contracts SET state = 'active', activated_on = DATE '2026-03-01', "
                                "ended_on = NULL, on_hold = false"))
    total = multiply_book(engine, copies=max(0, -(-contracts // TEMPLATE_CONTRACTS) - 1), contract_overrides=active)
    add_user(engine=engine, username="bench.cs", role=Role.CUSTOMER_SERVICE, full_name="Benchmark", now=NOW)
    engine.dispose()
    return total


def _invoicing(url: str, seconds: float, started) -> None:
    from flows.invoicing import run_invoicing
    from flows.runtime import app_context

    context = app_context(url)
    deadline = time.perf_counter() + seconds

    class TimeUp(Exception):
        """The benchmark's time is over: stop the run after the batch just committed."""

    def on_batch(_key):
        started.set()
        if time.perf_counter() > deadline:
            raise TimeUp

    with contextlib.suppress(TimeUp):  # stopped on purpose; its committed batches stay
        run_invoicing(engine=context.engine, as_of=RUN_DAY, rules=context.rules, calendar=context.calendar, now=NOW,
                      on_batch=on_batch)


def _disown_while_running(url: str, count: int, total: int, seconds: float) -> tuple[list[float], float]:
    from flows.disownments import open_disownment
    from flows.runtime import app_context

    context = app_context(url)
    started = multiprocessing.get_context("spawn").Event()
    worker = multiprocessing.get_context("spawn").Process(target=_invoicing, args=(url, seconds, started))
    worker.start()
    started.wait(300)
    with context.engine.connect() as connection:
        ids = [row[0] for row in connection.execute(text("SELECT external_id FROM contracts ORDER BY id"))]
    picks = random.Random(7).sample(ids, count)
    latencies, began = [], time.perf_counter()
    for external_id in picks:
        if not worker.is_alive():
            break
        tick = time.perf_counter()
        open_disownment(engine=context.engine, contract_reference=external_id, received_on=RECEIVED, sent_on=None,
                        channel="phone", by="bench.cs", now=NOW, rules=context.rules, calendar=context.calendar)
        latencies.append((time.perf_counter() - tick) * 1000)
        time.sleep(0.05)
    window = time.perf_counter() - began
    worker.join()
    return latencies, window


def _quantile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--disownments", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=120, help="How long the invoicing run is let work.")
    parser.add_argument("--url", default=os.environ.get("SENTINELLA_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.url or not args.url.startswith("postgresql"):
        raise SystemExit("hold_latency needs PostgreSQL: --url postgresql+psycopg://... or SENTINELLA_TEST_POSTGRES_URL")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    url = fresh_schema_url(args.url, SCHEMA)
    began = time.perf_counter()
    total = _build(url, args.contracts)
    print(f"book: {total:,} active contracts on PostgreSQL, built in {time.perf_counter() - began:.0f} s")
    latencies, window = _disown_while_running(url, args.disownments, total, args.seconds)
    engine = make_engine(url=url)
    with engine.connect() as connection:
        invoices = connection.execute(text("SELECT count(*) FROM invoices")).scalar_one()
        held = connection.execute(text("SELECT count(*) FROM holds")).scalar_one()
    engine.dispose()
    print(f"invoicing run: {invoices:,} bills issued while {len(latencies)} disownments were recorded "
          f"over {window:.0f} s ({held} holds)")
    print(f"disownment to hold committed: p50 {_quantile(latencies, 0.50):.1f} ms, "
          f"p95 {_quantile(latencies, 0.95):.1f} ms, p99 {_quantile(latencies, 0.99):.1f} ms, "
          f"max {max(latencies):.1f} ms")
    drop_schema(args.url, SCHEMA)


if __name__ == "__main__":
    main()
