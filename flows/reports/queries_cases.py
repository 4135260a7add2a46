"""Set-based figures of disownment and withdrawal cases for the association report.

Every function runs a handful of ``GROUP BY`` queries over the period's rows and returns plain
dictionaries; nothing loops over the book in Python. A disownment belongs to the period of its
receipt (``received_on``), its reply to the period of ``replied_on``, an escalation to the period
of ``sportello_on`` / ``conciliation_on``.
"""

from __future__ import annotations

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from db.models import Case, Contract, Customer, Restoration
from flows.reports.period import ReportPeriod
from flows.reports.sql import days_between, grouped_counts, in_scope_sql, month_bucket
from protocol.codes import CaseKind, CaseOutcome, RestorationStatus
from protocol.ruleset import ScopeRules

__all__ = ["disownment_counts", "escalations", "outcomes", "reply_histograms", "withdrawal_counts"]


def _within(column, period: ReportPeriod):
    return and_(column >= period.start, column < period.end)


def disownment_counts(session: Session, *, period: ReportPeriod, scope: ScopeRules) -> list[tuple]:
    """``(month index, in scope, outcome or None, cases)`` of the disownments received in the period."""
    in_scope = in_scope_sql(rules=scope, commodity_column=Contract.commodity).label("in_scope")
    month = month_bucket(Case.received_on, months=period.months).label("month")
    froms = Case.__table__.join(Contract.__table__, Contract.id == Case.contract_id) \
        .join(Customer.__table__, Customer.id == Contract.customer_id)
    return grouped_counts(session, columns=[month, in_scope, Case.outcome], select_from=froms,
                          where=[Case.kind == CaseKind.DISOWNMENT, _within(Case.received_on, period)])


def outcomes(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """What became of the period's accepted disownments: stopped, restored, restoration under way..."""
    figures = {"activation_stopped": 0, "restored": 0, "restoration_in_progress": 0, "restoration_declined": 0,
               "no_restoration": 0}
    for stoppable, status, count in session.execute(
        select(Case.activation_stoppable, Restoration.status, func.count())
        .select_from(Case).outerjoin(Restoration, Restoration.case_id == Case.id)
        .where(Case.kind == CaseKind.DISOWNMENT, Case.outcome == CaseOutcome.ACCEPTED, _within(Case.received_on, period))
        .group_by(Case.activation_stoppable, Restoration.status)
    ):
        if stoppable:
            figures["activation_stopped"] += count
        elif status is RestorationStatus.COMPLETED:
            figures["restored"] += count
        elif status is RestorationStatus.DECLINED:
            figures["restoration_declined"] += count
        elif status is None:
            figures["no_restoration"] += count  # the TIRV limit had passed: restoration not owed
        else:
            figures["restoration_in_progress"] += count
    return figures


def reply_histograms(session: Session, *, period: ReportPeriod) -> list[tuple[int, int, int]]:
    """``(month index, days from receipt to reply, replies)`` of disownments replied to in the period."""
    days = days_between(Case.replied_on, Case.received_on).label("days")
    month = month_bucket(Case.replied_on, months=period.months).label("month")
    return grouped_counts(session, columns=[month, days], select_from=Case.__table__,
                          where=[Case.kind == CaseKind.DISOWNMENT, _within(Case.replied_on, period)])


def withdrawal_counts(session: Session, *, period: ReportPeriod) -> list[tuple]:
    """``(month index, outcome or None, cases)`` of the withdrawals received in the period."""
    month = month_bucket(Case.received_on, months=period.months).label("month")
    return grouped_counts(session, columns=[month, Case.outcome], select_from=Case.__table__,
                          where=[Case.kind == CaseKind.WITHDRAWAL, _within(Case.received_on, period)])


def escalations(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Disownments taken to the ARERA Sportello (by its finding) and to conciliation in the period."""
    figures = {"sportello": 0, "sportello_unfounded": 0, "conciliation": 0}
    for finding, count in session.execute(
        select(Case.sportello_finding, func.count())
        .where(Case.kind == CaseKind.DISOWNMENT, _within(Case.sportello_on, period)).group_by(Case.sportello_finding)
    ):
        figures["sportello"] += count
        if finding == "unfounded":
            figures["sportello_unfounded"] += count
    figures["conciliation"] = session.execute(
        select(func.count()).select_from(Case)
        .where(Case.kind == CaseKind.DISOWNMENT, _within(Case.conciliation_on, period))).scalar_one()
    return figures
