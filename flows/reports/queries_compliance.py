"""Set-based figures of protocol adherence for the compliance report (rulebook §8).

The period is ``[start, end)``; a step is *done in time* when its date is on or before its due
date, *late* when done after it but before the period's end, *not done* when it has no date yet or
one after the period (the report reads the book as it stood at the close of the last day).
"""

from __future__ import annotations

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from db.models import Case, Contract, CreditNote, Hold, Indemnity, Letter, Restoration
from flows.reports.period import ReportPeriod
from flows.reports.sql import cents, euros
from protocol.codes import CaseKind, IndemnityKind

__all__ = ["CONFIRMATION_LETTER", "HOLD_STANDING", "confirmations", "holds", "indemnities", "rebilling", "replies",
           "restoration_requests"]

CONFIRMATION_LETTER = and_(Letter.contract_id == Contract.id, Letter.kind == "confirmation",
                           Letter.event_key == "confirmation")


def _within(column, period: ReportPeriod):
    return and_(column >= period.start, column < period.end)


def _timeliness(session: Session, *, done, due, where, froms, period: ReportPeriod) -> dict[str, int]:
    """``due`` / ``on_time`` / ``late`` / ``not_done`` for the rows of ``where`` (done / due are date columns)."""
    done_by_end = and_(done.is_not(None), done < period.end)
    statement = select(func.count(), func.count().filter(and_(done_by_end, done <= due)),
                       func.count().filter(and_(done_by_end, done > due))).select_from(froms).where(where)
    total, on_time, late = session.execute(statement).one()
    return {"due": total, "on_time": on_time, "late": late, "not_done": total - on_time - late}


def confirmations(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Contracts whose confirmation letter was due in the period, by when it was written."""
    froms = Contract.__table__.outerjoin(Letter.__table__, CONFIRMATION_LETTER)
    return _timeliness(session, done=Letter.written_on, due=Contract.confirmation_due_on, froms=froms,
                       where=_within(Contract.confirmation_due_on, period), period=period)


HOLD_STANDING = and_(Hold.contract_id == Case.contract_id, Hold.placed_on <= Case.received_on,
                     or_(Hold.case_id == Case.id, Hold.released_at.is_(None)))
"""A hold stood on the case's contract on the day the disownment was received (placed with the
case, or already standing). A join condition, not a correlated ``EXISTS``: ``holds`` has no index
on ``contract_id`` alone, and a hash join reads it once."""


def holds(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Disownments received in the period, and of them those with a hold the same day."""
    received = and_(Case.kind == CaseKind.DISOWNMENT, _within(Case.received_on, period))
    total = session.execute(select(func.count()).select_from(Case).where(received)).scalar_one()
    same_day = session.execute(select(func.count(func.distinct(Case.id)))
                               .select_from(Case.__table__.join(Hold.__table__, HOLD_STANDING)).where(received)
                               ).scalar_one()
    return {"received": total, "same_day": same_day}


def replies(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Disownments whose reasoned reply was due in the period, by when it was sent."""
    return _timeliness(session, done=Case.replied_on, due=Case.reply_due_on, froms=Case.__table__,
                       where=and_(Case.kind == CaseKind.DISOWNMENT, _within(Case.reply_due_on, period)), period=period)


def restoration_requests(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Restorations whose request to the distributor / SII was due in the period."""
    return _timeliness(session, done=Restoration.requested_on, due=Restoration.request_due_on,
                       froms=Restoration.__table__, where=_within(Restoration.request_due_on, period), period=period)


def rebilling(session: Session, *, period: ReportPeriod) -> dict[str, int]:
    """Restorations completed in the period, and of them those re-billed by the period's end."""
    total, done = session.execute(
        select(func.count(), func.count().filter(and_(Restoration.rebilled_on.is_not(None),
                                                      Restoration.rebilled_on < period.end)))
        .where(_within(Restoration.completed_on, period))).one()
    return {"completed": total, "rebilled": done}


def indemnities(session: Session, *, period: ReportPeriod) -> dict[str, dict[str, object]]:
    """Indemnities owed in the period by kind, and of them paid by the period's end (credit note or bill)."""
    note_by_end = exists().where(CreditNote.id == Indemnity.credit_note_id, CreditNote.issued_on < period.end)
    paid = or_(note_by_end, Indemnity.invoice_id.is_not(None))
    figures = {kind.value: {"owed": 0, "paid": 0, "paid_eur": euros(0)} for kind in IndemnityKind}
    for kind, owed, paid_count, paid_cents in session.execute(
        select(Indemnity.kind, func.count(), func.count().filter(paid), func.sum(cents(Indemnity.amount)).filter(paid))
        .where(_within(Indemnity.owed_on, period)).group_by(Indemnity.kind)
    ):
        figures[kind.value] = {"owed": owed, "paid": paid_count, "paid_eur": euros(paid_cents)}
    return figures
