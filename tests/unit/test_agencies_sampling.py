"""Sample audits of agency contracts (rulebook §3): rate, size and the reproducible draw."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from agencies.sampling import (
    AuditDraw,
    InvalidSamplingInputs,
    SamplingInputs,
    draw_sample,
    rate_decision,
    risk_window,
    sample_size,
    sampling_rate,
    seed_material_of,
    week_start_of,
)
from protocol.codes import AgencyStatus, AuditGroup
from protocol.errors import SentinellaError
from protocol.ruleset import load_rule_set

D = dt.date
RULES = load_rule_set().audit_sampling
MONDAY = D(2026, 5, 4)


def inputs(**changes) -> SamplingInputs:
    base = dict(
        agency_code="AG001", group=AuditGroup.PAPER, week_start=MONDAY, population=tuple(range(1, 301)),
        agency_status=AgencyStatus.ACTIVE, audited_last_window=100, nonconforming_last_window=2, seed=42,
    )
    return SamplingInputs(**(base | changes))


mondays = st.dates(D(2020, 1, 6), D(2035, 12, 31)).map(week_start_of)
populations = st.sets(st.integers(1, 10**7), max_size=400).map(lambda ids: tuple(sorted(ids)))


@st.composite
def any_inputs(draw) -> SamplingInputs:
    audited = draw(st.integers(0, 600))
    return SamplingInputs(
        agency_code=draw(st.text(min_size=1, max_size=8).filter(str.strip)),
        group=draw(st.sampled_from(AuditGroup)), week_start=draw(mondays),
        population=draw(populations), agency_status=draw(st.sampled_from(AgencyStatus)),
        audited_last_window=audited, nonconforming_last_window=draw(st.integers(0, audited)),
        seed=draw(st.integers(-(2**63), 2**63)),
    )


@given(any_inputs())
def test_the_sample_size_lies_between_the_minimum_and_the_whole_population(given_inputs):
    draw = draw_sample(inputs=given_inputs, rules=RULES)
    n = len(given_inputs.population)
    assert min(n, RULES.minimum_per_channel) <= draw.size <= n
    assert draw.size >= math.ceil(Fraction(draw.rate) * n)
    assert draw.population_size == n


@given(any_inputs())
def test_the_drawn_ids_are_distinct_sorted_members_of_the_population(given_inputs):
    draw = draw_sample(inputs=given_inputs, rules=RULES)
    assert set(draw.drawn) <= set(given_inputs.population)
    assert len(set(draw.drawn)) == len(draw.drawn) == draw.size
    assert list(draw.drawn) == sorted(draw.drawn)


@given(any_inputs(), st.randoms(use_true_random=False))
def test_the_same_inputs_in_any_order_give_the_same_sample(given_inputs, rng):
    shuffled = list(given_inputs.population)
    rng.shuffle(shuffled)
    again = dataclasses.replace(given_inputs, population=tuple(shuffled))
    assert draw_sample(inputs=again, rules=RULES) == draw_sample(inputs=given_inputs, rules=RULES)


@given(any_inputs(), st.sets(st.integers(10**7 + 1, 10**8), max_size=100))
def test_adding_contracts_never_brings_in_an_old_one_that_was_not_drawn(given_inputs, extra):
    before = draw_sample(inputs=given_inputs, rules=RULES)
    after = draw_sample(inputs=dataclasses.replace(given_inputs, population=given_inputs.population + tuple(extra)),
                        rules=RULES)
    assume(after.size <= before.size)
    assert set(after.drawn) & set(given_inputs.population) <= set(before.drawn)


@given(any_inputs())
def test_an_agency_on_probation_or_revoked_has_every_contract_audited(given_inputs):
    for status in (AgencyStatus.PROBATION, AgencyStatus.REVOKED):
        draw = draw_sample(inputs=dataclasses.replace(given_inputs, agency_status=status), rules=RULES)
        assert draw.rate == 1
        assert draw.drawn == tuple(sorted(given_inputs.population))


@given(
    st.sampled_from([AuditGroup.PAPER, AuditGroup.TELEPHONE]),
    st.sampled_from([AgencyStatus.ACTIVE, AgencyStatus.WARNED]),
    st.integers(0, 5000).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n))),
)
def test_the_rate_doubles_exactly_when_the_window_rate_is_strictly_above_two_percent(group, status, counts):
    audited, bad = counts
    decision = rate_decision(
        inputs=inputs(group=group, agency_status=status, audited_last_window=audited, nonconforming_last_window=bad),
        rules=RULES,
    )
    above = audited > 0 and Fraction(bad, audited) > Fraction(2, 100)
    assert decision.risk_weighted is above
    assert decision.rate == (Decimal("0.10") if above else Decimal("0.05"))


def test_exactly_two_percent_is_not_above_the_threshold():
    at_two = inputs(audited_last_window=100, nonconforming_last_window=2)
    at_three = inputs(audited_last_window=100, nonconforming_last_window=3)
    assert sampling_rate(inputs=at_two, rules=RULES) == Decimal("0.05")
    assert sampling_rate(inputs=at_three, rules=RULES) == Decimal("0.10")


def test_an_agency_with_nothing_audited_in_the_window_is_not_risk_weighted():
    decision = rate_decision(inputs=inputs(audited_last_window=0, nonconforming_last_window=0), rules=RULES)
    assert (decision.rate, decision.risk_weighted) == (Decimal("0.05"), False)


@given(st.decimals(Decimal("0.5"), Decimal("1"), places=2))
def test_the_doubled_rate_is_capped_at_one(base):
    rules = dataclasses.replace(RULES, paper_rate=base)
    assert sampling_rate(inputs=inputs(nonconforming_last_window=50), rules=rules) == 1


def test_the_employee_group_takes_the_higher_of_the_paper_and_telephone_rates():
    rules = dataclasses.replace(RULES, paper_rate=Decimal("0.05"), telephone_rate=Decimal("0.08"))
    assert sampling_rate(inputs=inputs(group=AuditGroup.EMPLOYEE), rules=rules) == Decimal("0.08")


def test_a_status_rate_lower_than_the_risk_rate_does_not_lower_it():
    rules = dataclasses.replace(RULES, probation_rate=Decimal("0.07"))
    risky = inputs(agency_status=AgencyStatus.PROBATION, nonconforming_last_window=10)
    assert sampling_rate(inputs=risky, rules=rules) == Decimal("0.10")
    assert sampling_rate(inputs=inputs(agency_status=AgencyStatus.PROBATION), rules=rules) == Decimal("0.07")


@pytest.mark.parametrize(
    ("n", "rate", "expected"),
    [(0, "0.05", 0), (7, "0.05", 7), (10, "0.05", 10), (200, "0.05", 10), (201, "0.05", 11),
     (1000, "0.05", 50), (1000, "0.10", 100), (1000, "1.0", 1000), (1000, "0", 10)],
)
def test_the_size_is_the_ceiling_of_rate_times_n_at_least_ten_at_most_n(n, rate, expected):
    assert sample_size(population_size=n, rate=Decimal(rate), minimum=10) == expected


@pytest.mark.parametrize(("n", "rate", "minimum"), [(-1, Decimal("0.05"), 10), (5, 0.05, 10), (5, Decimal("1.5"), 10),
                                                     (5, Decimal("0.05"), -1), (5, Decimal("NaN"), 1)])
def test_impossible_size_arguments_are_refused(n, rate, minimum):
    with pytest.raises(InvalidSamplingInputs):
        sample_size(population_size=n, rate=rate, minimum=minimum)


def test_a_known_draw_is_the_same_on_every_machine():
    draw = draw_sample(inputs=inputs(), rules=RULES)
    assert draw == AuditDraw(
        rate=Decimal("0.05"), size=15,
        drawn=(2, 12, 22, 29, 49, 123, 132, 134, 158, 193, 198, 213, 218, 229, 291),
        risk_weighted=False, reason=draw.reason, population_size=300,
        seed_material='["sentinella-audit-sample/v1",42,"AG001","paper","2026-05-04"]',
    )


def test_the_draw_ranks_ids_by_sha256_of_the_seed_material():
    draw = draw_sample(inputs=inputs(), rules=RULES)
    key = lambda i: hashlib.sha256(f"{draw.seed_material}#{i}".encode()).digest()  # noqa: E731
    assert draw.drawn == tuple(sorted(sorted(range(1, 301), key=key)[:15]))


@pytest.mark.parametrize("change", [dict(seed=43), dict(agency_code="AG002"), dict(group=AuditGroup.TELEPHONE),
                                    dict(week_start=D(2026, 5, 11))])
def test_changing_the_seed_agency_group_or_week_changes_the_sample(change):
    assert draw_sample(inputs=inputs(**change), rules=RULES).drawn != draw_sample(inputs=inputs(), rules=RULES).drawn
    assert seed_material_of(inputs(**change)) != seed_material_of(inputs())


def test_the_reason_says_why_the_rate_was_chosen():
    assert "probation" in draw_sample(inputs=inputs(agency_status=AgencyStatus.PROBATION), rules=RULES).reason
    assert "revoked" in draw_sample(inputs=inputs(agency_status=AgencyStatus.REVOKED), rules=RULES).reason
    assert "above 0.02" in draw_sample(inputs=inputs(nonconforming_last_window=3), rules=RULES).reason


def test_an_empty_week_draws_nothing():
    assert draw_sample(inputs=inputs(population=()), rules=RULES).drawn == ()


@pytest.mark.parametrize(
    "change",
    [dict(week_start=D(2026, 5, 5)), dict(population=(1, 2, 2)), dict(population=(1, True)), dict(agency_code=" "),
     dict(audited_last_window=1, nonconforming_last_window=2),
     dict(audited_last_window=-1, nonconforming_last_window=0),
     dict(group="postal"), dict(agency_status="sleeping"), dict(seed=1.5)],
)
def test_impossible_inputs_are_refused_with_a_named_error(change):
    with pytest.raises(InvalidSamplingInputs) as caught:
        inputs(**change)
    assert isinstance(caught.value, SentinellaError) and isinstance(caught.value, ValueError)


def test_string_group_and_status_are_read_as_their_codes():
    given_inputs = inputs(group="telephone", agency_status="probation", population=[3, 1, 2])
    assert (given_inputs.group, given_inputs.agency_status) == (AuditGroup.TELEPHONE, AgencyStatus.PROBATION)
    assert given_inputs.population == (3, 1, 2)


@given(st.dates())
def test_the_week_starts_on_the_monday_on_or_before_the_day(day):
    assume(day >= D(1, 1, 8))
    start = week_start_of(day)
    assert start.weekday() == 0 and 0 <= (day - start).days < 7


def test_the_risk_window_is_the_ninety_days_before_the_week():
    assert risk_window(week_start=MONDAY, rules=RULES) == (D(2026, 2, 3), MONDAY)


def test_the_draw_does_not_depend_on_the_global_random_state():
    random.seed(1)
    first = draw_sample(inputs=inputs(), rules=RULES)
    random.seed(2)
    assert draw_sample(inputs=inputs(), rules=RULES) == first
