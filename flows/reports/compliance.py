"""The compliance (CSR) report: protocol adherence over a period and the steps overdue at its end.

Figures (``queries_compliance``), each with its share done in time:

- confirmations: contracts whose confirmation letter was due in the period (2 working days from
  signature), sent by the due date;
- holds: disownments received in the period with the hold standing the same day;
- replies: disownments whose reasoned reply fell due in the period (30 days), sent in time;
- restoration requests due in the period and sent in time; restorations completed in the period
  and re-billed; indemnities owed in the period and paid by its end;
- overdue steps at the close of the last day, oldest first, with their owner (``queries_overdue``).

The list names cases and contracts by their reference only, never a customer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from db.engine import transaction
from flows.reports import queries_compliance as q
from flows.reports.period import ReportPeriod
from flows.reports.queries_overdue import overdue_steps
from flows.reports.stats import share

__all__ = ["ComplianceReport", "compliance_report"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplianceReport:
    period_start: date
    period_end: date  # exclusive
    confirmations: dict[str, object]
    holds: dict[str, object]
    replies: dict[str, object]
    restoration_requests: dict[str, object]
    rebilling: dict[str, object]
    indemnities: dict[str, dict[str, object]]
    overdue_counts: dict[str, int]
    overdue: list[dict]


def _with_share(figures: dict[str, int], *, part: str, whole: str) -> dict[str, object]:
    return {**figures, "share": share(figures[part], figures[whole])}


def compliance_report(*, engine: Engine, period: ReportPeriod, overdue_limit: int = 200) -> ComplianceReport:
    """The compliance figures of ``period`` and the steps overdue at the close of its last day."""
    with transaction(engine) as session:
        figures = dict(
            confirmations=_with_share(q.confirmations(session, period=period), part="on_time", whole="due"),
            holds=_with_share(q.holds(session, period=period), part="same_day", whole="received"),
            replies=_with_share(q.replies(session, period=period), part="on_time", whole="due"),
            restoration_requests=_with_share(q.restoration_requests(session, period=period), part="on_time",
                                             whole="due"),
            rebilling=_with_share(q.rebilling(session, period=period), part="rebilled", whole="completed"),
            indemnities={kind: _with_share(row, part="paid", whole="owed")
                         for kind, row in q.indemnities(session, period=period).items()},
        )
        counts, rows = overdue_steps(session, last_day=period.last_day, limit=overdue_limit)
    return ComplianceReport(period_start=period.start, period_end=period.end, overdue_counts=counts, overdue=rows,
                            **figures)
