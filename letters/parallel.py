"""Render many letters on several processes (WeasyPrint layout is CPU-bound Python).

One pool per process, started lazily with the ``spawn`` method (safe beside Prefect's
threads) and kept for the life of the process; each worker builds its own renderer once.
Small batches are rendered inline, where starting workers would cost more than it saves.
The number of workers is ``SENTINELLA_RENDER_WORKERS`` (default: the number of cores;
1 renders inline always).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from letters.render import LetterRenderer, RenderedLetter

INLINE_BELOW = 8
_pool: ProcessPoolExecutor | None = None
_inline: LetterRenderer | None = None
_worker_renderer: LetterRenderer | None = None


def render_workers() -> int:
    configured = os.environ.get("SENTINELLA_RENDER_WORKERS")
    return max(1, int(configured)) if configured else max(1, os.cpu_count() or 1)


def _init_worker() -> None:
    global _worker_renderer
    _worker_renderer = LetterRenderer()


def _render_in_worker(job: tuple[str, Mapping[str, Any]]) -> RenderedLetter:
    kind, context = job
    return _worker_renderer.render(kind=kind, context=context)


def _shutdown() -> None:
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)


def inline_renderer() -> LetterRenderer:
    global _inline
    if _inline is None:
        _inline = LetterRenderer()
    return _inline


def render_many(*, jobs: Sequence[tuple[str, Mapping[str, Any]]]) -> list[RenderedLetter]:
    """Render ``(kind, context)`` jobs, in order; results are identical to inline rendering."""
    global _pool
    workers = render_workers()
    if workers == 1 or len(jobs) < INLINE_BELOW:
        renderer = inline_renderer()
        return [renderer.render(kind=kind, context=context) for kind, context in jobs]
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_init_worker)
        atexit.register(_shutdown)
    chunk = max(1, len(jobs) // (workers * 4))
    return list(_pool.map(_render_in_worker, jobs, chunksize=chunk))
