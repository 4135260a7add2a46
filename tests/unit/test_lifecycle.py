"""The contract lifecycle table (rulebook §2): edges, refusals and whole-table properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol.codes import FINAL_STATES, ContractState
from protocol.errors import SentinellaError
from protocol.lifecycle import (
    ACTIVATION_STOPPABLE_STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    TransitionNotAllowed,
    activation_stoppable,
    can_transition,
    check_transition,
)

S = ContractState
states = st.sampled_from(list(ContractState))


def reachable_from(state: ContractState) -> set[ContractState]:
    seen, todo = set(), [state]
    while todo:
        for nxt in TRANSITIONS[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    [
        (S.RECEIVED, S.VALIDATED),
        (S.RECEIVED, S.REJECTED_AT_INTAKE),
        (S.REJECTED_AT_INTAKE, S.RECEIVED),
        (S.VALIDATED, S.CONFIRMED),
        (S.CONFIRMED, S.COOLING_OFF),
        (S.CONFIRMED, S.SWITCH_REQUESTED),
        (S.COOLING_OFF, S.SWITCH_REQUESTED),
        (S.SWITCH_REQUESTED, S.IRREVOCABLE),
        (S.SWITCH_REQUESTED, S.WITHDRAWN),
        (S.SWITCH_REQUESTED, S.BLOCKED_BY_AUDIT),
        (S.IRREVOCABLE, S.ACTIVE),
        (S.IRREVOCABLE, S.WITHDRAWN),
        (S.ACTIVE, S.RETURNED),
        (S.ACTIVE, S.TERMINATED),
        (S.ACTIVE, S.WITHDRAWN),
    ],
)
def test_the_rulebook_path_is_allowed(from_state: ContractState, to_state: ContractState) -> None:
    check_transition(from_state=from_state, to_state=to_state)
    assert can_transition(from_state=from_state, to_state=to_state)


@pytest.mark.parametrize(
    ("from_state", "to_state"),
    [
        (S.ACTIVE, S.VALIDATED),
        (S.SWITCH_REQUESTED, S.COOLING_OFF),  # a revoked switch ends the contract
        (S.IRREVOCABLE, S.CANCELLED),  # too late to stop: active, then returned
        (S.VALIDATED, S.SWITCH_REQUESTED),  # the confirmation letter comes first
        (S.RECEIVED, S.ACTIVE),
        (S.WITHDRAWN, S.ACTIVE),
        (S.VALIDATED, S.VALIDATED),  # a non-change is not an event
    ],
)
def test_a_jump_the_rulebook_does_not_know_is_refused(from_state: ContractState, to_state: ContractState) -> None:
    with pytest.raises(TransitionNotAllowed):
        check_transition(from_state=from_state, to_state=to_state)


def test_the_refusal_names_both_states_and_is_a_sentinella_error() -> None:
    with pytest.raises(SentinellaError, match="a contract in state 'active' cannot become 'validated'") as caught:
        check_transition(from_state=S.ACTIVE, to_state=S.VALIDATED)
    assert caught.value.from_state is S.ACTIVE and caught.value.to_state is S.VALIDATED


def test_the_refusal_of_an_ended_contract_says_it_has_ended() -> None:
    with pytest.raises(TransitionNotAllowed, match="it has ended"):
        check_transition(from_state=S.WITHDRAWN, to_state=S.ACTIVE)


def test_plain_strings_are_read_as_states() -> None:
    check_transition(from_state="received", to_state="validated")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        check_transition(from_state="received", to_state="nonsense")  # type: ignore[arg-type]


def test_every_state_has_a_row_and_every_target_is_a_state() -> None:
    assert set(TRANSITIONS) == set(ContractState)
    assert all(isinstance(t, ContractState) for exits in TRANSITIONS.values() for t in exits)


def test_terminal_states_are_the_final_states_but_a_rejected_record_can_be_corrected() -> None:
    assert TERMINAL_STATES == FINAL_STATES - {S.REJECTED_AT_INTAKE}
    assert TRANSITIONS[S.REJECTED_AT_INTAKE] >= {S.RECEIVED}


def test_activation_can_be_stopped_until_the_switch_is_irrevocable() -> None:
    assert activation_stoppable(state=S.SWITCH_REQUESTED)
    assert not activation_stoppable(state=S.IRREVOCABLE)
    assert not activation_stoppable(state=S.ACTIVE)
    assert ACTIVATION_STOPPABLE_STATES.isdisjoint(TERMINAL_STATES)


@given(states)
def test_every_final_state_has_no_exits_except_the_corrected_reimport(state: ContractState) -> None:
    if state.is_final and state is not S.REJECTED_AT_INTAKE:
        assert TRANSITIONS[state] == frozenset()
    if state is S.REJECTED_AT_INTAKE:
        assert S.RECEIVED in TRANSITIONS[state]


@given(states)
def test_every_non_terminal_state_can_reach_a_terminal_state(state: ContractState) -> None:
    if state not in TERMINAL_STATES:
        assert reachable_from(state) & TERMINAL_STATES


@given(states)
def test_every_state_except_received_is_reachable_from_received(state: ContractState) -> None:
    assert state is S.RECEIVED or state in reachable_from(S.RECEIVED)


@given(states, states)
def test_check_transition_agrees_with_the_table(from_state: ContractState, to_state: ContractState) -> None:
    allowed = to_state in TRANSITIONS[from_state]
    try:
        check_transition(from_state=from_state, to_state=to_state)
    except TransitionNotAllowed:
        assert not allowed
    else:
        assert allowed


@given(states)
def test_nothing_leaves_a_state_for_itself(state: ContractState) -> None:
    assert state not in TRANSITIONS[state]


def test_activation_once_irrevocable_never_goes_back_to_a_stoppable_state() -> None:
    assert reachable_from(S.IRREVOCABLE).isdisjoint(ACTIVATION_STOPPABLE_STATES)
