"""Escalation against an agency (rulebook §4): warning, corrective plan, revocation."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agencies.escalation import (
    AgencyStanding,
    CorrectivePlanFacts,
    EscalationAction,
    EscalationDecision,
    InvalidStanding,
    decide_escalation,
    missed_plans,
    quarter_of,
    serious_in_quarter,
)
from protocol.calendar import WorkingCalendar
from protocol.codes import AgencyStatus, NonconformityType
from protocol.ruleset import load_rule_set

D = dt.date
RULES = load_rule_set().escalation
AS_OF = D(2026, 5, 4)  # a Monday in Q2 2026
NONE, WARNING, REVOCATION = EscalationAction.NONE, EscalationAction.WARNING, EscalationAction.REVOCATION


def standing(**changes) -> AgencyStanding:
    base = dict(code="AG001", status=AgencyStatus.ACTIVE, serious_this_quarter=1, forged=False, open_plans=(),
                warned_this_quarter=False)
    return AgencyStanding(**(base | changes))


def decide(as_of: dt.date = AS_OF, rules=RULES, **changes) -> EscalationDecision:
    return decide_escalation(standing=standing(**changes), as_of=as_of, rules=rules)


def test_a_first_serious_nonconformity_changes_nothing():
    assert decide(serious_this_quarter=1).action is NONE


def test_a_second_serious_nonconformity_brings_a_warning_with_a_plan_due_thirty_days_later():
    decision = decide(serious_this_quarter=2)
    assert decision.action is WARNING
    assert decision.plan_due_on == D(2026, 6, 3)
    assert "2026-Q2" in decision.reason and "2026-06-03" in decision.reason


def test_an_agency_already_warned_this_quarter_is_not_warned_again():
    assert decide(serious_this_quarter=2, warned_this_quarter=True) == EscalationDecision(
        action=NONE, reason="2 serious nonconformities in 2026-Q2", plan_due_on=None
    )


@pytest.mark.parametrize("warned", [False, True])
def test_a_third_serious_nonconformity_revokes_the_mandate_for_just_cause(warned):
    decision = decide(serious_this_quarter=3, warned_this_quarter=warned)
    assert (decision.action, decision.plan_due_on) == (REVOCATION, None)
    assert "just cause" in decision.reason


def test_a_forgery_on_the_first_nonconformity_revokes_at_once():
    decision = decide(serious_this_quarter=1, forged=True)
    assert decision.action is REVOCATION and "forged_contract" in decision.reason


def test_a_forgery_named_by_its_type_revokes_at_once_too():
    assert decide(new_nonconformity="forged_contract").action is REVOCATION


def test_a_forgery_is_not_immediate_when_the_rules_say_otherwise():
    rules = dataclasses.replace(RULES, immediate_revocation_on=frozenset())
    assert decide(rules=rules, forged=True).action is NONE


def test_a_corrective_plan_not_delivered_by_its_due_day_revokes_the_mandate():
    plan = CorrectivePlanFacts(opened_on=D(2026, 4, 1), due_on=D(2026, 5, 1))
    decision = decide(open_plans=(plan,), serious_this_quarter=0)
    assert decision.action is REVOCATION and "2026-05-01" in decision.reason


def test_a_plan_is_in_time_on_its_due_day():
    plan = CorrectivePlanFacts(opened_on=D(2026, 4, 4), due_on=AS_OF)
    assert decide(open_plans=(plan,)).action is NONE
    assert decide(as_of=AS_OF + dt.timedelta(days=1), open_plans=(plan,)).action is REVOCATION


def test_a_plan_delivered_on_time_is_not_missed_and_one_delivered_late_is():
    on_time = CorrectivePlanFacts(opened_on=D(2026, 3, 1), due_on=D(2026, 3, 31), delivered_on=D(2026, 3, 31))
    late = CorrectivePlanFacts(opened_on=D(2026, 3, 1), due_on=D(2026, 3, 31), delivered_on=D(2026, 4, 2))
    assert missed_plans(plans=[on_time, late], as_of=AS_OF) == (late,)


def test_a_missed_plan_does_not_revoke_when_the_rules_say_so():
    rules = dataclasses.replace(RULES, revoke_on_missed_corrective_plan=False)
    plan = CorrectivePlanFacts(opened_on=D(2026, 4, 1), due_on=D(2026, 5, 1))
    assert decide(rules=rules, open_plans=(plan,)).action is NONE


@given(st.integers(0, 10), st.booleans(), st.booleans())
def test_an_already_revoked_agency_gets_no_further_action(count, forged, warned):
    plan = CorrectivePlanFacts(opened_on=D(2026, 1, 1), due_on=D(2026, 1, 31))
    decision = decide(status=AgencyStatus.REVOKED, serious_this_quarter=count, forged=forged,
                      warned_this_quarter=warned, open_plans=(plan,))
    assert decision.action is NONE


@given(st.integers(0, 10), st.booleans())
def test_the_decision_follows_the_count_thresholds(count, warned):
    action = decide(serious_this_quarter=count, warned_this_quarter=warned).action
    expected = REVOCATION if count >= 3 else WARNING if count == 2 and not warned else NONE
    assert action is expected


def test_quarters_roll_over_on_the_first_of_april():
    assert quarter_of(D(2026, 3, 31)) == (D(2026, 1, 1), D(2026, 4, 1))
    assert quarter_of(D(2026, 4, 1)) == (D(2026, 4, 1), D(2026, 7, 1))
    march = [D(2026, 3, 10), D(2026, 3, 31)]
    assert serious_in_quarter(occurred_on=march, as_of=D(2026, 3, 31)) == 2
    assert serious_in_quarter(occurred_on=[*march, D(2026, 4, 1)], as_of=D(2026, 4, 1)) == 1
    assert decide(as_of=D(2026, 4, 1), serious_this_quarter=1).action is NONE


def test_the_last_quarter_ends_on_the_first_of_january_of_the_next_year():
    assert quarter_of(D(2026, 12, 31)) == (D(2026, 10, 1), D(2027, 1, 1))


def test_with_a_calendar_a_plan_due_on_a_holiday_moves_to_the_next_working_day():
    # 3 May 2026 + 30 days = Tue 2 June, Festa della Repubblica => Wed 3 June.
    decision = decide_escalation(standing=standing(serious_this_quarter=2), as_of=D(2026, 5, 3), rules=RULES,
                                 calendar=WorkingCalendar())
    assert decision.plan_due_on == D(2026, 6, 3)
    assert decide(as_of=D(2026, 5, 3), serious_this_quarter=2).plan_due_on == D(2026, 6, 2)


def test_a_plan_due_before_it_opened_is_refused():
    with pytest.raises(InvalidStanding):
        CorrectivePlanFacts(opened_on=D(2026, 4, 1), due_on=D(2026, 3, 1))


def test_facts_after_the_decision_day_are_refused():
    future = CorrectivePlanFacts(opened_on=D(2026, 4, 1), due_on=D(2026, 5, 1), delivered_on=D(2026, 5, 10))
    with pytest.raises(InvalidStanding):
        decide(open_plans=(future,))


@pytest.mark.parametrize("change", [dict(serious_this_quarter=-1), dict(status="asleep"),
                                    dict(new_nonconformity="rude_agent"), dict(serious_this_quarter=True)])
def test_an_impossible_standing_is_refused(change):
    with pytest.raises(InvalidStanding):
        standing(**change)


def test_a_new_nonconformity_given_as_a_string_is_read_as_its_type():
    assert standing(new_nonconformity="missing_documents").new_nonconformity is NonconformityType.MISSING_DOCUMENTS
