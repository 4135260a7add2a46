"""Disownment (rulebook 5): the case and the hold in one transaction, then the decision.

The hold (``contracts.on_hold`` plus a ``holds`` row) is committed together with the case, so
from that commit on no invoice, dunning step or collection is produced for the contract;
pending SEPA collections are withdrawn at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select, update

from db.engine import transaction
from db.events import record_event
from db.models import Case, Contract, Hold, SepaCollection
from db.sequences import case_reference
from flows.contract_view import find_contract
from flows.users import require_role
from protocol.calendar import WorkingCalendar
from protocol.codes import CaseKind, CaseStatus, RequestChannel
from protocol.complaints import reply_due_on
from protocol.cooling_off import counted_on as date_that_counts
from protocol.errors import SentinellaError
from protocol.ruleset import RuleSet

DISOWNMENT_CHANNELS = ("phone", "email", "letter", "branch", "association", "sportello")


class DisownmentAlreadyOpen(SentinellaError):
    """The contract has an open disownment case already."""


@dataclass(frozen=True)
class DisownmentOpened:
    case_reference: str
    contract: str
    counted_on: date
    reply_due_on: date
    hold_placed: bool
    collections_withdrawn: int
    already_open: bool = False


def reply_due(*, received_on: date, rules: RuleSet, calendar: WorkingCalendar) -> date:
    """30 calendar days from receipt (TIQV written complaints); see protocol.complaints."""
    return reply_due_on(received_on=received_on, rules=rules, calendar=calendar)


def open_disownment(
    *, engine: Engine, contract_reference: str, received_on: date, sent_on: date | None, channel: str, by: str,
    now: datetime, rules: RuleSet, calendar: WorkingCalendar,
) -> DisownmentOpened:
    """Open the case and place the hold, in one transaction; a second report of the same
    contract while a case is open changes nothing and says so.

    Raises ContractNotFound, UnknownUser, RoleNotAllowed, ImpossibleDates.
    """
    with transaction(engine) as session:
        require_role(session, username=by, action="record a disownment")
        contract = find_contract(session, reference=contract_reference)
        contract = session.execute(select(type(contract)).where(type(contract).id == contract.id)
                                   .with_for_update()).scalar_one()
        open_case = session.execute(
            select(Case).where(Case.contract_id == contract.id, Case.kind == CaseKind.DISOWNMENT,
                               Case.status.in_((CaseStatus.OPEN, CaseStatus.INCOMPLETE)))
        ).scalar_one_or_none()
        if open_case is not None:
            return DisownmentOpened(case_reference=open_case.reference, contract=contract.external_id,
                                    counted_on=open_case.counted_on, reply_due_on=open_case.reply_due_on,
                                    hold_placed=False, collections_withdrawn=0, already_open=True)
        request_channel = RequestChannel(channel)
        counted = date_that_counts(sent_on=sent_on, received_on=received_on, channel=request_channel)
        case = Case(reference=case_reference(session, prefix="DIS", year=received_on.year), contract_id=contract.id,
                    kind=CaseKind.DISOWNMENT, channel=request_channel, sent_on=sent_on, received_on=received_on,
                    counted_on=counted, opened_by=by, status=CaseStatus.OPEN, missing_fields=[],
                    reply_due_on=reply_due(received_on=received_on, rules=rules, calendar=calendar),
                    rule_set_version=rules.version, created_at=now)
        session.add(case)
        session.flush()
        placed = False
        if not contract.on_hold:
            session.add(Hold(contract_id=contract.id, case_id=case.id, placed_on=received_on, placed_at=now,
                             placed_by=by))
            contract.on_hold, contract.updated_at = True, now
            placed = True
        withdrawn = session.execute(
            update(SepaCollection).where(SepaCollection.contract_id == contract.id, SepaCollection.status == "pending")
            .values(status="withdrawn", withdrawn_at=now)
        ).rowcount
        record_event(session, contract=contract, kind="disowned", actor=by, occurred_at=now, effective_on=received_on,
                     reason=f"customer says the contract was never requested (case {case.reference}, via {channel}); "
                            "hold on invoicing, dunning and credit recovery",
                     payload={"case": case.reference, "collections_withdrawn": withdrawn},
                     rule_set_version=rules.version)
        return DisownmentOpened(case_reference=case.reference, contract=contract.external_id, counted_on=counted,
                                reply_due_on=case.reply_due_on, hold_placed=placed, collections_withdrawn=withdrawn)


def release_hold(*, engine: Engine, case_reference_: str, by: str, reason: str, as_of: date, now: datetime) -> bool:
    """Release the hold of a rejected case: an explicit act, logged with who and why.

    Raises CaseNotFound, UnknownUser, RoleNotAllowed, HoldNotReleasable.
    """
    from flows.disownment_decisions import CaseNotFound, HoldNotReleasable, case_by_reference

    with transaction(engine) as session:
        require_role(session, username=by, action="release a hold")
        case = case_by_reference(session, reference=case_reference_)
        if case is None:
            raise CaseNotFound(f"no case {case_reference_}")
        if case.outcome is None or case.outcome.value != "rejected":
            raise HoldNotReleasable(f"case {case.reference} is {case.status.value}"
                                    f"{' ' + case.outcome.value if case.outcome else ''}: only a rejected case's hold "
                                    "is released")
        return lift_hold(session, contract=session.get(Contract, case.contract_id), by=by, now=now, as_of=as_of,
                         reason=f"hold released after case {case.reference} was rejected: {reason}",
                         case_reference_=case.reference)


def lift_hold(session, *, contract, by: str, now: datetime, as_of: date, reason: str,
              case_reference_: str | None = None) -> bool:
    """Release the standing hold of ``contract`` (if any), logged with who and why."""
    hold = session.execute(select(Hold).where(Hold.contract_id == contract.id, Hold.released_at.is_(None))
                           .with_for_update()).scalar_one_or_none()
    if hold is None:
        return False
    hold.released_at, hold.released_by, hold.release_reason = now, by, reason
    contract.on_hold, contract.updated_at = False, now
    record_event(session, contract=contract, kind="hold_released", actor=by, occurred_at=now, effective_on=as_of,
                 reason=reason, payload={"case": case_reference_} if case_reference_ else {})
    return True


def place_hold(session, *, contract, case, by: str, now: datetime, on: date, reason: str) -> bool:
    """Place the hold on ``contract`` unless one stands (the caller holds the contract's row lock)."""
    if session.execute(select(Hold.id).where(Hold.contract_id == contract.id, Hold.released_at.is_(None))).first():
        return False
    session.add(Hold(contract_id=contract.id, case_id=case.id, placed_on=on, placed_at=now, placed_by=by))
    contract.on_hold, contract.updated_at = True, now
    record_event(session, contract=contract, kind="hold_placed", actor=by, occurred_at=now, effective_on=on,
                 reason=reason, payload={"case": case.reference})
    return True
