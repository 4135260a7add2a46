"""Disownment complaints (rulebook §5, §7, §9): TIQV reply and indemnity, TIRV limits, €25.

"(n)" marks the n-th calendar day counted after receipt (receipt day not counted).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol.calendar import WorkingCalendar
from protocol.codes import CustomerKind
from protocol.complaints import (
    ComplaintInputError,
    TirvCheck,
    late_reply_indemnity,
    protocol_indemnity_due,
    reply_days,
    reply_due_on,
    tirv_in_time,
)
from protocol.errors import SentinellaError
from protocol.ruleset import IndemnityTier, load_rule_set

D = dt.date
P = Decimal
RULES = load_rule_set()
DISOWNMENT = RULES.disownment
TIRV = RULES.tirv
ITALY = WorkingCalendar()
NO_ROLL = WorkingCalendar(roll_calendar_deadlines=False)
K = CustomerKind
RECEIVED = D(2026, 3, 2)  # Monday 2 March 2026


def indemnity(replied_on: dt.date, received_on: dt.date = RECEIVED, rules=DISOWNMENT) -> Decimal:
    return late_reply_indemnity(received_on=received_on, replied_on=replied_on, rules=rules)


def after(n: int, start: dt.date = RECEIVED) -> dt.date:
    return start + dt.timedelta(days=n)


# -- the reply deadline ----------------------------------------------------------------------


def test_the_reply_is_due_30_calendar_days_after_receipt() -> None:
    # 2 March 2026 + 30 = Wed 1 April 2026.
    assert reply_due_on(received_on=RECEIVED, rules=DISOWNMENT, calendar=ITALY) == D(2026, 4, 1)


def test_a_reply_deadline_on_easter_sunday_is_not_rolled() -> None:
    # Fri 6 March 2026 + 30 = Sun 5 April (Easter). Not rolled even by a rolling calendar: the
    # TIQV indemnity is owed from day 31 (Easter Monday), so the deadline must not pass it.
    received = D(2026, 3, 6)
    assert reply_due_on(received_on=received, rules=RULES, calendar=ITALY) == D(2026, 4, 5)
    assert indemnity(D(2026, 4, 6), received) == P("25.00")


# -- the TIQV late-reply indemnity ------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (0, "0.00"), (1, "0.00"), (30, "0.00"),  # in time up to day 30 (1 April 2026)
        (31, "25.00"), (60, "25.00"),  # late: beyond the standard, within twice it
        (61, "50.00"), (90, "50.00"),  # beyond twice the standard (60 days)
        (91, "75.00"), (365, "75.00"),  # beyond three times (90 days): the top tier
    ],
)
def test_the_tiqv_indemnity_steps_up_on_days_31_61_and_91(day: int, amount: str) -> None:
    assert indemnity(after(day)) == P(amount)


def test_a_decision_on_day_31_61_and_91_earns_exactly_one_indemnity_of_25_50_and_75_euros() -> None:
    # The acceptance: day 31 = 2 April, day 61 = 2 May, day 91 = 1 June 2026.
    assert [after(d) for d in (31, 61, 91)] == [D(2026, 4, 2), D(2026, 5, 2), D(2026, 6, 1)]
    amounts = [indemnity(after(d)) for d in (31, 61, 91)]
    assert amounts == [P("25.00"), P("50.00"), P("75.00")]
    assert all(isinstance(a, Decimal) for a in amounts)  # one amount each, not a list of tiers


def test_a_reply_before_receipt_is_refused_by_name() -> None:
    with pytest.raises(ComplaintInputError) as raised:
        indemnity(after(-1))
    assert isinstance(raised.value, SentinellaError)
    with pytest.raises(ComplaintInputError):
        reply_days(received_on=RECEIVED, replied_on=after(-1))


def test_the_standard_and_the_tiers_come_from_the_rule_set() -> None:
    # A 20-day standard with two tiers: beyond 20 days €30, beyond 40 days €60.
    rules = dataclasses.replace(DISOWNMENT, reply_calendar_days=20, late_reply_indemnity=(
        IndemnityTier(late_beyond_multiple_of_standard=1, amount_eur=P("30.00")),
        IndemnityTier(late_beyond_multiple_of_standard=2, amount_eur=P("60.00")),
    ))
    assert [indemnity(after(d), rules=rules) for d in (20, 21, 40, 41, 200)] == [
        P("0.00"), P("30.00"), P("30.00"), P("60.00"), P("60.00")
    ]
    assert indemnity(after(91), rules=RULES) == P("75.00")  # the whole rule set works too


@given(day=st.integers(min_value=0, max_value=2000))
def test_the_indemnity_never_decreases_with_the_delay_and_is_zero_exactly_when_in_time(day: int) -> None:
    assert indemnity(after(day)) <= indemnity(after(day + 1))
    due = reply_due_on(received_on=RECEIVED, rules=DISOWNMENT, calendar=ITALY)
    assert (indemnity(after(day)) == 0) is (after(day) <= due)


# -- TIRV time limits -------------------------------------------------------------------------


def tirv(kind: CustomerKind, complaint_on: dt.date, *, bill: dt.date | None = None, learned: dt.date | None = None,
         calendar: WorkingCalendar | None = ITALY) -> TirvCheck:
    return tirv_in_time(customer_kind=kind, complaint_on=complaint_on, first_bill_issued_on=bill,
                        learned_of_contract_on=learned, rules=TIRV, calendar=calendar)


def test_a_domestic_customer_complains_within_40_days_of_the_first_bill() -> None:
    # First bill Wed 1 April 2026 + 40 = Mon 11 May 2026, a working day.
    bill = D(2026, 4, 1)
    assert tirv(K.DOMESTIC, D(2026, 5, 11), bill=bill) == TirvCheck(
        in_time=True, limit=D(2026, 5, 11),
        reason="complaint of 2026-05-11 against a limit of 2026-05-11 (40 days from the first bill's issue"
        " on 2026-04-01): in time",
    )
    late = tirv(K.DOMESTIC, D(2026, 5, 12), bill=bill)
    assert (late.in_time, late.limit) == (False, D(2026, 5, 11))
    assert late.reason.endswith("late: restoration is not owed")


def test_a_domestic_limit_on_a_sunday_rolls_to_monday() -> None:
    # First bill Tue 5 May 2026 + 40 = Sun 14 June -> Mon 15 June (a customer's act, §9).
    bill = D(2026, 5, 5)
    assert tirv(K.DOMESTIC, D(2026, 6, 15), bill=bill).in_time
    assert not tirv(K.DOMESTIC, D(2026, 6, 16), bill=bill).in_time
    assert tirv(K.DOMESTIC, D(2026, 6, 15), bill=bill, calendar=None).limit == D(2026, 6, 15)  # national default
    assert tirv(K.DOMESTIC, D(2026, 6, 15), bill=bill, calendar=NO_ROLL) == TirvCheck(
        in_time=False, limit=D(2026, 6, 14),
        reason="complaint of 2026-06-15 against a limit of 2026-06-14 (40 days from the first bill's issue"
        " on 2026-05-05): late: restoration is not owed",
    )


def test_a_domestic_customer_with_no_bill_yet_is_in_time() -> None:
    check = tirv(K.DOMESTIC, D(2027, 1, 1), learned=D(2026, 1, 1))  # learning of it does not count
    assert check == TirvCheck(in_time=True, limit=None, reason="no bill issued yet: the TIRV limit has not started")


def test_a_complaint_before_the_first_bill_is_in_time() -> None:
    assert tirv(K.DOMESTIC, D(2026, 3, 20), bill=D(2026, 4, 1)).in_time


@pytest.mark.parametrize("kind", [K.SMALL_BUSINESS, K.BUSINESS, K.CONDOMINIUM, K.PUBLIC_SERVICE])
def test_a_non_domestic_customer_complains_within_30_days_of_learning_of_the_contract(kind: CustomerKind) -> None:
    # Learned on Mon 2 March 2026 + 30 = Wed 1 April. The bill date does not count.
    assert tirv(kind, D(2026, 4, 1), learned=RECEIVED, bill=D(2026, 3, 25)).in_time
    late = tirv(kind, D(2026, 4, 2), learned=RECEIVED, bill=D(2026, 3, 25))
    assert (late.in_time, late.limit) == (False, D(2026, 4, 1))
    assert "learning of the contract" in late.reason


def test_a_non_domestic_customer_whose_learning_date_is_unknown_is_in_time() -> None:
    check = tirv(K.BUSINESS, D(2027, 1, 1), bill=D(2026, 1, 1))
    assert (check.in_time, check.limit) == (True, None)
    assert "unknown" in check.reason


# -- the protocol's €25 indemnity (§7) --------------------------------------------------------


def test_the_protocol_indemnity_is_25_euros_when_every_condition_holds() -> None:
    amount = protocol_indemnity_due(
        in_scope=True, accepted=True, activation_stoppable=False, bills_issued=1, rules=RULES.protocol_indemnity
    )
    assert amount == P("25.00")


@given(
    in_scope=st.booleans(), accepted=st.booleans(), activation_stoppable=st.booleans(),
    bills_issued=st.integers(min_value=0, max_value=30),
)
def test_the_protocol_indemnity_is_due_only_when_all_four_conditions_hold(
    in_scope: bool, accepted: bool, activation_stoppable: bool, bills_issued: int
) -> None:
    amount = protocol_indemnity_due(
        in_scope=in_scope, accepted=accepted, activation_stoppable=activation_stoppable,
        bills_issued=bills_issued, rules=RULES,
    )
    all_hold = in_scope and accepted and not activation_stoppable and bills_issued >= 1
    assert amount == (P("25.00") if all_hold else None)


def test_a_negative_bill_count_is_refused() -> None:
    with pytest.raises(ComplaintInputError):
        protocol_indemnity_due(in_scope=True, accepted=True, activation_stoppable=False, bills_issued=-1, rules=RULES)
