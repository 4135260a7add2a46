"""Who is in the scope of 153/2012 (rulebook §1): every customer kind and commodity."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from protocol.codes import Commodity, CustomerKind
from protocol.errors import SentinellaError
from protocol.ruleset import load_rule_set
from protocol.scope import GAS_VULNERABLE_BY_LAW, InvalidSizeFigures, ScopeDecision, in_protocol_scope

RULES = load_rule_set()
SCOPE = RULES.scope
E, G = Commodity.ELECTRICITY, Commodity.GAS
K = CustomerKind
M = Decimal("1000000.00")
TEN_MILLION = Decimal("10000000.00")


def scope(
    kind: CustomerKind, commodity: Commodity, *, employees: int | None = None, turnover: Decimal | None = None,
    vulnerable: bool = False, rules=SCOPE,
) -> ScopeDecision:
    return in_protocol_scope(
        customer_kind=kind, commodity=commodity, vulnerable=vulnerable, employees=employees,
        turnover_eur=turnover, rules=rules,
    )


# -- electricity -----------------------------------------------------------------------------


@pytest.mark.parametrize("vulnerable", [False, True])
def test_a_domestic_electricity_customer_is_in_scope_without_any_size_figure(vulnerable: bool) -> None:
    decision = scope(K.DOMESTIC, E, vulnerable=vulnerable)
    assert decision == ScopeDecision(in_scope=True, reason="domestic electricity customer: entitled to maggior tutela")


@pytest.mark.parametrize(
    ("employees", "turnover", "in_scope"),
    [
        (10, M, True),
        (49, TEN_MILLION, True),  # both limits reached exactly: 49 < 50, €10M is "up to"
        (0, Decimal("0.00"), True),
        (50, M, False),  # 50 is not fewer than 50
        (49, TEN_MILLION + Decimal("0.01"), False),
        (120, Decimal("30000000.00"), False),
    ],
)
def test_a_small_business_in_electricity_is_in_scope_only_below_both_size_limits(
    employees: int, turnover: Decimal, in_scope: bool
) -> None:
    assert scope(K.SMALL_BUSINESS, E, employees=employees, turnover=turnover).in_scope is in_scope


def test_the_reason_names_the_limit_a_too_large_business_exceeds() -> None:
    assert scope(K.SMALL_BUSINESS, E, employees=50, turnover=M).reason == (
        "50 employees: a small business has fewer than 50"
    )
    assert scope(K.SMALL_BUSINESS, E, employees=5, turnover=Decimal("12000000.00")).reason == (
        "turnover €12000000.00 exceeds the small-business limit of €10000000.00"
    )


@pytest.mark.parametrize(
    ("employees", "turnover", "missing"),
    [(None, M, "employees missing"), (10, None, "turnover missing"), (None, None, "employees and turnover missing")],
)
def test_a_small_business_whose_size_cannot_be_proven_is_out_of_scope_and_says_why(
    employees: int | None, turnover: Decimal | None, missing: str
) -> None:
    decision = scope(K.SMALL_BUSINESS, E, employees=employees, turnover=turnover)
    assert not decision.in_scope
    assert decision.reason.startswith(f"small-business size not provable: {missing}")


def test_the_size_figures_decide_for_every_non_domestic_kind_in_electricity() -> None:
    for kind in (K.SMALL_BUSINESS, K.BUSINESS, K.CONDOMINIUM, K.PUBLIC_SERVICE):
        assert scope(kind, E, employees=3, turnover=Decimal("250000.00")).in_scope, kind
        assert not scope(kind, E, employees=300, turnover=Decimal("80000000.00")).in_scope, kind
        assert not scope(kind, E).in_scope, kind  # no figures: not provable


def test_the_vulnerable_flag_does_not_bring_a_business_into_electricity_scope() -> None:
    assert not scope(K.SMALL_BUSINESS, E, vulnerable=True).in_scope
    assert not scope(K.BUSINESS, E, employees=300, turnover=Decimal("8e7"), vulnerable=True).in_scope


def test_the_size_limits_come_from_the_rule_set() -> None:
    stricter = dataclasses.replace(SCOPE, small_business_employees_fewer_than=10)
    assert scope(K.SMALL_BUSINESS, E, employees=9, turnover=M, rules=stricter).in_scope
    assert not scope(K.SMALL_BUSINESS, E, employees=10, turnover=M, rules=stricter).in_scope
    assert scope(K.SMALL_BUSINESS, E, employees=10, turnover=M, rules=RULES).in_scope  # the whole rule set


# -- gas -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [K.DOMESTIC, K.CONDOMINIUM, K.PUBLIC_SERVICE])
@pytest.mark.parametrize("vulnerable", [False, True])
def test_gas_customers_vulnerable_by_law_are_in_scope_whatever_their_flag(kind: CustomerKind, vulnerable: bool) -> None:
    decision = scope(kind, G, vulnerable=vulnerable)
    assert decision.in_scope
    assert "D.Lgs 164/2000 art. 22 c. 2" in decision.reason


@pytest.mark.parametrize("kind", [K.SMALL_BUSINESS, K.BUSINESS])
def test_a_business_gas_customer_is_out_of_scope_unless_recorded_as_vulnerable(kind: CustomerKind) -> None:
    assert not scope(kind, G, employees=5, turnover=M).in_scope  # small size does not count for gas
    recorded = scope(kind, G, vulnerable=True)
    assert recorded.in_scope
    assert "recorded as vulnerable" in recorded.reason


def test_every_kind_and_commodity_gets_a_decision_with_a_reason() -> None:
    expected = {
        (K.DOMESTIC, E): True, (K.SMALL_BUSINESS, E): False, (K.BUSINESS, E): False,
        (K.CONDOMINIUM, E): False, (K.PUBLIC_SERVICE, E): False,
        (K.DOMESTIC, G): True, (K.SMALL_BUSINESS, G): False, (K.BUSINESS, G): False,
        (K.CONDOMINIUM, G): True, (K.PUBLIC_SERVICE, G): True,
    }
    for (kind, commodity), in_scope in expected.items():
        decision = scope(kind, commodity)  # no size figures, not flagged vulnerable
        assert decision.in_scope is in_scope, (kind, commodity)
        assert decision.reason


# -- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employees", "turnover"),
    [(-1, M), (True, M), (10, Decimal("-0.01")), (10, 1_000_000.0), (10, Decimal("NaN"))],
)
def test_negative_or_mistyped_size_figures_are_refused(employees: object, turnover: object) -> None:
    with pytest.raises(InvalidSizeFigures) as raised:
        scope(K.SMALL_BUSINESS, E, employees=employees, turnover=turnover)  # type: ignore[arg-type]
    assert isinstance(raised.value, SentinellaError)


# -- properties ------------------------------------------------------------------------------


@given(
    kind=st.sampled_from(CustomerKind),
    commodity=st.sampled_from(Commodity),
    vulnerable=st.booleans(),
    employees=st.none() | st.integers(min_value=0, max_value=10_000),
    turnover=st.none() | st.decimals(min_value=0, max_value=10**9, places=2),
)
def test_scope_follows_the_rulebook_for_any_customer(
    kind: CustomerKind, commodity: Commodity, vulnerable: bool, employees: int | None, turnover: Decimal | None
) -> None:
    decision = scope(kind, commodity, employees=employees, turnover=turnover, vulnerable=vulnerable)
    if commodity is E:
        small = employees is not None and turnover is not None and employees < 50 and turnover <= TEN_MILLION
        assert decision.in_scope is (kind is K.DOMESTIC or small)
    else:
        assert decision.in_scope is (kind in GAS_VULNERABLE_BY_LAW or vulnerable)
    assert decision.reason
