"""Letters rendered as Prefect tasks on a Dask cluster, when ``SENTINELLA_LETTER_WORKERS`` > 1.

Each task renders a batch (hundreds of letters, never one task per letter), mapped over a
``DaskTaskRunner`` connected to a local cluster of that many processes. The cluster starts on
first use and lives as long as the process (a flow run, under a process worker), so each
worker process builds its renderer (stylesheet, fonts) once, not once per batch. Rendering is
deterministic: the PDFs are byte for byte those of the default path (``letters.parallel``),
which serves everything else (``make demo``, the tests, ``SENTINELLA_LETTER_WORKERS`` unset).
"""

from __future__ import annotations

import atexit
import logging
import math
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from letters.parallel import inline_renderer, render_many
from letters.render import RenderedLetter

Job = tuple[str, Mapping[str, Any]]
MIN_BATCH = 100  # letters per task at least: a task run costs 5-10 ms, a letter ~140 ms of layout

_clusters: dict[int, Any] = {}


def render_batch(*, jobs: list[Job]) -> list[RenderedLetter]:
    """Render one batch of ``(kind, context)`` jobs, in order, with this process's renderer."""
    renderer = inline_renderer()
    return [renderer.render(kind=kind, context=context) for kind, context in jobs]


@cache
def render_batch_task():
    """``render_batch`` as the Prefect task ``render-letter-batch`` (Prefect imported only here,
    so the default path and the plain-function tests never load it)."""
    from prefect import task
    from prefect.cache_policies import NO_CACHE

    return task(render_batch, name="render-letter-batch", cache_policy=NO_CACHE, retries=0)


def letter_batches(*, jobs: Sequence[Job], workers: int, min_batch: int = MIN_BATCH) -> list[list[Job]]:
    """Split ``jobs`` into at most ``workers`` batches, in order, each at least ``min_batch`` long."""
    size = max(min_batch, math.ceil(len(jobs) / max(1, workers)))
    return [list(jobs[start:start + size]) for start in range(0, len(jobs), size)]


def dask_cluster(*, workers: int):
    """The process's local Dask cluster of ``workers`` processes, started on first use."""
    if workers not in _clusters:
        from distributed import LocalCluster

        _clusters[workers] = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                                          dashboard_address=None, silence_logs=logging.ERROR,
                                          env=_worker_environment())
        if len(_clusters) == 1:
            atexit.register(shutdown_dask_clusters)
    return _clusters[workers]


def shutdown_dask_clusters() -> None:
    """Stop every cluster this process started (at exit; tests call it in their finalizers)."""
    while _clusters:
        _workers, cluster = _clusters.popitem()
        cluster.close()


def _worker_environment() -> dict[str, str]:
    """The API the Dask workers report their task runs to: this process's (a server or ephemeral)."""
    from prefect.client.orchestration import get_client

    url = str(get_client(sync_client=True).api_url)
    return {"PREFECT_API_URL": url.rstrip("/")} if url.startswith("http") else {}


def render_letters(*, jobs: Sequence[Job], workers: int, min_batch: int = MIN_BATCH) -> list[RenderedLetter]:
    """Render ``jobs`` in order: on Dask when ``workers`` > 1, else on the default path."""
    if workers <= 1 or not jobs:
        return render_many(jobs=jobs)
    from prefect_dask import DaskTaskRunner

    batches = letter_batches(jobs=jobs, workers=workers, min_batch=min_batch)
    with DaskTaskRunner(address=dask_cluster(workers=workers).scheduler_address) as runner:
        futures = runner.map(render_batch_task(), {"jobs": batches})
        return [letter for future in futures for letter in future.result()]
