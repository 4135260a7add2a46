"""The right of withdrawal (ripensamento, rulebook §2.3 and §9): windows and decisions.

- The statutory window is ``statutory_days`` working or calendar days from conclusion
  (the signature day not counted); a calendar-day end on a non-working day rolls to the next
  working day when the calendar says so.
- Hera's extension: the right lasts until the point of no return when that is later.
- The date that counts is the sending date when the channel proves it (raccomandata, e-mail,
  fax) and it is known, else the receipt date.
- A withdrawal in time whose switch can no longer be revoked (early execution, or a postmarked
  act sent by the point of no return and received after it) still withdraws the contract: the
  supply point returns to the previous supplier through the restoration channel (§9).

Pure: no clock. Every function takes its dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from protocol.calendar import WorkingCalendar
from protocol.codes import Channel, ContractState, CustomerKind, RequestChannel
from protocol.errors import SentinellaError
from protocol.intake import intake_on
from protocol.lifecycle import TERMINAL_STATES, ImpossibleDates, activation_stoppable
from protocol.ruleset import CoolingOffRules, CustomerGroup, RequestField, RuleSet, SwitchingRules, WithdrawalChannel
from protocol.switching import is_revocable, plan_switch, point_of_no_return

__all__ = [
    "ImpossibleDates",
    "UnknownRequestField",
    "WithdrawalContract",
    "WithdrawalDecision",
    "WithdrawalOutcome",
    "WithdrawalRequest",
    "WithdrawalWindow",
    "accepted_channels",
    "counted_on",
    "customer_group",
    "decide_withdrawal",
    "statutory_window_end",
    "withdrawal_deadline",
]

_frozen = dataclass(frozen=True, kw_only=True, slots=True)


class UnknownRequestField(SentinellaError, ValueError):
    """A missing-field name is not one of the request fields the rule set knows."""


class WithdrawalOutcome(StrEnum):
    IN_TIME = "in_time"
    TOO_LATE = "too_late"
    INCOMPLETE = "incomplete"
    CHANNEL_NOT_ACCEPTED = "channel_not_accepted"
    NOT_COVERED = "not_covered"
    NOT_WITHDRAWABLE = "not_withdrawable"


@_frozen
class WithdrawalWindow:
    statutory_end: date  # last day of the statutory window (an act on it is in time)
    deadline: date  # last day a withdrawal is in time: the later of statutory end and PNR
    extended_to_point_of_no_return: bool  # the deadline is the point of no return
    covered: bool  # False: an on-premises contract and the rules do not cover those
    point_of_no_return: date | None = None  # the PNR the window was computed with


@_frozen
class WithdrawalRequest:
    sent_on: date | None
    received_on: date
    channel: RequestChannel
    customer_kind: CustomerKind
    missing_fields: frozenset[str]  # RequestField values the request lacks


@_frozen
class WithdrawalContract:
    signed_on: date
    channel: Channel
    early_execution: bool
    state: ContractState
    switch_requested: bool  # a switch request has been filed (and not revoked)
    point_of_no_return: date | None  # of the filed switch, else of the planned one, else None
    switch_date: date | None


@_frozen
class WithdrawalDecision:
    outcome: WithdrawalOutcome
    counted_on: date
    window: WithdrawalWindow
    revoke_switch: bool  # in time, and the filed switch can still be revoked: revoke it
    return_via_restoration: bool  # in time, but the switch can no longer be stopped (§9)
    missing_fields: frozenset[RequestField]  # required fields the request lacks
    reason: str  # one English sentence (or two) for the letter and the event
    counted_on_sending_date: bool = False  # counted_on is the proven sending date
    new_state: ContractState | None = None  # WITHDRAWN when in time, else None (no change)


def _cooling(rules: CoolingOffRules | RuleSet) -> CoolingOffRules:
    return rules.cooling_off if isinstance(rules, RuleSet) else rules


def statutory_window_end(*, signed_on: date, rules: CoolingOffRules | RuleSet, calendar: WorkingCalendar) -> date:
    """Last day of the statutory window: ``statutory_days`` (working or calendar) days after
    ``signed_on``, signature day not counted, calendar-day ends rolled per the calendar.

    Raises ``OutOfCalendarRangeError``.
    """
    section = _cooling(rules)
    return calendar.window_end(start=signed_on, days=section.statutory_days, kind=section.day_kind)


def withdrawal_deadline(
    *,
    signed_on: date,
    channel: Channel,
    point_of_no_return: date | None,
    rules: CoolingOffRules | RuleSet,
    calendar: WorkingCalendar,
) -> WithdrawalWindow:
    """The withdrawal window of a contract: statutory end, and the later point of no return
    when the rules extend the right to it (``None``: no switch planned, no extension)."""
    section = _cooling(rules)
    statutory_end = statutory_window_end(signed_on=signed_on, rules=section, calendar=calendar)
    deadline = statutory_end
    if section.extend_to_point_of_no_return and point_of_no_return is not None:
        deadline = max(statutory_end, point_of_no_return)
    return WithdrawalWindow(
        statutory_end=statutory_end,
        deadline=deadline,
        extended_to_point_of_no_return=deadline > statutory_end,
        covered=section.on_premises_covered or not Channel(channel).on_premises,
        point_of_no_return=point_of_no_return,
    )


def counted_on(*, sent_on: date | None, received_on: date, channel: RequestChannel) -> date:
    """The date a customer's act counts from (§9): sent when the channel proves it, else received.

    Raises ``ImpossibleDates`` when ``sent_on`` is after ``received_on``.
    """
    if sent_on is not None and sent_on > received_on:
        raise ImpossibleDates(f"sent on {sent_on.isoformat()}, after it was received on {received_on.isoformat()}")
    if sent_on is not None and RequestChannel(channel).proves_sending_date:
        return sent_on
    return received_on


def customer_group(kind: CustomerKind) -> CustomerGroup:
    """Domestic customers are their own group; every other kind is non-domestic."""
    return CustomerGroup.DOMESTIC if CustomerKind(kind) is CustomerKind.DOMESTIC else CustomerGroup.NON_DOMESTIC


def accepted_channels(*, customer_kind: CustomerKind, rules: CoolingOffRules | RuleSet) -> frozenset[WithdrawalChannel]:
    """The channels a withdrawal from this kind of customer may use (raccomandata always)."""
    return _cooling(rules).channels.get(customer_group(customer_kind), frozenset({WithdrawalChannel.RACCOMANDATA}))


def _missing(request: WithdrawalRequest, section: CoolingOffRules) -> frozenset[RequestField]:
    known = {f.value for f in RequestField}
    unknown = sorted(set(request.missing_fields) - known)
    if unknown:
        raise UnknownRequestField(
            f"unknown request field(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
    return frozenset(RequestField(f) for f in request.missing_fields) & section.required_request_fields


def _effective_pnr(contract: WithdrawalContract, section: CoolingOffRules, switching: SwitchingRules | None,
                   calendar: WorkingCalendar) -> date | None:
    """The contract's PNR; else the one of its switch date; else the planned one."""
    if contract.point_of_no_return is not None:
        return contract.point_of_no_return
    if switching is None:
        return None
    if contract.switch_date is not None:
        return point_of_no_return(switch_date=contract.switch_date, rules=switching)
    plan = plan_switch(
        signed_on=contract.signed_on,
        early_execution=contract.early_execution,
        intake_on=intake_on(signed_on=contract.signed_on, calendar=calendar),
        statutory_window_end=statutory_window_end(signed_on=contract.signed_on, rules=section, calendar=calendar),
        calendar=calendar,
        rules=switching,
    )
    return plan.point_of_no_return


