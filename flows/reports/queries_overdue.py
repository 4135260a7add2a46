"""The steps overdue at the close of a day, with who owns them (compliance report, rulebook §8).

One query per kind of step, each a filtered ``SELECT`` ordered by due date and capped at
``limit`` rows, plus a ``COUNT`` of all of them: the list shows the oldest, the count says how
many. A step is overdue at the close of ``last_day`` when its due date is on or before that day
and it has no date of completion on or before it. The owner is the user who holds the case (who
decided it, else who opened it) with their role; confirmations belong to the daily cycle.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, and_, cast, exists, func, not_, null, or_, select
from sqlalchemy.orm import Session

from db.models import Case, Contract, CreditNote, Hold, Indemnity, Letter, Restoration, User
from flows.reports.queries_compliance import CONFIRMATION_LETTER, HOLD_STANDING
from protocol.codes import CaseKind, CaseStatus, ContractState, IndemnityKind

__all__ = ["OVERDUE_STEPS", "overdue_steps"]

OVERDUE_STEPS = ("confirmation", "hold", "reply", "restoration_request", "rebilling", "protocol_indemnity")
_NOT_CONFIRMED = (ContractState.VALIDATED, ContractState.RECEIVED)


def _not_done(column, last_day: date):
    return or_(column.is_(None), column > last_day)


def _case_owner():
    return func.coalesce(Case.decided_by, Case.opened_by)


def _statements(last_day: date) -> dict[str, tuple]:
    """Per step: (reference, due date, owner username, FROM clause, WHERE clause)."""
    letter_by = exists().where(CONFIRMATION_LETTER, Letter.written_on <= last_day)
    case_join = (Restoration.__table__.join(Case.__table__, Case.id == Restoration.case_id))
    note_by = exists().where(CreditNote.id == Indemnity.credit_note_id, CreditNote.issued_on <= last_day)
    return {
        "confirmation": (Contract.external_id, Contract.confirmation_due_on, cast(null(), String(80)),
                         Contract.__table__,
                         and_(Contract.confirmation_due_on <= last_day, Contract.state.in_(_NOT_CONFIRMED),
                              not_(letter_by))),
        "hold": (Case.reference, Case.received_on, Case.opened_by,
                 Case.__table__.outerjoin(Hold.__table__, HOLD_STANDING),
                 and_(Case.kind == CaseKind.DISOWNMENT, Case.received_on <= last_day,
                      Case.status.in_((CaseStatus.OPEN, CaseStatus.INCOMPLETE)), Hold.id.is_(None))),
        "reply": (Case.reference, Case.reply_due_on, _case_owner(), Case.__table__,
                  and_(Case.kind == CaseKind.DISOWNMENT, Case.reply_due_on <= last_day, Case.received_on <= last_day,
                       _not_done(Case.replied_on, last_day))),
        "restoration_request": (Case.reference, Restoration.request_due_on, _case_owner(), case_join,
                                and_(Restoration.request_due_on <= last_day,
                                     _not_done(Restoration.requested_on, last_day))),
        "rebilling": (Case.reference, Restoration.completed_on, _case_owner(), case_join,
                      and_(Restoration.completed_on <= last_day, _not_done(Restoration.rebilled_on, last_day))),
        "protocol_indemnity": (Case.reference, Indemnity.owed_on, _case_owner(),
                               Indemnity.__table__.join(Case.__table__, Case.id == Indemnity.case_id),
                               and_(Indemnity.kind == IndemnityKind.PROTOCOL_153, Indemnity.owed_on <= last_day,
                                    not_(note_by))),
    }


def overdue_steps(session: Session, *, last_day: date, limit: int = 200) -> tuple[dict[str, int], list[dict]]:
    """``({step: overdue count}, [the oldest overdue steps, at most ``limit`` per step])``."""
    counts: dict[str, int] = {}
    rows: list[dict] = []
    for step, (reference, due, owner, froms, where) in _statements(last_day).items():
        counts[step] = session.execute(select(func.count()).select_from(froms).where(where)).scalar_one()
        if not counts[step]:
            continue
        owner = owner.label("owner")
        listed = select(reference.label("reference"), due.label("due_on"), owner).select_from(froms).where(where) \
            .order_by(due, reference).limit(limit).subquery()
        for ref, due_on, user, role in session.execute(
            select(listed.c.reference, listed.c.due_on, listed.c.owner, User.role)
            .outerjoin(User, User.username == listed.c.owner).order_by(listed.c.due_on, listed.c.reference)
        ):
            rows.append({"step": step, "reference": ref, "due_on": due_on, "days_overdue": (last_day - due_on).days,
                         "owner_user": "daily-cycle" if step == "confirmation" else user,
                         "owner_role": role.value if role is not None else None})
    return counts, rows
