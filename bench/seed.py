"""Benchmark: how fast the synthetic book is generated and written.

    .venv/bin/python bench/seed.py [--contracts 100000] [--postgres URL]

Prints contracts per second for the pure generator and for seeding an empty database
(SQLite file, and PostgreSQL when a URL is given or SENTINELLA_TEST_POSTGRES_URL is set).
The PostgreSQL run works in its own schema (``sentinella_bench``), dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

import sys

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench.* when run as a script

from bench.schemas import drop_schema, fresh_schema_url  # noqa: E402
from db.engine import make_engine  # noqa: E402
from db.migrate import upgrade
from flows.seeding import seed_book
from flows.synthetic import iter_book

START = date(2026, 1, 5)


def _generate(contracts: int) -> float:
    began = time.perf_counter()
    _, sales = iter_book(contracts=contracts, start=START, days=120, seed=7)
    for _chunk in sales:
        pass
    return time.perf_counter() - began


def _seed(url: str, contracts: int) -> float:
    engine = make_engine(url=url)
    upgrade(engine=engine)
    began = time.perf_counter()
    seed_book(engine=engine, contracts=contracts, start=START, days=120, seed=7, checksum=False)
    elapsed = time.perf_counter() - began
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("SENTINELLA_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    n = args.contracts
    seconds = _generate(n)
    print(f"generate {n:>9,} contracts            {seconds:7.2f} s  {n / seconds:>9,.0f} contracts/s")
    with tempfile.TemporaryDirectory() as folder:
        seconds = _seed(f"sqlite:///{Path(folder) / 'bench.db'}", n)
    print(f"seed     {n:>9,} contracts, SQLite    {seconds:7.2f} s  {n / seconds:>9,.0f} contracts/s")
    if args.postgres:
        schema = "sentinella_bench"
        seconds = _seed(fresh_schema_url(args.postgres, schema), n)
        print(f"seed     {n:>9,} contracts, PostgreSQL {seconds:6.2f} s  {n / seconds:>9,.0f} contracts/s")
        drop_schema(args.postgres, schema)


if __name__ == "__main__":
    main()
