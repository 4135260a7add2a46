"""A domestic customer's opt-in to the restoration (rulebook 6, TIRV): within 20 calendar days
of the reply, by any channel; then the request goes out within 2 working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select

from db.engine import transaction
from db.events import record_event
from db.models import Contract, Restoration
from flows.disownment_decisions import CaseNotFound, case_by_reference
from flows.users import require_role
from protocol.calendar import WorkingCalendar
from protocol.codes import RestorationStatus
from protocol.errors import SentinellaError
from protocol.ruleset import RuleSet


class NoRestorationAwaitingOptIn(SentinellaError):
    """The case has no restoration waiting for the customer's opt-in."""


class OptInTooLate(SentinellaError):
    """The opt-in came after the 20-day window (``window_closed_on``, its last day)."""

    def __init__(self, message: str, *, window_closed_on: date) -> None:
        super().__init__(message)
        self.window_closed_on = window_closed_on


@dataclass(frozen=True)
class OptIn:
    case_reference: str
    contract: str
    opted_in_on: date
    request_due_on: date
    already_recorded: bool = False


def record_opt_in(*, engine: Engine, case_reference: str, on: date, by: str, now: datetime, rules: RuleSet,
                  calendar: WorkingCalendar) -> OptIn:
    """Record the opt-in; recording it again changes nothing. Raises UnknownUser,
    RoleNotAllowed, CaseNotFound, NoRestorationAwaitingOptIn, OptInTooLate (nothing changes)."""
    with transaction(engine) as session:
        require_role(session, username=by, action="record a restoration opt-in")
        case = case_by_reference(session, reference=case_reference)
        if case is None:
            raise CaseNotFound(f"no case {case_reference} (see: sentinella cases list)")
        restoration = session.execute(select(Restoration).where(Restoration.case_id == case.id)
                                      .with_for_update()).scalar_one_or_none()
        contract = session.get(Contract, case.contract_id)
        if restoration is not None and restoration.opted_in_on is not None:
            return OptIn(case_reference=case.reference, contract=contract.external_id,
                         opted_in_on=restoration.opted_in_on, request_due_on=restoration.request_due_on,
                         already_recorded=True)
        if restoration is None or restoration.status is not RestorationStatus.AWAITING_OPT_IN:
            state = "no restoration" if restoration is None else f"a restoration {restoration.status.value}"
            raise NoRestorationAwaitingOptIn(f"case {case.reference} has {state}: an opt-in is recorded only for an "
                                             "accepted disownment of a domestic customer awaiting it")
        if on > restoration.opt_in_due_on:
            raise OptInTooLate(f"--date {on.isoformat()} is after the opt-in window, which closed on "
                               f"{restoration.opt_in_due_on.isoformat()} (20 calendar days from the reply)",
                               window_closed_on=restoration.opt_in_due_on)
        restoration.opted_in_on, restoration.status = on, RestorationStatus.TO_REQUEST
        restoration.request_due_on = calendar.add_working_days(on, rules.restoration.request_working_days)
        record_event(session, contract=contract, kind="restoration_opted_in", actor=by, occurred_at=now,
                     effective_on=on, rule_set_version=rules.version,
                     reason=f"the customer confirmed the return to the previous supplier ({case.reference}); "
                            f"request due by {restoration.request_due_on.isoformat()}",
                     payload={"case": case.reference})
        return OptIn(case_reference=case.reference, contract=contract.external_id, opted_in_on=on,
                     request_due_on=restoration.request_due_on)
