"""The contract lifecycle as a table (rulebook §2): which state may follow which.

Pure data plus two predicates. Every change of state is an event recorded by the use case;
this module only says whether the change is allowed. ``on_hold`` is an orthogonal flag, not
a state, and never appears here.

Terminal states have no exits. ``rejected_at_intake`` is *final* in the sense of
:attr:`ContractState.is_final` (the record never became a contract and holds no supply
point) but it is not terminal: a corrected re-import sends it back to ``received``, and a
withdrawal or an accepted disownment closes it for good (so a later correction cannot
revive a contract the customer refused).

A state never "changes" into itself: a re-run that finds the contract already in the target
state must not record an event, and :func:`check_transition` refuses such a non-change.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from protocol.codes import FINAL_STATES, ContractState
from protocol.errors import SentinellaError

__all__ = [
    "ACTIVATION_STOPPABLE_STATES",
    "TERMINAL_STATES",
    "TRANSITIONS",
    "ImpossibleDates",
    "TransitionNotAllowed",
    "activation_stoppable",
    "can_transition",
    "check_transition",
]

S = ContractState

TRANSITIONS: Mapping[ContractState, frozenset[ContractState]] = MappingProxyType({
    S.RECEIVED: frozenset({
        S.VALIDATED,  # §2.1 intake found nothing wrong
        S.REJECTED_AT_INTAKE,  # §2.1 intake found problems; the record is kept with every reason
        S.WITHDRAWN,  # §2.3 the right runs from conclusion: a withdrawal can beat the intake run
        S.CANCELLED,  # §5 a disownment accepted before intake: the contract is void
    }),
    S.REJECTED_AT_INTAKE: frozenset({
        S.RECEIVED,  # §2.1 a corrected re-import goes through intake again
        S.WITHDRAWN,  # §2.3 the customer withdrew before the record was corrected: no revival
        S.CANCELLED,  # §5 a disownment accepted on a rejected record: no revival either
    }),
    S.VALIDATED: frozenset({
        S.CONFIRMED,  # §2.2 the confirmation letter went out (before any switch is filed)
        S.WITHDRAWN,  # §2.3 withdrawal in time; nothing filed yet, nothing to revoke
        S.CANCELLED,  # §5 disownment accepted, activation still stoppable: contract void
        S.BLOCKED_BY_AUDIT,  # §3 the audit found incorrect selling: not activated
    }),
    S.CONFIRMED: frozenset({
        S.COOLING_OFF,  # §2.4 waiting for the statutory window to end before filing
        S.SWITCH_REQUESTED,  # §2.4/§9 early execution: filed without waiting
        S.WITHDRAWN,  # §2.3 withdrawal in time
        S.CANCELLED,  # §5 disownment accepted, activation still stoppable
        S.BLOCKED_BY_AUDIT,  # §3 incorrect selling: the switch is never sent
    }),
    S.COOLING_OFF: frozenset({
        S.SWITCH_REQUESTED,  # §2.4 the statutory window ended: the switch is filed
        S.WITHDRAWN,  # §2.3 withdrawal in time
        S.CANCELLED,  # §5 disownment accepted, activation still stoppable
        S.BLOCKED_BY_AUDIT,  # §3 incorrect selling: the switch is never sent
    }),
    S.SWITCH_REQUESTED: frozenset({
        S.IRREVOCABLE,  # §2.4 the point of no return passed (at filing, if revocation is off)
        S.WITHDRAWN,  # §2.3 withdrawal in time: the switch request is revoked
        S.CANCELLED,  # §5 disownment accepted before the point of no return: switch revoked
        S.BLOCKED_BY_AUDIT,  # §3 incorrect selling: the switch request is revoked
        # No way back to cooling_off: a revoked switch ends the contract.
    }),
    S.IRREVOCABLE: frozenset({
        S.ACTIVE,  # §2.5 the switch date arrived: supplied and invoiced
        # §9 a withdrawal in time that can no longer stop the switch (early execution within
        # the statutory window after the point of no return, or a postmarked act sent by the
        # point of no return and received after it): withdrawn, supply returned through the
        # restoration channel at the first useful date, only the energy supplied billed.
        S.WITHDRAWN,
        # Not cancelled: a disownment or audit finding after the point of no return cannot
        # stop activation; the contract goes active and then returned (§5, §6).
    }),
    S.ACTIVE: frozenset({
        S.RETURNED,  # §5/§6 restoration to the previous supplier completed
        S.TERMINATED,  # §2.3 a termination (recesso) or a switch away ends the supply
        S.WITHDRAWN,  # §9 as from irrevocable, when the decision comes after the switch date
    }),
    S.RETURNED: frozenset(),
    S.CANCELLED: frozenset(),
    S.WITHDRAWN: frozenset(),
    S.TERMINATED: frozenset(),
    S.BLOCKED_BY_AUDIT: frozenset(),
})
"""For each state, the states it may become (rulebook §2). Final states except
``rejected_at_intake`` have no exits."""

TERMINAL_STATES: frozenset[ContractState] = frozenset(s for s, exits in TRANSITIONS.items() if not exits)
"""States with no exit: the contract is over for good (``FINAL_STATES`` minus ``rejected_at_intake``)."""

ACTIVATION_STOPPABLE_STATES: frozenset[ContractState] = frozenset({
    S.RECEIVED, S.REJECTED_AT_INTAKE, S.VALIDATED, S.CONFIRMED, S.COOLING_OFF, S.SWITCH_REQUESTED,
})
"""States in which activation can still be stopped (the switch not filed, or revocable)."""

assert TERMINAL_STATES == FINAL_STATES - {S.REJECTED_AT_INTAKE}, "table and code list disagree"
assert set(TRANSITIONS) == set(ContractState), "every state needs a row"


class TransitionNotAllowed(SentinellaError, ValueError):
    """A contract was asked to change into a state the lifecycle does not allow from its own.

    Attributes: ``from_state``, ``to_state``.
    """

    def __init__(self, *, from_state: ContractState, to_state: ContractState) -> None:
        self.from_state = from_state
        self.to_state = to_state
        if from_state == to_state:
            why = "it is already in that state"
        elif not TRANSITIONS[from_state]:
            why = "it has ended"
        else:
            why = "from there it can only become " + ", ".join(
                f"'{s}'" for s in sorted(TRANSITIONS[from_state])
            )
        super().__init__(f"a contract in state '{from_state}' cannot become '{to_state}' ({why})")


class ImpossibleDates(SentinellaError, ValueError):
    """Dates given to a lifecycle rule contradict each other (e.g. sent after received)."""


def can_transition(*, from_state: ContractState, to_state: ContractState) -> bool:
    """True when the lifecycle allows ``from_state`` to become ``to_state``."""
    return ContractState(to_state) in TRANSITIONS[ContractState(from_state)]


def check_transition(*, from_state: ContractState, to_state: ContractState) -> None:
    """Return quietly when the change is allowed.

    Raises ``TransitionNotAllowed`` otherwise, including for ``from_state == to_state``
    (a non-change is not an event); ``ValueError`` for a string that is not a state.
    """
    if not can_transition(from_state=from_state, to_state=to_state):
        raise TransitionNotAllowed(from_state=ContractState(from_state), to_state=ContractState(to_state))


def activation_stoppable(*, state: ContractState) -> bool:
    """True while activation can still be stopped by revoking (or never sending) the switch.

    For ``switch_requested`` this trusts the state: the use case moves a contract to
    ``irrevocable`` once its point of no return has passed.
    """
    return ContractState(state) in ACTIVATION_STOPPABLE_STATES
