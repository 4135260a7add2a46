"""What can go wrong when asking for a report."""

from __future__ import annotations

from protocol.errors import SentinellaError


class InvertedReportPeriod(SentinellaError, ValueError):
    """The period's first day (``--from``) is after its last day (``--to``)."""


class UnknownReportFormat(SentinellaError, ValueError):
    """A report was asked in a format it does not come in."""
