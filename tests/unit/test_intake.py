"""Intake (rulebook §2.1, §2.2, §4): its day, the confirmation deadline, and the checks of a
contract against its agency, agent, mandate and offer."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from protocol.calendar import WorkingCalendar
from protocol.codes import AgencyStatus, AgentStatus, Channel
from protocol.field_errors import Problem
from protocol.intake import (
    AgencyFacts,
    AgentFacts,
    IntakeFacts,
    MandateFacts,
    OfferFacts,
    confirmation_due_on,
    intake_on,
    intake_problems,
)
from protocol.ruleset import load_rule_set

D = dt.date
RULES = load_rule_set()
ITALY = WorkingCalendar()
SIGNED = D(2026, 4, 22)
AS_OF = D(2026, 4, 23)

MANDATE = MandateFacts(valid_from=D(2025, 1, 1), valid_to=None, revoked_on=None)
AGENCY = AgencyFacts(code="AG001", status=AgencyStatus.ACTIVE, revoked_on=None, mandates=(MANDATE,))
AGENT = AgentFacts(
    badge="B-0042", agency_code="AG001", status=AgentStatus.ACTIVE,
    badge_valid_from=D(2025, 6, 1), badge_valid_to=None,
)
OFFER = OfferFacts(code="LUCE-FISSA-24", valid_from=D(2026, 1, 1), valid_to=D(2026, 7, 1))
GOOD = IntakeFacts(
    signed_on=SIGNED, channel=Channel.DOOR_TO_DOOR, agency_code="AG001", agent_badge="B-0042",
    agency=AGENCY, agent=AGENT, offer=OFFER, offer_code="LUCE-FISSA-24",
)


def problems_of(**changes: object) -> tuple[Problem, ...]:
    return intake_problems(facts=dataclasses.replace(GOOD, **changes), as_of=AS_OF)


def fields_of(problems: tuple[Problem, ...]) -> list[str]:
    return [p.field for p in problems]


# -- days ------------------------------------------------------------------------------------


def test_intake_runs_the_working_day_after_signature() -> None:
    assert intake_on(signed_on=D(2026, 4, 22), calendar=ITALY) == D(2026, 4, 23)


def test_a_friday_signature_is_taken_in_on_monday() -> None:
    assert intake_on(signed_on=D(2026, 4, 24), calendar=ITALY) == D(2026, 4, 27)


def test_a_signature_on_the_eve_of_the_first_of_may_is_taken_in_after_the_long_weekend() -> None:
    # Thursday 30 April 2026; Friday 1 May is a holiday, then Saturday and Sunday.
    assert intake_on(signed_on=D(2026, 4, 30), calendar=ITALY) == D(2026, 5, 4)


def test_the_confirmation_letter_is_due_two_working_days_after_signature() -> None:
    assert confirmation_due_on(signed_on=D(2026, 4, 22), rules=RULES.confirmation, calendar=ITALY) == D(2026, 4, 24)


def test_the_confirmation_deadline_skips_the_first_of_may_and_the_weekend() -> None:
    # Thursday 30 April 2026: Mon 4 May is day 1, Tue 5 May day 2.
    assert confirmation_due_on(signed_on=D(2026, 4, 30), rules=RULES.confirmation, calendar=ITALY) == D(2026, 5, 5)


def test_the_confirmation_deadline_across_liberation_day_in_2025() -> None:
    # Thursday 24 April 2025; Friday 25 April is a holiday: Mon 28 (1), Tue 29 (2).
    assert confirmation_due_on(signed_on=D(2025, 4, 24), rules=RULES.confirmation, calendar=ITALY) == D(2025, 4, 29)


# -- checks ----------------------------------------------------------------------------------


def test_a_clean_agency_contract_has_no_problems() -> None:
    assert intake_problems(facts=GOOD, as_of=AS_OF) == ()


def test_a_web_sale_without_agency_or_badge_has_no_problems() -> None:
    assert problems_of(channel=Channel.WEB, agency_code=None, agent_badge=None, agency=None, agent=None) == ()


def test_a_contract_signed_in_the_future_is_flagged_with_both_dates() -> None:
    (problem,) = intake_problems(facts=dataclasses.replace(GOOD, signed_on=D(2026, 4, 24)), as_of=AS_OF)
    assert problem.field == "signed_on"
    assert "2026-04-24" in problem.reason and "2026-04-23" in problem.reason


def test_a_contract_signed_on_the_intake_day_itself_is_not_in_the_future() -> None:
    assert intake_problems(facts=GOOD, as_of=SIGNED) == ()


def test_an_unknown_agency_code_is_flagged() -> None:
    (problem,) = problems_of(agency=None)
    assert problem == Problem("agency_code", "Agency code AG001 is unknown.")


def test_an_unknown_badge_is_flagged() -> None:
    (problem,) = problems_of(agent=None)
    assert problem == Problem("agent_badge", "Badge B-0042 is unknown.")


def test_a_badge_of_another_agency_is_flagged() -> None:
    (problem,) = problems_of(agent=dataclasses.replace(AGENT, agency_code="AG999"))
    assert problem.field == "agent_badge"
    assert "belongs to agency AG999, not to agency AG001" in problem.reason


def test_a_suspended_badge_is_flagged() -> None:
    (problem,) = problems_of(agent=dataclasses.replace(AGENT, status=AgentStatus.SUSPENDED))
    assert problem == Problem("agent_badge", "Badge B-0042 is suspended, not active.")


def test_a_badge_issued_after_the_signature_is_flagged() -> None:
    (problem,) = problems_of(agent=dataclasses.replace(AGENT, badge_valid_from=D(2026, 4, 23)))
    assert problem.field == "agent_badge"
    assert "not valid on 2026-04-22" in problem.reason and "from 2026-04-23" in problem.reason


def test_a_badge_ending_on_the_signature_day_is_no_longer_valid() -> None:
    # Half-open [from, to): valid until 2026-04-22 excluded.
    (problem,) = problems_of(agent=dataclasses.replace(AGENT, badge_valid_to=SIGNED))
    assert problem.field == "agent_badge"
    assert problems_of(agent=dataclasses.replace(AGENT, badge_valid_to=D(2026, 4, 23))) == ()


def test_a_mandate_ended_before_the_signature_is_flagged() -> None:
    old = MandateFacts(valid_from=D(2025, 1, 1), valid_to=D(2026, 1, 1), revoked_on=None)
    (problem,) = problems_of(agency=dataclasses.replace(AGENCY, mandates=(old,)))
    assert problem.field == "agency_code"
    assert "no mandate in force on 2026-04-22" in problem.reason
    assert "from 2025-01-01 until 2026-01-01 (excluded)" in problem.reason


def test_a_mandate_revoked_on_the_signature_day_is_not_in_force_that_day() -> None:
    revoked = MandateFacts(valid_from=D(2025, 1, 1), valid_to=None, revoked_on=SIGNED)
    (problem,) = problems_of(agency=dataclasses.replace(AGENCY, mandates=(revoked,)))
    assert problem.field == "agency_code"
    revoked_next_day = dataclasses.replace(revoked, revoked_on=D(2026, 4, 23))
    assert problems_of(agency=dataclasses.replace(AGENCY, mandates=(revoked_next_day,))) == ()


def test_a_later_mandate_covers_a_signature_after_an_earlier_one_ended() -> None:
    first = MandateFacts(valid_from=D(2025, 1, 1), valid_to=D(2026, 1, 1), revoked_on=None)
    second = MandateFacts(valid_from=D(2026, 1, 1), valid_to=None, revoked_on=None)
    assert problems_of(agency=dataclasses.replace(AGENCY, mandates=(first, second))) == ()


def test_an_agency_without_mandates_is_flagged() -> None:
    (problem,) = problems_of(agency=dataclasses.replace(AGENCY, mandates=()))
    assert problem == Problem("agency_code", "Agency AG001 has no mandate on record.")


def test_a_contract_signed_after_the_agency_was_revoked_is_flagged_once() -> None:
    revoked = dataclasses.replace(
        AGENCY, status=AgencyStatus.REVOKED, revoked_on=D(2026, 4, 1),
        mandates=(MandateFacts(valid_from=D(2025, 1, 1), valid_to=None, revoked_on=D(2026, 4, 1)),),
    )
    (problem,) = problems_of(agency=revoked)
    assert problem.field == "agency_code"
    assert "signed on 2026-04-22, after agency AG001's mandate was revoked on 2026-04-01" in problem.reason


def test_a_contract_signed_before_the_agency_was_revoked_passes_intake() -> None:
    # It goes to 100% audit (§4), but intake has nothing against it.
    revoked_later = dataclasses.replace(AGENCY, status=AgencyStatus.REVOKED, revoked_on=D(2026, 4, 23))
    assert problems_of(agency=revoked_later) == ()


def test_an_agency_on_probation_or_warned_may_still_sell() -> None:
    assert problems_of(agency=dataclasses.replace(AGENCY, status=AgencyStatus.PROBATION)) == ()
    assert problems_of(agency=dataclasses.replace(AGENCY, status=AgencyStatus.WARNED)) == ()


def test_an_unknown_offer_is_flagged() -> None:
    (problem,) = problems_of(offer=None, offer_code="NOPE")
    assert problem == Problem("offer_code", "Offer code NOPE is unknown.")


def test_an_offer_withdrawn_from_sale_before_the_signature_is_flagged() -> None:
    (problem,) = problems_of(offer=dataclasses.replace(OFFER, valid_to=SIGNED))
    assert problem.field == "offer_code"
    assert "not on sale on 2026-04-22" in problem.reason


def test_a_phone_sale_without_agency_and_badge_is_flagged_on_both_fields() -> None:
    problems = problems_of(channel=Channel.PHONE, agency_code=None, agent_badge=None, agency=None, agent=None)
    assert fields_of(problems) == ["agency_code", "agent_badge"]


def test_a_badge_without_its_agency_is_flagged() -> None:
    problems = problems_of(channel=Channel.WEB, agency_code=None, agency=None)
    assert fields_of(problems) == ["agency_code"]


def test_every_problem_is_reported_at_once() -> None:
    problems = intake_problems(
        facts=dataclasses.replace(
            GOOD,
            signed_on=D(2026, 5, 2),
            agent=dataclasses.replace(AGENT, agency_code="AG999", status=AgentStatus.REVOKED),
            agency=dataclasses.replace(AGENCY, mandates=()),
            offer=None,
        ),
        as_of=AS_OF,
    )
    assert fields_of(problems) == ["signed_on", "agency_code", "agent_badge", "agent_badge", "offer_code"]
    assert all(p.reason.endswith(".") or p.reason.endswith(")") for p in problems)


@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2040, 12, 31)))
def test_intake_and_confirmation_fall_on_working_days_after_signature(signed_on: dt.date) -> None:
    intake = intake_on(signed_on=signed_on, calendar=ITALY)
    due = confirmation_due_on(signed_on=signed_on, rules=RULES.confirmation, calendar=ITALY)
    assert signed_on < intake <= due
    assert ITALY.is_working_day(intake) and ITALY.is_working_day(due)
    assert ITALY.working_days_between(signed_on, due) == RULES.confirmation.deadline_working_days
