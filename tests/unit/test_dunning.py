"""The dunning ladder (rulebook §2.5, §5): in order, never skipped, never while on hold.

Default delays after the due date: reminder 10, formal notice 25, suspension request 40,
debt collection 90 calendar days.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.codes import DunningStep
from protocol.dunning import (
    LADDER,
    BrokenDunningLadder,
    DunningError,
    dunning_not_before,
    next_dunning_step,
    step_due_on,
)
from protocol.errors import SentinellaError
from protocol.ruleset import load_rule_set

D = dt.date
RULES = load_rule_set()
BILLING = RULES.billing
S = DunningStep
DUE = D(2026, 4, 21)  # a bill issued Wed 1 April 2026 (see test_billing)


def days(n: int) -> dt.date:
    return DUE + dt.timedelta(days=n)


def step_on(
    as_of: dt.date, taken: frozenset[DunningStep] = frozenset(), *, paid: bool = False, on_hold: bool = False,
    last_step_on: dt.date | None = None, rules=BILLING,
) -> DunningStep | None:
    return next_dunning_step(
        due_on=DUE, as_of=as_of, paid=paid, steps_taken=taken, on_hold=on_hold, rules=rules,
        last_step_on=last_step_on,
    )


def test_the_ladder_runs_reminder_formal_notice_suspension_request_debt_collection() -> None:
    assert LADDER == (S.REMINDER, S.FORMAL_NOTICE, S.SUSPENSION_REQUEST, S.DEBT_COLLECTION)


def test_no_dunning_before_or_on_the_due_date() -> None:
    assert dunning_not_before(due_on=DUE) == D(2026, 4, 22)
    assert step_on(DUE) is None
    assert step_on(days(-5)) is None


def test_the_reminder_is_due_10_days_after_the_due_date() -> None:
    # 21 April + 10 = 1 May 2026: the day is a holiday, but dunning is the supplier's act
    # counted in calendar days; the run decides when to print and send.
    assert step_on(days(9)) is None
    assert step_on(days(10)) is S.REMINDER == step_on(D(2026, 5, 1))


def test_each_step_falls_due_its_own_delay_after_the_due_date_once_the_previous_was_taken() -> None:
    taken: frozenset[DunningStep] = frozenset()
    for step, delay in ((S.REMINDER, 10), (S.FORMAL_NOTICE, 25), (S.SUSPENSION_REQUEST, 40), (S.DEBT_COLLECTION, 90)):
        assert step_on(days(delay - 1), taken) is None
        assert step_on(days(delay), taken) is step
        assert step_due_on(step=step, due_on=DUE, rules=BILLING) == days(delay)
        taken |= {step}
    assert step_on(days(1000), taken) is None  # the ladder is finished


def test_a_late_run_takes_the_next_step_only_never_skipping_to_a_later_one() -> None:
    assert step_on(days(200)) is S.REMINDER
    assert step_on(days(200), frozenset({S.REMINDER})) is S.FORMAL_NOTICE


@pytest.mark.parametrize("taken", [frozenset(), frozenset({S.REMINDER}), frozenset({S.REMINDER, S.FORMAL_NOTICE})])
def test_nothing_falls_due_while_the_contract_is_on_hold(taken: frozenset[DunningStep]) -> None:
    assert step_on(days(365), taken, on_hold=True) is None


def test_nothing_falls_due_on_a_paid_bill() -> None:
    assert step_on(days(365), paid=True) is None
    assert step_on(days(365), frozenset({S.REMINDER}), paid=True) is None


def test_after_a_hold_the_next_step_keeps_the_ladders_spacing_from_the_previous_one() -> None:
    # Reminder taken on day 70 (the hold was released then). Formal notice: 25 - 10 = 15 days
    # later, day 85, not the next morning.
    reminder = frozenset({S.REMINDER})
    assert step_on(days(71), reminder, last_step_on=days(70)) is None
    assert step_on(days(84), reminder, last_step_on=days(70)) is None
    assert step_on(days(85), reminder, last_step_on=days(70)) is S.FORMAL_NOTICE
    # Without the date of the previous step only the delay after the due date counts.
    assert step_on(days(71), reminder) is S.FORMAL_NOTICE


def test_a_step_taken_on_time_changes_nothing_to_the_next_ones_schedule() -> None:
    # Reminder on day 10 => formal notice on max(day 25, day 10 + 15) = day 25.
    assert step_due_on(step=S.FORMAL_NOTICE, due_on=DUE, rules=BILLING, last_step_on=days(10)) == days(25)


def test_a_record_that_skips_a_step_is_refused_by_name() -> None:
    with pytest.raises(BrokenDunningLadder) as raised:
        step_on(days(100), frozenset({S.FORMAL_NOTICE}))
    assert isinstance(raised.value, DunningError) and isinstance(raised.value, SentinellaError)
    assert "reminder" in str(raised.value)
    with pytest.raises(BrokenDunningLadder):
        step_on(days(100), frozenset({S.REMINDER, S.SUSPENSION_REQUEST}), on_hold=True)


def test_the_delays_come_from_the_rule_set() -> None:
    faster = dataclasses.replace(BILLING, dunning_days_after_due={
        S.REMINDER: 3, S.FORMAL_NOTICE: 6, S.SUSPENSION_REQUEST: 9, S.DEBT_COLLECTION: 12,
    })
    assert step_on(days(3), rules=faster) is S.REMINDER
    assert step_on(days(10), rules=RULES) is S.REMINDER  # the whole rule set works too


@settings(max_examples=150)
@given(
    holds=st.lists(st.tuples(st.integers(0, 250), st.integers(1, 60)), max_size=4),
    paid_on_day=st.none() | st.integers(0, 300),
    run_every=st.integers(1, 7),
    keep_spacing=st.booleans(),
)
def test_a_daily_run_takes_the_steps_in_order_never_on_hold_never_after_payment(
    holds: list[tuple[int, int]], paid_on_day: int | None, run_every: int, keep_spacing: bool
) -> None:
    on_hold_days = {start + i for start, length in holds for i in range(length)}
    taken: list[tuple[int, DunningStep]] = []
    for day in range(-5, 400, run_every):
        paid = paid_on_day is not None and day >= paid_on_day
        step = step_on(
            days(day), frozenset(s for _, s in taken), paid=paid, on_hold=day in on_hold_days,
            last_step_on=days(taken[-1][0]) if keep_spacing and taken else None,
        )
        if step is None:
            continue
        assert day not in on_hold_days and not paid
        assert day >= BILLING.dunning_days_after_due[step]
        taken.append((day, step))
    assert [s for _, s in taken] == list(LADDER[: len(taken)])
    if paid_on_day is None and not on_hold_days:
        assert len(taken) == len(LADDER)  # with nothing in the way the ladder is completed
