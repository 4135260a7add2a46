"""Escalation against an agency (rulebook §4) as a pure decision, taken after each new
nonconformity or on a daily sweep of corrective plans.

In order of precedence, for an agency not already revoked:

1. the new nonconformity is of a type in ``immediate_revocation_on`` (forgery) -> revocation;
2. ``revocation_serious_per_quarter`` (3) serious nonconformities in the calendar quarter
   -> revocation for just cause (giusta causa);
3. a corrective plan missed (not delivered by its due date, or delivered after it) and
   ``revoke_on_missed_corrective_plan`` -> revocation;
4. ``warning_serious_per_quarter`` (2) serious in the quarter and no warning yet this
   quarter -> formal warning with a corrective plan due ``corrective_plan_calendar_days``
   (30) calendar days after ``as_of`` (rolled to a working day only when a calendar is given);
5. otherwise none. A revoked agency always gets none.

Quarters are calendar quarters, half-open: counts restart on 1 January, 1 April, 1 July and
1 October. Pure: no clock; every function takes ``as_of``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from agencies.errors import InvalidStanding
from agencies.periods import quarter_label, quarter_of
from protocol.calendar import WorkingCalendar
from protocol.codes import AgencyStatus, NonconformityType
from protocol.ruleset import DayKind, EscalationRules

__all__ = [
    "AgencyStanding",
    "CorrectivePlanFacts",
    "EscalationAction",
    "EscalationDecision",
    "InvalidStanding",
    "decide_escalation",
    "missed_plans",
    "quarter_of",
    "serious_in_quarter",
]

_frozen = dataclass(frozen=True, kw_only=True, slots=True)


class EscalationAction(StrEnum):
    NONE = "none"
    WARNING = "warning"
    REVOCATION = "revocation"


@_frozen
class CorrectivePlanFacts:
    """Raises ``InvalidStanding`` when the plan is due, or delivered, before it was opened."""

    opened_on: date
    due_on: date  # the last day on which delivery is in time
    delivered_on: date | None = None

    def __post_init__(self) -> None:
        if self.due_on < self.opened_on:
            raise InvalidStanding(f"corrective plan due on {self.due_on}, before it opened on {self.opened_on}")
        if self.delivered_on is not None and self.delivered_on < self.opened_on:
            raise InvalidStanding(
                f"corrective plan delivered on {self.delivered_on}, before it opened on {self.opened_on}"
            )

    def missed(self, *, as_of: date) -> bool:
        """Not delivered and ``as_of`` is past the due day, or delivered after the due day."""
        if self.delivered_on is None:
            return as_of > self.due_on
        return self.delivered_on > self.due_on


@_frozen
class AgencyStanding:
    """An agency's record at the moment of the decision.

    Raises ``InvalidStanding`` for an unknown status or nonconformity type, or a negative count.
    """

    code: str
    status: AgencyStatus
    serious_this_quarter: int  # serious nonconformities in as_of's quarter, the new one included
    forged: bool  # the new nonconformity is a forgery
    open_plans: tuple[CorrectivePlanFacts, ...]
    warned_this_quarter: bool
    new_nonconformity: NonconformityType | None = None  # the new one's type, when there is one

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "status", AgencyStatus(self.status))
        except ValueError:
            raise InvalidStanding(f"agency {self.code}: unknown status {self.status!r}") from None
        if self.new_nonconformity is not None:
            try:
                object.__setattr__(self, "new_nonconformity", NonconformityType(self.new_nonconformity))
            except ValueError:
                raise InvalidStanding(f"agency {self.code}: unknown nonconformity {self.new_nonconformity!r}") from None
        object.__setattr__(self, "open_plans", tuple(self.open_plans))
        if isinstance(self.serious_this_quarter, bool) or not isinstance(self.serious_this_quarter, int) \
                or self.serious_this_quarter < 0:
            raise InvalidStanding(f"agency {self.code}: serious_this_quarter must be an integer >= 0")


@_frozen
class EscalationDecision:
    action: EscalationAction
    reason: str
    plan_due_on: date | None  # set for a warning: the corrective plan's due day


def missed_plans(*, plans: Iterable[CorrectivePlanFacts], as_of: date) -> tuple[CorrectivePlanFacts, ...]:
    """The plans missed as of ``as_of`` (see ``CorrectivePlanFacts.missed``), in the given order.

    Raises ``InvalidStanding`` for a plan opened or delivered after ``as_of`` (a future fact).
    """
    plans = tuple(plans)
    for plan in plans:
        if plan.opened_on > as_of or (plan.delivered_on is not None and plan.delivered_on > as_of):
            raise InvalidStanding(f"corrective plan {plan} holds a date after as_of {as_of}")
    return tuple(plan for plan in plans if plan.missed(as_of=as_of))


def serious_in_quarter(*, occurred_on: Iterable[date], as_of: date) -> int:
    """How many of the ``occurred_on`` days fall in ``as_of``'s quarter, up to ``as_of`` included."""
    start, _ = quarter_of(as_of)
    return sum(1 for day in occurred_on if start <= day <= as_of)


def _immediate(standing: AgencyStanding, rules: EscalationRules) -> NonconformityType | None:
    if standing.new_nonconformity is not None and standing.new_nonconformity in rules.immediate_revocation_on:
        return standing.new_nonconformity
    if standing.forged and NonconformityType.FORGED_CONTRACT in rules.immediate_revocation_on:
        return NonconformityType.FORGED_CONTRACT
    return None


def decide_escalation(
    *, standing: AgencyStanding, as_of: date, rules: EscalationRules, calendar: WorkingCalendar | None = None
) -> EscalationDecision:
    """What to do with the agency as of ``as_of`` (see the module docstring for the order).

    ``calendar``, when given, rolls the plan's due day per its calendar-deadline rule (§9).
    Raises ``InvalidStanding`` for plans holding dates after ``as_of``; with a calendar,
    ``protocol.calendar.OutOfCalendarRangeError``.
    """
    missed = missed_plans(plans=standing.open_plans, as_of=as_of)
    count = standing.serious_this_quarter
    quarter = quarter_label(as_of)
    if standing.status is AgencyStatus.REVOKED:
        return EscalationDecision(action=EscalationAction.NONE, reason="mandate already revoked", plan_due_on=None)
    if (kind := _immediate(standing, rules)) is not None:
        return _revoke(f"immediate revocation on a {kind} nonconformity")
    if count >= rules.revocation_serious_per_quarter:
        return _revoke(
            f"revocation for just cause: {count} serious nonconformities in {quarter}"
            f" (limit {rules.revocation_serious_per_quarter})"
        )
    if missed and rules.revoke_on_missed_corrective_plan:
        due = ", ".join(str(plan.due_on) for plan in missed)
        return _revoke(f"revocation for just cause: corrective plan due on {due} missed")
    if count >= rules.warning_serious_per_quarter and not standing.warned_this_quarter:
        days = rules.corrective_plan_calendar_days
        if calendar is None:
            due_on = as_of + timedelta(days=days)
        else:
            due_on = calendar.window_end(start=as_of, days=days, kind=DayKind.CALENDAR)
        return EscalationDecision(
            action=EscalationAction.WARNING,
            reason=f"formal warning: {count} serious nonconformities in {quarter};"
            f" corrective plan due in {days} calendar days, on {due_on}",
            plan_due_on=due_on,
        )
    return EscalationDecision(
        action=EscalationAction.NONE, reason=f"{count} serious nonconformities in {quarter}", plan_due_on=None
    )


def _revoke(reason: str) -> EscalationDecision:
    return EscalationDecision(action=EscalationAction.REVOCATION, reason=reason, plan_due_on=None)
