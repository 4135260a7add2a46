"""The consumer associations' monitoring report (rulebook §8): the figures of one period.

``association_report`` runs the set-based queries of ``queries_cases`` and ``queries_agencies``
in one read transaction and folds their small grouped results into a ``MonitoringReport``: plain
numbers, ``Decimal`` for money and rates, a row per calendar month for the trend charts. No
customer, agent or supply point appears in it, only counts and sums.

Definitions (all for the half-open period ``[start, end)``):

- disownments: cases *received* in the period; "in scope" = the customer is in the scope of
  153/2012 (``protocol.scope``); accepted / rejected / pending by the case's outcome today;
- outcomes: of the period's accepted disownments, activation stopped, restored (restoration
  completed), restoration in progress, declined by the customer, or not owed (TIRV limit passed);
- indemnities: owed in the period (``owed_on``) by kind, and of them paid (credit note or bill);
- reply times: disownments *replied to* in the period, calendar days from receipt to reply:
  median, 95th percentile (``stats.percentile_cont``), share within the reply standard (30 days);
- withdrawals: requests received in the period, by outcome;
- audits: verdicts given in the period and the share nonconforming; nonconformities found;
- penalties accrued, agencies warned and revoked, escalations to the Sportello and to conciliation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine

from db.engine import transaction
from flows.reports import queries_agencies as agencies
from flows.reports import queries_cases as cases
from flows.reports.period import ReportPeriod
from flows.reports.stats import percentile_cont, share
from protocol.codes import NonconformityType
from protocol.ruleset import RuleSet

__all__ = ["MonitoringReport", "MonthRow", "association_report"]


@dataclass(frozen=True, slots=True, kw_only=True)
class MonthRow:
    month: date
    disownments_received: int = 0
    disownments_accepted: int = 0
    disownments_rejected: int = 0
    withdrawals_received: int = 0
    audits: int = 0
    audits_nonconforming: int = 0
    replies: int = 0
    replies_within_standard: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class MonitoringReport:
    period_start: date
    period_end: date  # exclusive
    reply_standard_days: int
    disownments: dict[str, dict[str, int]]  # "in_scope" / "out_of_scope" / "total" -> received, accepted...
    outcomes: dict[str, int]
    indemnities: dict[str, dict[str, object]]
    reply_times: dict[str, object]
    withdrawals: dict[str, int]
    audits: dict[str, object]
    nonconformities: dict[str, int]
    agencies: dict[str, object]
    escalations: dict[str, int]
    months: list[MonthRow] = field(default_factory=list)


def _blank() -> dict[str, int]:
    return {"received": 0, "accepted": 0, "rejected": 0, "pending": 0}


def _outcome_key(outcome) -> str:
    """``accepted`` / ``rejected``; a case without a decision yet is ``pending``."""
    return outcome.value if outcome is not None and outcome.value in ("accepted", "rejected") else "pending"


def association_report(*, engine: Engine, period: ReportPeriod, rules: RuleSet) -> MonitoringReport:
    """The figures of ``period`` read from ``engine``; ``rules`` gives the scope and the reply standard."""
    standard = rules.disownment.reply_calendar_days
    month_rows = [dict(month=m) for m in period.months]
    with transaction(engine) as session:
        dis = {"in_scope": _blank(), "out_of_scope": _blank(), "total": _blank()}
        for month, in_scope, outcome, count in cases.disownment_counts(session, period=period, scope=rules.scope):
            key = _outcome_key(outcome)
            for group in ("in_scope" if in_scope else "out_of_scope", "total"):
                dis[group]["received"] += count
                dis[group][key] += count
            row = month_rows[month]
            row["disownments_received"] = row.get("disownments_received", 0) + count
            if key in ("accepted", "rejected"):
                row[f"disownments_{key}"] = row.get(f"disownments_{key}", 0) + count
        histogram: dict[int, int] = {}
        for month, days, count in cases.reply_histograms(session, period=period):
            histogram[days] = histogram.get(days, 0) + count
            row = month_rows[month]
            row["replies"] = row.get("replies", 0) + count
            if days <= standard:
                row["replies_within_standard"] = row.get("replies_within_standard", 0) + count
        withdrawals = {"received": 0, "accepted": 0, "late": 0, "rejected": 0, "pending": 0}
        for month, outcome, count in cases.withdrawal_counts(session, period=period):
            withdrawals["received"] += count
            withdrawals["pending" if outcome is None else outcome.value] += count
            month_rows[month]["withdrawals_received"] = month_rows[month].get("withdrawals_received", 0) + count
        audited = failed = 0
        for month, count, nonconforming in agencies.audit_counts(session, period=period):
            audited, failed = audited + count, failed + nonconforming
            month_rows[month].update(audits=count, audits_nonconforming=nonconforming)
        penalty_count, penalty_eur = agencies.penalty_figures(session, period=period)
        events = agencies.agency_events(session, period=period)
        report = dict(
            outcomes=cases.outcomes(session, period=period),
            indemnities=_indemnities(agencies.indemnity_figures(session, period=period)),
            nonconformities=_all_types(agencies.nonconformity_types(session, period=period)),
            escalations=cases.escalations(session, period=period),
        )
    replies = sum(histogram.values())
    within = sum(count for days, count in histogram.items() if days <= standard)
    return MonitoringReport(
        period_start=period.start, period_end=period.end, reply_standard_days=standard, disownments=dis,
        reply_times={"replies": replies, "median_days": percentile_cont(histogram, fraction=Decimal("0.5")),
                     "p95_days": percentile_cont(histogram, fraction=Decimal("0.95")),
                     "within_standard": within, "within_standard_share": share(within, replies)},
        withdrawals=withdrawals,
        audits={"concluded": audited, "nonconforming": failed, "nonconformity_rate": share(failed, audited)},
        agencies={"penalties": penalty_count, "penalties_eur": penalty_eur,
                  "warnings": events.get("warning", 0), "revocations": events.get("revocation", 0)},
        months=[MonthRow(**row) for row in month_rows], **report)


def _indemnities(found: dict[str, dict[str, object]]) -> dict[str, dict[str, object]]:
    zero = {"owed": 0, "owed_eur": Decimal("0.00"), "paid": 0, "paid_eur": Decimal("0.00")}
    return {kind: found.get(kind, dict(zero)) for kind in ("protocol_153", "tiqv_late_reply")}


def _all_types(found: dict[str, int]) -> dict[str, int]:
    return {kind.value: found.get(kind.value, 0) for kind in NonconformityType}
