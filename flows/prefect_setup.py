"""Prefect defaults for Sentinella's entry points; call before importing ``prefect``.

Ephemeral mode keeps its database under the project's ``.prefect/`` (never shared between
versions); explicit environment variables always win.
"""

from __future__ import annotations

import os
from pathlib import Path


def configure_prefect(*, quiet: bool = True) -> None:
    os.environ.setdefault("PREFECT_HOME", str(Path.cwd() / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
