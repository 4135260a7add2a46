"""Set-based figures of audits, nonconformities, penalties, agency events and indemnities."""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from db.models import AgencyEvent, Audit, Indemnity, Nonconformity, Penalty
from flows.reports.period import ReportPeriod
from flows.reports.sql import cents, euros, grouped_counts, month_bucket
from protocol.codes import AuditVerdict

__all__ = ["agency_events", "audit_counts", "indemnity_figures", "nonconformity_types", "penalty_figures"]


def _within(column, period: ReportPeriod):
    return and_(column >= period.start, column < period.end)


def audit_counts(session: Session, *, period: ReportPeriod) -> list[tuple[int, int, int]]:
    """``(month index, audits concluded, nonconforming)`` by month of the verdict."""
    month = month_bucket(Audit.verdict_on, months=period.months).label("month")
    failed = case((Audit.verdict == AuditVerdict.NONCONFORMING, 1), else_=0).label("failed")
    rows = grouped_counts(session, columns=[month, failed], select_from=Audit.__table__,
                          where=[Audit.verdict.is_not(None), _within(Audit.verdict_on, period)])
    by_month: dict[int, list[int]] = {}
    for index, nonconforming, count in rows:
        figures = by_month.setdefault(index, [0, 0])
        figures[0] += count
        figures[1] += count if nonconforming else 0
    return [(index, total, bad) for index, (total, bad) in sorted(by_month.items())]


def nonconformity_types(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Nonconformities found in the period, by type code."""
    return {kind.value: count for kind, count in session.execute(
        select(Nonconformity.type, func.count()).where(_within(Nonconformity.found_on, period))
        .group_by(Nonconformity.type))}


def penalty_figures(session: Session, *, period: ReportPeriod) -> tuple[int, object]:
    """``(penalties, euros)`` accrued in the period."""
    count, total = session.execute(
        select(func.count(), func.sum(cents(Penalty.amount))).where(_within(Penalty.accrued_on, period))).one()
    return count, euros(total)


def agency_events(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Agency events of the period by kind (``warning``, ``revocation``...), counted per agency and kind."""
    return dict(session.execute(
        select(AgencyEvent.kind, func.count(func.distinct(AgencyEvent.agency_id)))
        .where(_within(AgencyEvent.occurred_on, period)).group_by(AgencyEvent.kind)).all())


def indemnity_figures(session: Session, *, period: ReportPeriod) -> dict[str, dict[str, object]]:
    """Indemnities owed in the period by kind: count and euros owed, and of them paid (by credit note or bill)."""
    paid = or_(Indemnity.credit_note_id.is_not(None), Indemnity.invoice_id.is_not(None))
    figures = {}
    for kind, owed, owed_cents, paid_count, paid_cents in session.execute(
        select(Indemnity.kind, func.count(), func.sum(cents(Indemnity.amount)),
               func.count(Indemnity.id).filter(paid), func.sum(cents(Indemnity.amount)).filter(paid))
        .where(_within(Indemnity.owed_on, period)).group_by(Indemnity.kind)
    ):
        figures[kind.value] = {"owed": owed, "owed_eur": euros(owed_cents), "paid": paid_count,
                               "paid_eur": euros(paid_cents)}
    return figures
