"""The rule set: the shipped file loads with the rulebook's numbers; bad files are refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

from protocol.errors import SentinellaError
from protocol.ruleset import (
    BillingFrequency,
    Commodity,
    CustomerGroup,
    DayKind,
    DunningStep,
    NonconformityType,
    PointOfNoReturnRule,
    RequestField,
    RuleSet,
    RuleSetError,
    WithdrawalChannel,
    load_rule_set,
    parse_rule_set,
)

SHIPPED_BYTES = resources.files("protocol").joinpath("rules.toml").read_bytes()
SHIPPED = SHIPPED_BYTES.decode("utf-8")


def mutated(old: str, new: str, *, text: str = SHIPPED) -> str:
    """The shipped text with one exact occurrence of ``old`` replaced by ``new``."""
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
    return text.replace(old, new)


def problems_of(text: str) -> dict[str, str]:
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(text=text, source="test.toml")
    return dict(caught.value.problems)


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_rule_set()


# -- the shipped file -----------------------------------------------------------------------


def test_the_shipped_rule_set_loads_with_its_version_and_start_date(rules: RuleSet) -> None:
    assert rules.version == "2026.1"
    assert rules.effective_from == dt.date(2026, 1, 1)
    assert rules.source == "protocol/rules.toml"


def test_the_sha256_is_that_of_the_file_bytes_and_is_stable(rules: RuleSet) -> None:
    assert rules.sha256 == hashlib.sha256(SHIPPED_BYTES).hexdigest()
    assert load_rule_set().sha256 == rules.sha256
    assert parse_rule_set(text=SHIPPED, source="copy").sha256 == rules.sha256


def test_the_sha256_changes_when_the_file_changes(rules: RuleSet) -> None:
    changed = parse_rule_set(text=SHIPPED + "\n# a comment\n", source="copy")
    assert changed.sha256 != rules.sha256
    assert dataclasses.replace(changed, sha256=rules.sha256, source=rules.source) == rules


def test_a_rule_file_can_be_loaded_from_a_path(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "rules.toml"
    path.write_bytes(SHIPPED_BYTES)
    loaded = load_rule_set(path=path)
    assert loaded.source == str(path)
    assert loaded.sha256 == rules.sha256


def test_the_confirmation_letter_is_due_within_two_working_days(rules: RuleSet) -> None:
    assert rules.confirmation.deadline_working_days == 2


def test_cooling_off_is_fourteen_working_days_extended_to_the_point_of_no_return(rules: RuleSet) -> None:
    cooling_off = rules.cooling_off
    assert cooling_off.statutory_days == 14
    assert cooling_off.day_kind is DayKind.WORKING
    assert cooling_off.extend_to_point_of_no_return is True
    assert cooling_off.on_premises_covered is True
    assert cooling_off.required_request_fields == frozenset(RequestField)


def test_domestic_customers_may_withdraw_by_any_channel_others_only_by_raccomandata(rules: RuleSet) -> None:
    channels = rules.cooling_off.channels
    assert channels[CustomerGroup.DOMESTIC] == frozenset(WithdrawalChannel)
    assert channels[CustomerGroup.NON_DOMESTIC] == {WithdrawalChannel.RACCOMANDATA}


def test_switches_happen_on_the_first_with_a_cutoff_on_the_tenth(rules: RuleSet) -> None:
    assert rules.switching.switch_day_of_month == 1
    assert rules.switching.cutoff_day_of_month == 10
    assert rules.switching.point_of_no_return is PointOfNoReturnRule.CUTOFF_DAY_OF_MONTH_BEFORE_SWITCH


def test_billing_has_frequencies_a_payment_term_and_an_increasing_dunning_ladder(rules: RuleSet) -> None:
    billing = rules.billing
    assert billing.payment_term_calendar_days == 20
    assert billing.frequency[CustomerGroup.DOMESTIC][Commodity.GAS] is BillingFrequency.BIMONTHLY
    assert billing.frequency[CustomerGroup.NON_DOMESTIC][Commodity.ELECTRICITY] is BillingFrequency.MONTHLY
    assert list(billing.dunning_days_after_due.items()) == [
        (DunningStep.REMINDER, 10),
        (DunningStep.FORMAL_NOTICE, 25),
        (DunningStep.SUSPENSION_REQUEST, 40),
        (DunningStep.DEBT_COLLECTION, 90),
    ]


def test_audit_rates_are_decimals_never_floats(rules: RuleSet) -> None:
    audit = rules.audit_sampling
    assert audit.paper_rate == audit.telephone_rate == Decimal("0.05")
    assert audit.minimum_per_channel == 10
    assert (audit.risk_threshold_rate, audit.risk_window_days) == (Decimal("0.02"), 90)
    assert audit.risk_multiplier == Decimal(2)
    assert audit.probation_rate == audit.revoked_agency_rate == Decimal(1)
    assert all(type(getattr(audit, name)) is Decimal for name in ("paper_rate", "telephone_rate", "probation_rate"))


def test_the_penalty_table_has_an_amount_in_euro_for_every_nonconformity_type(rules: RuleSet) -> None:
    amounts = rules.penalties.amounts_eur
    assert set(amounts) == set(NonconformityType)
    assert amounts[NonconformityType.UNSOLICITED_CONTRACT] == Decimal("500.00")
    assert amounts[NonconformityType.UNAUTHORISED_SUBAGENT] == Decimal("1000.00")
    assert amounts[NonconformityType.MISSING_DOCUMENTS] == Decimal("100.00")
    assert NonconformityType.FORGED_CONTRACT in rules.penalties.serious
    assert NonconformityType.MISSING_DOCUMENTS not in rules.penalties.serious
    assert rules.penalties.disownment_counts_as is NonconformityType.UNSOLICITED_CONTRACT


def test_escalation_warns_at_two_and_revokes_at_three_or_on_forgery(rules: RuleSet) -> None:
    escalation = rules.escalation
    assert (escalation.warning_serious_per_quarter, escalation.revocation_serious_per_quarter) == (2, 3)
    assert escalation.corrective_plan_calendar_days == 30
    assert escalation.immediate_revocation_on == {NonconformityType.FORGED_CONTRACT}


def test_late_disownment_replies_earn_25_50_75_euro_at_1_2_3_times_the_standard(rules: RuleSet) -> None:
    assert rules.disownment.reply_calendar_days == 30
    tiers = [(t.late_beyond_multiple_of_standard, t.amount_eur) for t in rules.disownment.late_reply_indemnity]
    assert tiers == [(1, Decimal("25.00")), (2, Decimal("50.00")), (3, Decimal("75.00"))]


def test_tirv_restoration_indemnity_scope_reports_and_calendar_have_the_rulebook_values(rules: RuleSet) -> None:
    assert (rules.tirv.domestic_complaint_calendar_days, rules.tirv.non_domestic_complaint_calendar_days) == (40, 30)
    assert rules.restoration.request_working_days == 2
    assert rules.restoration.domestic_opt_in_required is True
    assert rules.restoration.domestic_opt_in_calendar_days == 20
    assert rules.restoration.electricity_pcv_zero and rules.restoration.gas_qvd_zero
    assert rules.protocol_indemnity.amount_eur == Decimal("25.00")
    assert rules.scope.small_business_employees_fewer_than == 50
    assert rules.scope.small_business_turnover_up_to_eur == Decimal("10000000")
    assert rules.reports.association_period_months == 6
    assert (rules.calendar.country, rules.calendar.language, rules.calendar.province) == ("IT", "it_IT", None)
    assert rules.calendar.roll_calendar_deadlines_to_working_day is True


def test_the_rule_set_cannot_be_changed_after_loading(rules: RuleSet) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        rules.cooling_off.statutory_days = 10  # type: ignore[misc]
    with pytest.raises(TypeError):
        rules.penalties.amounts_eur[NonconformityType.FORGED_CONTRACT] = Decimal(0)  # type: ignore[index]


def test_an_optional_province_is_read_when_present() -> None:
    rules = parse_rule_set(text=mutated('# province = "BO"', 'province = "BO"'), source="t")
    assert rules.calendar.province == "BO"


# -- refusals -------------------------------------------------------------------------------


def test_an_unknown_key_is_refused_with_a_suggestion() -> None:
    problems = problems_of(mutated("statutory_days = 14", "statutory_dayz = 14"))
    assert "did you mean 'statutory_days'" in problems["cooling_off.statutory_dayz"]
    assert problems["cooling_off.statutory_days"] == "is missing"


def test_an_unknown_section_is_refused() -> None:
    problems = problems_of(SHIPPED + "\n[bonus]\namount = 3\n")
    assert "is not a known key" in problems["bonus"]


def test_a_missing_key_is_refused() -> None:
    problems = problems_of(mutated("cutoff_day_of_month = 10", ""))
    assert problems == {"switching.cutoff_day_of_month": "is missing"}


def test_a_missing_mapping_entry_is_refused() -> None:
    problems = problems_of(mutated('opt_out_violation = "250.00"', ""))
    assert problems == {"penalties.amounts_eur.opt_out_violation": "is missing"}


def test_a_string_where_an_integer_is_expected_is_refused() -> None:
    problems = problems_of(mutated("statutory_days = 14", 'statutory_days = "14"'))
    assert problems == {"cooling_off.statutory_days": 'must be an integer, got string "14"'}


def test_a_float_where_money_is_expected_is_refused() -> None:
    problems = problems_of(mutated('amount_eur = "25.00"                         #', "amount_eur = 25.0 #"))
    assert problems["protocol_indemnity.amount_eur"].startswith("must be a decimal number written as a string")
    assert "got float 25.0" in problems["protocol_indemnity.amount_eur"]


def test_a_float_rate_is_refused() -> None:
    problems = problems_of(mutated('paper_rate = "0.05"', "paper_rate = 0.05"))
    assert "got float 0.05" in problems["audit_sampling.paper_rate"]


def test_money_may_be_written_as_an_integer() -> None:
    rules = parse_rule_set(text=mutated('forged_contract = "500.00"', "forged_contract = 500"), source="t")
    assert rules.penalties.amounts_eur[NonconformityType.FORGED_CONTRACT] == Decimal(500)


def test_a_boolean_is_not_an_integer() -> None:
    problems = problems_of(mutated("deadline_working_days = 2", "deadline_working_days = true"))
    assert problems == {"confirmation.deadline_working_days": "must be an integer, got boolean true"}


def test_negative_days_are_refused_with_the_full_dotted_key() -> None:
    problems = problems_of(mutated("statutory_days = 14", "statutory_days = -3"))
    assert problems == {"cooling_off.statutory_days": "must be a positive integer, got integer -3"}


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ('paper_rate = "0.05"', 'paper_rate = "1.5"', "audit_sampling.paper_rate", "a rate between 0 and 1"),
        ('risk_threshold_rate = "0.02"', 'risk_threshold_rate = "-0.02"', "audit_sampling.risk_threshold_rate", "a rate"),
        ('risk_multiplier = "2"', 'risk_multiplier = "0.5"', "audit_sampling.risk_multiplier", "at least 1"),
        ('paper_rate = "0.05"', 'paper_rate = "five percent"', "audit_sampling.paper_rate", "a decimal number"),
        ('paper_rate = "0.05"', 'paper_rate = "NaN"', "audit_sampling.paper_rate", "a decimal number"),
        ("cutoff_day_of_month = 10", "cutoff_day_of_month = 29", "switching.cutoff_day_of_month", "between 1 and 28"),
        ("switch_day_of_month = 1", "switch_day_of_month = 0", "switching.switch_day_of_month", "between 1 and 28"),
        ('non_domestic = ["raccomandata"]', 'non_domestic = ["pigeon"]', "cooling_off.channels.non_domestic[0]", '"email"'),
        ('non_domestic = ["raccomandata"]', 'non_domestic = ["email"]', "cooling_off.channels.non_domestic", "raccomandata"),
        ('non_domestic = ["raccomandata"]', 'non_domestic = "raccomandata"', "cooling_off.channels.non_domestic", "an array"),
        ('gas = "monthly"', 'gas = "weekly"', "billing.frequency.non_domestic.gas", '"bimonthly"'),
        ('missing_documents = "100.00"', 'missing_documents = "-100"', "penalties.amounts_eur.missing_documents", "non-negative"),
        ('missing_documents = "100.00"', 'missing_documents = "100.001"', "penalties.amounts_eur.missing_documents", "2 decimals"),
        ("formal_notice = 25", "formal_notice = 5", "billing.dunning_days_after_due", "strictly increasing"),
        ("revocation_serious_per_quarter = 3", "revocation_serious_per_quarter = 2", "escalation.revocation_serious_per_quarter", "greater than"),
        ('amount_eur = "50.00"', 'amount_eur = "20.00"', "disownment.late_reply_indemnity", "amounts must be strictly increasing"),
        ("late_beyond_multiple_of_standard = 3", "late_beyond_multiple_of_standard = 2", "disownment.late_reply_indemnity", "multiples"),
        ('immediate_revocation_on = ["forged_contract"]', 'immediate_revocation_on = ["forged_contract", "forged_contract"]', "escalation.immediate_revocation_on", "more than once"),
        ("association_period_months = 6", "association_period_months = 5", "reports.association_period_months", "dividing the year"),
        ('country = "IT"', 'country = "FR"', "calendar.country", '"IT"'),
        ('# province = "BO"', 'province = "XX"', "calendar.province", "province code"),
        ('version = "2026.1"', 'version = "latest"', "version", "a version like"),
        ("effective_from = 2026-01-01", 'effective_from = "2026-01-01"', "effective_from", "a date"),
        ("effective_from = 2026-01-01", "effective_from = 2026-01-01T00:00:00", "effective_from", "got datetime"),
    ],
)
def test_an_impossible_or_mistyped_value_is_refused_naming_its_key(old: str, new: str, key: str, reason: str) -> None:
    problems = problems_of(mutated(old, new))
    assert key in problems, problems
    assert reason in problems[key]


def test_a_value_where_a_section_is_expected_is_refused() -> None:
    text = mutated("[reports]\nassociation_period_months = 6", "[reports_gone]")
    problems = problems_of(mutated('version = "2026.1"', 'version = "2026.1"\nreports = 6', text=text))
    assert problems["reports"] == "must be a table, got integer 6"


def test_every_problem_is_reported_at_once() -> None:
    text = mutated("statutory_days = 14", "statutory_days = -3")
    text = mutated('paper_rate = "0.05"', "paper_rate = 0.05", text=text)
    text = mutated("cutoff_day_of_month = 10", "cutoff_day_of_mnth = 10", text=text)
    text = mutated("reminder = 10", "", text=text)
    with pytest.raises(RuleSetError) as caught:
        parse_rule_set(text=text, source="broken.toml")
    keys = [key for key, _ in caught.value.problems]
    assert sorted(keys) == sorted(
        [
            "cooling_off.statutory_days",
            "audit_sampling.paper_rate",
            "switching.cutoff_day_of_mnth",
            "switching.cutoff_day_of_month",
            "billing.dunning_days_after_due.reminder",
        ]
    )
    message = str(caught.value)
    assert "broken.toml has 5 problem(s)" in message
    assert "cooling_off.statutory_days: must be a positive integer, got integer -3" in message


def test_the_rule_set_error_is_a_value_error_and_a_sentinella_error() -> None:
    assert issubclass(RuleSetError, ValueError)
    assert issubclass(RuleSetError, SentinellaError)


def test_a_file_that_is_not_toml_is_refused() -> None:
    problems = problems_of("version = ")
    assert list(problems) == ["(file)"]


def test_an_unreadable_path_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        load_rule_set(path=tmp_path / "absent.toml")