def _channel_list(channels: frozenset[WithdrawalChannel]) -> str:
    order = list(WithdrawalChannel)
    return ", ".join(c.value for c in sorted(channels, key=order.index))


def decide_withdrawal(
    *,
    request: WithdrawalRequest,
    contract: WithdrawalContract,
    rules: CoolingOffRules | RuleSet,
    calendar: WorkingCalendar,
    switching: SwitchingRules | None = None,
    as_of: date | None = None,
) -> WithdrawalDecision:
    """Decide a withdrawal request against its contract (§2.3, §9).

    Checks in order: the contract has ended (``not_withdrawable``); the request lacks required
    fields (``incomplete``: kept, re-run once completed); the channel is not accepted for the
    customer's kind (``channel_not_accepted``); an on-premises contract not covered
    (``not_covered``); then ``in_time`` or ``too_late`` against the deadline.

    ``rules`` is the rule set or its ``cooling_off`` section; ``switching`` defaults to the
    rule set's section. ``as_of`` is the day the decision is taken (default: the receipt
    day): a filed switch can be revoked only if the contract is not yet ``irrevocable`` /
    ``active`` and ``as_of`` is not after the point of no return. A contract without a
    point of no return gets the one of its switch date, else the planned one
    (:func:`protocol.switching.plan_switch`), when switching rules are known.

    Raises ``ImpossibleDates`` (sent after received, received before signature, as_of before
    receipt), ``UnknownRequestField``, ``OutOfCalendarRangeError``.
    """
    section = _cooling(rules)
    if switching is None and isinstance(rules, RuleSet):
        switching = rules.switching
    counted = counted_on(sent_on=request.sent_on, received_on=request.received_on, channel=request.channel)
    decided_on = request.received_on if as_of is None else as_of
    _check_dates(request, contract, counted=counted, decided_on=decided_on)
    pnr = _effective_pnr(contract, section, switching, calendar)
    window = withdrawal_deadline(
        signed_on=contract.signed_on, channel=contract.channel, point_of_no_return=pnr, rules=section, calendar=calendar
    )
    missing = _missing(request, section)
    by_sending = request.sent_on is not None and RequestChannel(request.channel).proves_sending_date
    refusal = _refusal(
        request, contract, section, window=window, missing=missing, counted=counted, by_sending=by_sending
    )
    revoke = restore = False
    if refusal is not None:
        outcome, reason = refusal
    else:
        outcome = WithdrawalOutcome.IN_TIME
        revoke, restore = _switch_effects(contract, pnr=pnr, decided_on=decided_on, switching=switching)
        reason = _in_time_reason(counted=counted, by_sending=by_sending, window=window, revoke=revoke, restore=restore)
    return WithdrawalDecision(
        outcome=outcome, counted_on=counted, window=window, revoke_switch=revoke, return_via_restoration=restore,
        missing_fields=missing, reason=reason, counted_on_sending_date=by_sending,
        new_state=ContractState.WITHDRAWN if outcome is WithdrawalOutcome.IN_TIME else None,
    )


