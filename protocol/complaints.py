"""Disownment complaints: reply deadline and TIQV indemnity, TIRV time limits, the protocol's
€25 indemnity (rulebook §5, §7, §9).

Decisions taken here:

- **The reply deadline does not roll to a working day.** The 30 days are a TIQV service
  standard on the supplier's own act, counted in calendar days (*giorni solari*), and the
  automatic indemnity is owed for a reply later than that; rolling the deadline (the §9
  default, meant for the customer's acts) would show a due date after the day from which
  the indemnity is owed. So ``reply_due_on`` is exactly ``reply_calendar_days`` after receipt,
  and a reply on day 31, 61 and 91 after receipt earns exactly one indemnity of €25, €50
  and €75 (a single amount, the highest tier reached, never a sum of tiers).
- **TIRV limits are the customer's acts**, so they roll to a working day per the calendar's
  rule (§9 default: they do). Without a calendar, the national calendar rolls them.
- A domestic customer with no bill yet is in time (the 40 days have not started); a
  non-domestic customer whose date of learning of the contract is unknown is in time too
  (lateness cannot be proven against them).

Pure: no clock. Every function takes its dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from protocol.calendar import WorkingCalendar
from protocol.codes import CustomerKind
from protocol.errors import SentinellaError
from protocol.ruleset import DayKind, DisownmentRules, ProtocolIndemnityRules, RuleSet, TirvRules

__all__ = [
    "ComplaintInputError",
    "TirvCheck",
    "late_reply_indemnity",
    "protocol_indemnity_due",
    "reply_days",
    "reply_due_on",
    "tirv_in_time",
]

ZERO = Decimal("0.00")


class ComplaintInputError(SentinellaError, ValueError):
    """Dates given to a complaint rule contradict each other (replied before received), or a count is negative."""


@dataclass(frozen=True, kw_only=True, slots=True)
class TirvCheck:
    in_time: bool
    limit: date | None  # last day a complaint is in time; None when the limit has not started
    reason: str  # one English sentence for the decision record


def _disownment(rules: DisownmentRules | RuleSet) -> DisownmentRules:
    return rules.disownment if isinstance(rules, RuleSet) else rules


def reply_due_on(*, received_on: date, rules: DisownmentRules | RuleSet, calendar: WorkingCalendar) -> date:
    """Last day for the reasoned reply: ``reply_calendar_days`` after receipt, never rolled.

    Raises ``OutOfCalendarRangeError``.
    """
    days = _disownment(rules).reply_calendar_days
    return calendar.window_end(start=received_on, days=days, kind=DayKind.CALENDAR, roll_to_working_day=False)


def reply_days(*, received_on: date, replied_on: date) -> int:
    """Calendar days from receipt to reply (receipt day not counted). Raises ``ComplaintInputError``."""
    if replied_on < received_on:
        raise ComplaintInputError(f"replied on {replied_on}, before the complaint was received on {received_on}")
    return (replied_on - received_on).days


def late_reply_indemnity(*, received_on: date, replied_on: date, rules: DisownmentRules | RuleSet) -> Decimal:
    """The TIQV automatic indemnity for this reply: 0 in time, else the highest tier whose
    multiple of the standard the reply went beyond (defaults €25 / €50 / €75 beyond 30 / 60 /
    90 days). Raises ``ComplaintInputError`` when the reply predates receipt.
    """
    section = _disownment(rules)
    days = reply_days(received_on=received_on, replied_on=replied_on)
    owed = [t.amount_eur for t in section.late_reply_indemnity
            if days > t.late_beyond_multiple_of_standard * section.reply_calendar_days]
    return max(owed, default=ZERO)


@cache
def _national() -> WorkingCalendar:
    """Italian national holidays, calendar-day deadlines rolled (§9 default); built once."""
    return WorkingCalendar()


def tirv_in_time(
    *,
    customer_kind: CustomerKind,
    complaint_on: date,
    first_bill_issued_on: date | None,
    learned_of_contract_on: date | None,
    rules: TirvRules | RuleSet,
    calendar: WorkingCalendar | None = None,
) -> TirvCheck:
    """Whether a complaint meets the TIRV time limit, so restoration is owed (§5).

    Domestic: within ``domestic_complaint_calendar_days`` of the first bill's issue date.
    Everyone else: within ``non_domestic_complaint_calendar_days`` of learning of the contract.
    ``complaint_on`` is the date that counts (sent or received, §9). Raises
    ``OutOfCalendarRangeError``.
    """
    section = rules.tirv if isinstance(rules, RuleSet) else rules
    calendar = calendar or _national()
    if CustomerKind(customer_kind) is CustomerKind.DOMESTIC:
        start, days, what = first_bill_issued_on, section.domestic_complaint_calendar_days, "the first bill's issue"
        if start is None:
            return TirvCheck(in_time=True, limit=None, reason="no bill issued yet: the TIRV limit has not started")
    else:
        start, days = learned_of_contract_on, section.non_domestic_complaint_calendar_days
        what = "learning of the contract"
        if start is None:
            return TirvCheck(
                in_time=True, limit=None, reason="date of learning of the contract unknown: lateness cannot be proven"
            )
    limit = calendar.window_end(start=start, days=days, kind=DayKind.CALENDAR)
    in_time = complaint_on <= limit
    verdict = "in time" if in_time else "late: restoration is not owed"
    return TirvCheck(
        in_time=in_time, limit=limit,
        reason=f"complaint of {complaint_on} against a limit of {limit}"
        f" ({days} days from {what} on {start}): {verdict}",
    )


def protocol_indemnity_due(
    *,
    in_scope: bool,
    accepted: bool,
    activation_stoppable: bool,
    bills_issued: int,
    rules: ProtocolIndemnityRules | RuleSet,
) -> Decimal | None:
    """The protocol's indemnity (art. 8, §7) when all hold: in 153/2012 scope, disownment
    accepted, activation no longer stoppable, at least one bill issued; else None.

    Raises ``ComplaintInputError`` for a negative ``bills_issued``.
    """
    if isinstance(bills_issued, bool) or not isinstance(bills_issued, int) or bills_issued < 0:
        raise ComplaintInputError(f"bills_issued must be a non-negative integer, got {bills_issued!r}")
    section = rules.protocol_indemnity if isinstance(rules, RuleSet) else rules
    if in_scope and accepted and not activation_stoppable and bills_issued >= 1:
        return section.amount_eur
    return None
