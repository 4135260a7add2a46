"""The penalty table (rulebook §4): the mandate's amounts first, the rule set's defaults after."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agencies.penalties import (
    InvalidPenaltyTable,
    UnknownNonconformityType,
    disownment_nonconformity,
    is_serious,
    parse_penalty_table,
    penalty_for,
)
from protocol.codes import NonconformityType as NC
from protocol.errors import SentinellaError
from protocol.ruleset import load_rule_set

RULES = load_rule_set().penalties


@pytest.mark.parametrize(
    ("kind", "euros"),
    [(NC.UNSOLICITED_CONTRACT, "500.00"), (NC.FORGED_CONTRACT, "500.00"), (NC.MISLEADING_PRACTICE, "300.00"),
     (NC.MISSING_DOCUMENTS, "100.00"), (NC.OPT_OUT_VIOLATION, "250.00"), (NC.UNAUTHORISED_SUBAGENT, "1000.00")],
)
def test_a_mandate_without_its_own_table_pays_the_rulebook_defaults(kind, euros):
    assert penalty_for(nonconformity=kind, penalty_table={}, rules=RULES) == Decimal(euros)


def test_the_mandate_table_overrides_the_default_and_the_rest_falls_back():
    table = {"unsolicited_contract": "750.00", "missing_documents": Decimal("80")}
    assert penalty_for(nonconformity=NC.UNSOLICITED_CONTRACT, penalty_table=table, rules=RULES) == Decimal("750.00")
    assert penalty_for(nonconformity="missing_documents", penalty_table=table, rules=RULES) == Decimal("80.00")
    assert penalty_for(nonconformity=NC.OPT_OUT_VIOLATION, penalty_table=table, rules=RULES) == Decimal("250.00")


def test_an_amount_is_returned_to_the_cent():
    amount = penalty_for(nonconformity=NC.FORGED_CONTRACT, penalty_table={"forged_contract": "600"}, rules=RULES)
    assert str(amount) == "600.00"


def test_a_mandate_may_waive_a_penalty_with_zero():
    assert penalty_for(nonconformity=NC.MISSING_DOCUMENTS, penalty_table={"missing_documents": "0"}, rules=RULES) == 0


def test_an_unknown_nonconformity_type_is_refused():
    with pytest.raises(UnknownNonconformityType, match="rude_agent") as caught:
        penalty_for(nonconformity="rude_agent", penalty_table={}, rules=RULES)
    assert isinstance(caught.value, SentinellaError) and isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "table",
    [{"rude_agent": "10.00"}, {"unsolicited_contract": "abc"}, {"unsolicited_contract": "-1.00"},
     {"unsolicited_contract": "1.001"}, {"unsolicited_contract": 500.0}, {"unsolicited_contract": "Infinity"},
     {"unsolicited_contract": 500}],
)
def test_a_malformed_mandate_table_is_refused_even_for_another_type(table):
    with pytest.raises(InvalidPenaltyTable):
        penalty_for(nonconformity=NC.MISSING_DOCUMENTS, penalty_table=table, rules=RULES)


def test_a_parsed_table_is_keyed_by_nonconformity_type():
    parsed = parse_penalty_table(penalty_table={"opt_out_violation": "300.5"})
    assert parsed == {NC.OPT_OUT_VIOLATION: Decimal("300.50")}


@pytest.mark.parametrize("kind", sorted(set(NC) - {NC.MISSING_DOCUMENTS}))
def test_every_type_but_missing_documents_is_serious_by_default(kind):
    assert is_serious(nonconformity=kind, rules=RULES)


def test_missing_documents_is_not_serious_by_default():
    assert not is_serious(nonconformity="missing_documents", rules=RULES)


def test_seriousness_of_an_unknown_type_is_refused():
    with pytest.raises(UnknownNonconformityType):
        is_serious(nonconformity="late_coffee", rules=RULES)


def test_an_accepted_disownment_counts_as_an_unsolicited_contract():
    assert disownment_nonconformity(rules=RULES) is NC.UNSOLICITED_CONTRACT