def _check_dates(request: WithdrawalRequest, contract: WithdrawalContract, *, counted: date, decided_on: date) -> None:
    signed = contract.signed_on
    if counted < signed or request.received_on < signed:
        raise ImpossibleDates(
            f"a withdrawal counted on {counted.isoformat()} precedes the signature on {signed.isoformat()}"
        )
    if decided_on < request.received_on:
        raise ImpossibleDates(
            f"a decision on {decided_on.isoformat()} precedes the receipt on {request.received_on.isoformat()}"
        )


def _refusal(
    request: WithdrawalRequest, contract: WithdrawalContract, section: CoolingOffRules, *,
    window: WithdrawalWindow, missing: frozenset[RequestField], counted: date, by_sending: bool,
) -> tuple[WithdrawalOutcome, str] | None:
    """The first reason, in the rulebook's order, not to withdraw the contract; None: in time."""
    state = ContractState(contract.state)
    if state in TERMINAL_STATES:
        return WithdrawalOutcome.NOT_WITHDRAWABLE, (
            f"The contract has already ended (state '{state}'): there is nothing left to withdraw.")
    if missing:
        names = ", ".join(f.value.replace("_", " ") for f in sorted(missing))
        return WithdrawalOutcome.INCOMPLETE, (
            f"The withdrawal request lacks: {names}. Customer service must complete it; it keeps the "
            f"date {counted.isoformat()}.")
    accepted = accepted_channels(customer_kind=request.customer_kind, rules=section)
    channel = RequestChannel(request.channel)
    if channel.value not in {c.value for c in accepted}:
        kind = CustomerKind(request.customer_kind).value.replace("_", " ")
        return WithdrawalOutcome.CHANNEL_NOT_ACCEPTED, (
            f"A withdrawal by {channel.value} is not accepted from a {kind} customer; "
            f"accepted: {_channel_list(accepted)}.")
    if not window.covered:
        return WithdrawalOutcome.NOT_COVERED, (
            f"The contract was concluded on the supplier's premises ({Channel(contract.channel).value}), "
            "where the right of withdrawal does not apply.")
    if counted > window.deadline:
        how = "sent" if by_sending else "received"
        which = "the point of no return" if window.extended_to_point_of_no_return else "the end of the statutory window"
        return WithdrawalOutcome.TOO_LATE, (
            f"The withdrawal was {how} on {counted.isoformat()}, after the deadline of "
            f"{window.deadline.isoformat()} ({which}): it is not a withdrawal. Customer service may treat "
            "it as a termination (recesso) or, if the customer says so, as a disownment.")
    return None


def _switch_effects(
    contract: WithdrawalContract, *, pnr: date | None, decided_on: date, switching: SwitchingRules | None
) -> tuple[bool, bool]:
    """(revoke the switch, return the supply via restoration) for a withdrawal in time."""
    state = ContractState(contract.state)
    filed = contract.switch_requested or state in (
        ContractState.SWITCH_REQUESTED, ContractState.IRREVOCABLE, ContractState.ACTIVE)
    if not filed:
        return False, False
    stoppable = activation_stoppable(state=state)
    if stoppable and pnr is not None:
        if switching is not None:
            stoppable = is_revocable(point_of_no_return=pnr, on=decided_on, rules=switching)
        else:
            stoppable = decided_on <= pnr
    return stoppable, not stoppable


def _in_time_reason(*, counted: date, by_sending: bool, window: WithdrawalWindow, revoke: bool, restore: bool) -> str:
    how = "sent" if by_sending else "received"
    reason = (f"The withdrawal was {how} on {counted.isoformat()}, within the deadline of "
              f"{window.deadline.isoformat()}: the contract is withdrawn at no cost")
    if revoke:
        return reason + " and the switch request is revoked."
    if restore:
        return reason + (". The switch can no longer be stopped: the supply point returns to the previous "
                         "supplier through the restoration channel at the first useful date, and only the "
                         "energy actually supplied is billed, at the contract's prices.")
    return reason + "; no switch request will be filed."
