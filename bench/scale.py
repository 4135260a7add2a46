"""Benchmark: the daily cycle on a large book, and what its cost follows.

    .venv/bin/python -m bench.scale [--contracts 1000000] [--small 20000] [--new-batches 3] [--url URL]

On PostgreSQL (``--url`` or ``SENTINELLA_TEST_POSTGRES_URL``), each book in its own schema
(dropped afterwards): a synthetic book multiplied to ``--contracts``, then for each run a
fresh day's intake of new contracts (``--new-batches`` x 2,000 copies of the template book,
signed the day before) and the whole daily cycle for that day, timed step by step. The PDF
layout time is measured inside the cycle (every call that renders letters), so each run
reports the cycle with and without it. Runs: letters on the local process pool with one
worker, and on a Dask task runner with two workers; then the same day on a ``--small`` book,
to show the cost follows the day's work, not the book's size.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import text

from db.engine import make_engine
from bench.schemas import drop_schema, fresh_schema_url
from db.migrate import upgrade

TEMPLATE = 2_000
FIRST_DAY = date(2026, 3, 17)  # mid-month Tuesdays and Wednesdays: no billing day, no audit draw
NOW = datetime(2026, 3, 17, 6, 0, tzinfo=timezone.utc)


def _build(url: str, contracts: int) -> tuple[int, dict[str, int]]:
    from bench.bulk_book import multiply_book, template_ids
    from flows.seeding import seed_book

    engine = make_engine(url=url)
    upgrade(engine=engine)
    seed_book(engine=engine, contracts=TEMPLATE, start=date(2025, 10, 6), days=60, seed=7, checksum=False)
    with engine.begin() as connection:  # an old book: supplied since March, nothing due on the measured days
        connection.execute(text("UPDATE contracts SET state = 'active', activated_on = DATE '2026-03-01', "
                                "switch_date = DATE '2026-03-01', ended_on = NULL, on_hold = false"))
    template = template_ids(engine)
    total = multiply_book(engine, copies=max(0, -(-contracts // TEMPLATE) - 1))
    engine.dispose()
    return total, template


def _new_day(url: str, *, signed_on: date, batches: int, template: dict[str, int]) -> int:
    """``batches`` x 2,000 new contracts, received and signed on ``signed_on``."""
    from bench.bulk_book import multiply_book

    engine = make_engine(url=url)
    with engine.begin() as connection:
        before = connection.execute(text("SELECT max(id) FROM contracts")).scalar_one()
    multiply_book(engine, copies=batches, only_template=template, contract_overrides={
        "state": "'received'", "signed_on": f"DATE '{signed_on.isoformat()}'", "activated_on": "NULL",
        "ended_on": "NULL", "switch_date": "NULL", "point_of_no_return": "NULL", "confirmation_due_on": "NULL",
        "withdrawal_deadline": "NULL", "on_hold": "false"})
    with engine.begin() as connection:
        added = connection.execute(text("SELECT count(*) FROM contracts WHERE id > :id"), {"id": before}).scalar_one()
    engine.dispose()
    return added


def _run_day(url: str, *, as_of: date, folder: str, letter_workers: int
             ) -> tuple[float, float, dict[str, float], int]:
    """(whole cycle s, PDF layout s, seconds per step, letters) for one day."""
    import flows.confirmation_step as confirmations
    from flows.daily_steps import DAILY_STEPS, Day
    from flows.settings import Settings
    from pathlib import Path

    layout = [0.0]
    original = confirmations.render_letters

    def timed(*args, **kwargs):
        began = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            layout[0] += time.perf_counter() - began

    confirmations.render_letters = timed
    settings = Settings(letters_dir=Path(folder) / "letters", outbox_dir=Path(folder) / "outbox",
                        reports_dir=Path(folder) / "reports", letter_workers=letter_workers)
    day = Day(database_url=url, as_of=as_of, now=NOW, settings=settings)
    steps, letters, began = {}, 0, time.perf_counter()
    try:
        for name, step in DAILY_STEPS:
            tick = time.perf_counter()
            letters += step(day).letters
            steps[name] = time.perf_counter() - tick
    finally:
        confirmations.render_letters = original
    return time.perf_counter() - began, layout[0], steps, letters


def _report(label: str, new: int, letters: int, whole: float, layout: float, steps: dict[str, float]) -> None:
    slowest = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in sorted(steps.items(), key=lambda s: -s[1])[:3])
    print(f"{label}: {new:,} new contracts, {letters:,} letters; cycle with PDFs {whole:.1f} s, "
          f"without {whole - layout:.1f} s ({slowest})", flush=True)


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--new-batches", type=int, default=3,
                        help="New contracts for the day, in 2,000s (3: 6,000, above the 5,000 asked of a busy day).")
    parser.add_argument("--url", default=os.environ.get("SENTINELLA_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.url or not args.url.startswith("postgresql"):
        raise SystemExit("scale needs PostgreSQL: --url postgresql+psycopg://... or SENTINELLA_TEST_POSTGRES_URL")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    os.environ.setdefault("SENTINELLA_RENDER_WORKERS", "1")
    from flows.prefect_setup import configure_prefect

    configure_prefect()  # the Dask run reports its task runs to an ephemeral API: keep it quiet
    runs = [("local process pool, 1 worker", 1), ("Dask task runner, 2 workers", 2)]
    for size, schema, configurations in ((args.contracts, "sentinella_bench_scale", runs),
                                         (args.small, "sentinella_bench_small", runs[:1])):
        url = fresh_schema_url(args.url, schema)
        began = time.perf_counter()
        total, template = _build(url, size)
        print(f"book: {total:,} contracts, built in {time.perf_counter() - began:.0f} s", flush=True)
        for offset, (label, workers) in enumerate(configurations):
            as_of = FIRST_DAY + timedelta(days=offset)
            new = _new_day(url, signed_on=as_of - timedelta(days=1), batches=args.new_batches, template=template)
            with tempfile.TemporaryDirectory() as folder:
                whole, layout, steps, letters = _run_day(url, as_of=as_of, folder=folder, letter_workers=workers)
            _report(f"{total:,}-contract book, {label}", new, letters, whole, layout, steps)
        drop_schema(args.url, schema)


if __name__ == "__main__":
    main()
