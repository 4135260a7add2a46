"""Intake rules (rulebook §2.1, §2.2, §4): when intake runs, when the letter is due, and the
checks of a contract against the agency, agent and offer it names.

The use case reads the agency, agent and offer rows as they stand and hands them over as the
plain facts below; :func:`intake_problems` returns every problem at once. Periods are
half-open ``[valid_from, valid_to)`` with ``None`` for "open-ended": a badge or offer ending
on day D is no longer valid on D. A mandate revoked on day R is not in force on R. Pure: no
clock, ``as_of`` is passed in.

Known limit: for an agent we only know the *current* status, so a badge suspended or revoked
today is reported even for a contract signed before the suspension (customer service decides).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from protocol.calendar import WorkingCalendar
from protocol.codes import AgencyStatus, AgentStatus, Channel
from protocol.field_errors import Problem
from protocol.ruleset import ConfirmationRules

__all__ = [
    "AGENCY_CHANNELS",
    "AgencyFacts",
    "AgentFacts",
    "IntakeFacts",
    "MandateFacts",
    "OfferFacts",
    "Problem",
    "confirmation_due_on",
    "intake_on",
    "intake_problems",
]

AGENCY_CHANNELS = frozenset({Channel.PHONE, Channel.DOOR_TO_DOOR, Channel.STAND})
"""Channels sold only through an agency (web and shop are direct); as in record_rules."""

_frozen = dataclass(frozen=True, kw_only=True, slots=True)


@_frozen
class AgentFacts:
    badge: str
    agency_code: str
    status: AgentStatus
    badge_valid_from: date
    badge_valid_to: date | None  # exclusive: valid while day < badge_valid_to


@_frozen
class MandateFacts:
    valid_from: date
    valid_to: date | None  # exclusive
    revoked_on: date | None  # not in force from this day on


@_frozen
class AgencyFacts:
    code: str
    status: AgencyStatus
    revoked_on: date | None
    mandates: tuple[MandateFacts, ...]


@_frozen
class OfferFacts:
    code: str
    valid_from: date
    valid_to: date | None  # exclusive


@_frozen
class IntakeFacts:
    """What intake knows of one contract: its own fields and the rows they name (None = not found)."""

    signed_on: date
    channel: Channel
    agency_code: str | None
    agent_badge: str | None
    agency: AgencyFacts | None
    agent: AgentFacts | None
    offer: OfferFacts | None
    offer_code: str


def intake_on(*, signed_on: date, calendar: WorkingCalendar) -> date:
    """Intake runs on the working day after signature (§2.1). Raises ``OutOfCalendarRangeError``."""
    return calendar.next_working_day(signed_on)


def confirmation_due_on(*, signed_on: date, rules: ConfirmationRules, calendar: WorkingCalendar) -> date:
    """Last day to send the confirmation letter: N working days after signature (§2.2)."""
    return calendar.add_working_days(signed_on, rules.deadline_working_days)


def _within(day: date, start: date, end: date | None) -> bool:
    return start <= day and (end is None or day < end)


def _period(start: date, end: date | None) -> str:
    return f"from {start.isoformat()}" + (f" until {end.isoformat()} (excluded)" if end else " with no end date")


def _mandate_end(mandate: MandateFacts) -> date | None:
    ends = [d for d in (mandate.valid_to, mandate.revoked_on) if d is not None]
    return min(ends) if ends else None


def _agency_problems(facts: IntakeFacts, agency: AgencyFacts) -> Iterator[Problem]:
    signed = facts.signed_on
    code = agency.code
    if agency.revoked_on is not None and agency.revoked_on <= signed:
        yield Problem(
            "agency_code",
            f"The contract was signed on {signed.isoformat()}, after agency {code}'s mandate was "
            f"revoked on {agency.revoked_on.isoformat()}.",
        )
        return  # the mandates end with the revocation: one reason is enough
    if agency.status is AgencyStatus.REVOKED and agency.revoked_on is None:
        yield Problem("agency_code", f"Agency {code}'s mandate is revoked (revocation date not recorded).")
        return
    if not any(_within(signed, m.valid_from, _mandate_end(m)) for m in agency.mandates):
        if agency.mandates:
            periods = "; ".join(_period(m.valid_from, _mandate_end(m)) for m in agency.mandates)
            yield Problem(
                "agency_code",
                f"Agency {code} had no mandate in force on {signed.isoformat()} (its mandates run {periods}).",
            )
        else:
            yield Problem("agency_code", f"Agency {code} has no mandate on record.")


def _agent_problems(facts: IntakeFacts, agent: AgentFacts) -> Iterator[Problem]:
    signed = facts.signed_on
    badge = agent.badge
    if facts.agency_code is not None and agent.agency_code != facts.agency_code:
        yield Problem(
            "agent_badge",
            f"Badge {badge} belongs to agency {agent.agency_code}, not to agency {facts.agency_code}.",
        )
    if agent.status is not AgentStatus.ACTIVE:
        yield Problem("agent_badge", f"Badge {badge} is {agent.status.value}, not active.")
    if not _within(signed, agent.badge_valid_from, agent.badge_valid_to):
        yield Problem(
            "agent_badge",
            f"Badge {badge} was not valid on {signed.isoformat()}: it is valid "
            f"{_period(agent.badge_valid_from, agent.badge_valid_to)}.",
        )


def _sale_problems(facts: IntakeFacts) -> Iterator[Problem]:
    channel_name = facts.channel.value.replace("_", "-")
    if facts.channel in AGENCY_CHANNELS:
        if facts.agency_code is None:
            yield Problem("agency_code", f"A {channel_name} sale goes through an agency, but no agency code is given.")
        if facts.agent_badge is None:
            yield Problem("agent_badge", f"A {channel_name} sale goes through an agent, but no badge is given.")
    elif facts.agent_badge is not None and facts.agency_code is None:
        yield Problem("agency_code", f"Badge {facts.agent_badge} is given without the code of its agency.")
    elif facts.agency_code is not None and facts.agent_badge is None:
        yield Problem("agent_badge", f"Agency {facts.agency_code} is given without the badge of the selling agent.")
    if facts.agency_code is not None:
        if facts.agency is None:
            yield Problem("agency_code", f"Agency code {facts.agency_code} is unknown.")
        else:
            yield from _agency_problems(facts, facts.agency)
    if facts.agent_badge is not None:
        if facts.agent is None:
            yield Problem("agent_badge", f"Badge {facts.agent_badge} is unknown.")
        else:
            yield from _agent_problems(facts, facts.agent)


def _offer_problems(facts: IntakeFacts) -> Iterator[Problem]:
    offer = facts.offer
    if offer is None:
        yield Problem("offer_code", f"Offer code {facts.offer_code} is unknown.")
    elif not _within(facts.signed_on, offer.valid_from, offer.valid_to):
        yield Problem(
            "offer_code",
            f"Offer {offer.code} was not on sale on {facts.signed_on.isoformat()}: it is valid "
            f"{_period(offer.valid_from, offer.valid_to)}.",
        )


def intake_problems(*, facts: IntakeFacts, as_of: date) -> tuple[Problem, ...]:
    """Every problem intake finds with the contract's signature, agency, agent and offer.

    Empty when the contract passes. Each problem names its field (``signed_on``,
    ``agency_code``, ``agent_badge``, ``offer_code``) and says why in a sentence with ISO
    dates. Agency and agent are checked on the signature date; the agent's status is the
    current one.
    """
    problems: list[Problem] = []
    if facts.signed_on > as_of:
        problems.append(Problem(
            "signed_on",
            f"The signature date {facts.signed_on.isoformat()} is in the future (today is {as_of.isoformat()}).",
        ))
    problems.extend(_sale_problems(facts))
    problems.extend(_offer_problems(facts))
    return tuple(problems)
