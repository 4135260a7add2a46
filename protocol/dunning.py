"""The dunning ladder for an unpaid bill (rulebook §2.5, §5, §6).

The ladder is ``DunningStep`` in order: reminder, formal notice, suspension request, debt
collection. Step *k* falls due ``dunning_days_after_due[k]`` calendar days after the bill's
due date, and only once step *k-1* has been taken: a step is never skipped, however late the
run. Nothing falls due while the contract is on hold (a disownment, §5) or once the bill is
paid. A re-issued bill (§6) has its own, new due date, so dunning restarts from it.

When the date the previous step was taken is known (``last_step_on``), the next step also
keeps the ladder's spacing after it: after a hold is released the customer gets the
reminder, and the formal notice only ``formal_notice - reminder`` days later, not the next
morning.

Pure: no clock. Every function takes its dates.
"""

from __future__ import annotations

from datetime import date, timedelta

from protocol.codes import DunningStep
from protocol.errors import SentinellaError
from protocol.ruleset import BillingRules, RuleSet

__all__ = [
    "LADDER",
    "BrokenDunningLadder",
    "DunningError",
    "dunning_not_before",
    "next_dunning_step",
    "step_due_on",
]

LADDER: tuple[DunningStep, ...] = tuple(DunningStep)
"""The steps in the order they must be taken."""


class DunningError(SentinellaError, ValueError):
    """Bad input to a dunning computation."""


class BrokenDunningLadder(DunningError):
    """The steps already taken skip a step of the ladder (a later step without an earlier one)."""


def _section(rules: BillingRules | RuleSet) -> BillingRules:
    return rules.billing if isinstance(rules, RuleSet) else rules


def dunning_not_before(*, due_on: date) -> date:
    """The first day a bill is overdue, so the earliest day any dunning may happen: the day
    after its due date (a payment on the due date is in time)."""
    return due_on + timedelta(days=1)


def step_due_on(
    *, step: DunningStep, due_on: date, rules: BillingRules | RuleSet, last_step_on: date | None = None
) -> date:
    """The first day ``step`` may be taken: its delay after ``due_on`` and, when the previous
    step was taken on ``last_step_on``, at least the ladder's gap after that."""
    delays = _section(rules).dunning_days_after_due
    step = DunningStep(step)
    earliest = max(due_on + timedelta(days=delays[step]), dunning_not_before(due_on=due_on))
    index = LADDER.index(step)
    if last_step_on is not None and index > 0:
        gap = delays[step] - delays[LADDER[index - 1]]
        earliest = max(earliest, last_step_on + timedelta(days=gap))
    return earliest


def _next_untaken(steps_taken: frozenset[DunningStep]) -> DunningStep | None:
    taken = {DunningStep(step) for step in steps_taken}
    count = len(taken)
    if taken != set(LADDER[:count]):
        missing = [step.value for step in LADDER[:count] if step not in taken]
        raise BrokenDunningLadder(
            f"steps taken {sorted(s.value for s in taken)} skip {', '.join(missing)}: the ladder is out of order"
        )
    return LADDER[count] if count < len(LADDER) else None


def next_dunning_step(
    *,
    due_on: date,
    as_of: date,
    paid: bool,
    steps_taken: frozenset[DunningStep],
    on_hold: bool,
    rules: BillingRules | RuleSet,
    last_step_on: date | None = None,
) -> DunningStep | None:
    """The step to take on ``as_of``, or None (paid, on hold, not yet due, ladder finished).

    ``last_step_on`` is when the latest step in ``steps_taken`` was taken (None: unknown or
    no step yet). Raises ``BrokenDunningLadder`` when ``steps_taken`` skips a step, even on
    hold or paid (the record is wrong either way).
    """
    step = _next_untaken(steps_taken)
    if paid or on_hold or step is None:
        return None
    due = step_due_on(step=step, due_on=due_on, rules=rules, last_step_on=last_step_on if steps_taken else None)
    return step if as_of >= due else None
