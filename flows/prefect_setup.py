"""Prefect defaults for Sentinella's entry points; call before importing ``prefect``.

Ephemeral mode keeps its database under the project's ``.prefect/`` (never shared between
versions); explicit environment variables always win.

Without a server (``PREFECT_API_URL`` unset) Prefect runs an ephemeral API on a SQLite file for
the life of the process. Its background services that record task runs and persist events
write to that file while the next day's flow run is being created; SQLite answers "busy", the
API answers 503, and the client backs off two seconds or more, over and over in a range of
days (``make demo`` lost half its time to that). Nothing reads those records (the ephemeral
API dies with the process), so those two services are off there; flow runs, their states and
artifacts are still recorded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def configure_prefect(*, quiet: bool = True) -> None:
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    if not os.environ.get("PREFECT_API_URL") and not _profile_names_a_server():
        os.environ.setdefault("PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_ENABLED", "false")
        os.environ.setdefault("PREFECT_SERVER_SERVICES_EVENT_PERSISTER_ENABLED", "false")


def _profile_names_a_server() -> bool:
    from prefect.settings import PREFECT_API_URL

    return bool(PREFECT_API_URL.value())


@contextmanager
def in_process_run_settings() -> Iterator[None]:
    """Settings for flow runs started by the CLI in this process.

    Without a Prefect server (``PREFECT_API_URL`` unset) flows run against an ephemeral API that
    dies with the process, so nothing outlives a crash to read heartbeats; Prefect's heartbeat
    thread would still cost about a second at the end of every flow run (it sleeps in one-second
    steps and the flow joins it), which is most of a quiet day in ``sentinella run range`` and
    ``make demo``. So heartbeats are off there; against a server they stay as configured.
    """
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
