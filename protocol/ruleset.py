"""The rule set: every number of the rulebook, loaded from one versioned TOML file.

``load_rule_set()`` reads the packaged ``protocol/rules.toml``; ``parse_rule_set`` parses
text from elsewhere. Both return a ``RuleSet``, a tree of frozen keyword-only dataclasses,
or raise ``RuleSetError`` listing every problem with its full dotted key. The expectations
are the field annotations below (see ``protocol.ruleset_schema``). Pure: no clock, no I/O
except reading the rule file.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import tomllib
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from protocol.codes import Commodity, DunningStep, NonconformityType
from protocol.errors import SentinellaError
from protocol.ruleset_schema import (
    INVALID,
    Country,
    DayOfMonth,
    Language,
    Money,
    MonthsPerYearDivisor,
    Multiplier,
    NonNegativeInt,
    PositiveInt,
    Problem,
    Province,
    Rate,
    Version,
    convert_dataclass,
    strictly_increasing,
)

_frozen = dataclass(frozen=True, kw_only=True, slots=True)
PACKAGED_SOURCE = "protocol/rules.toml"


class RuleSetError(SentinellaError, ValueError):
    """The rule file is unreadable or invalid; ``problems`` lists every ``(key, reason)``."""

    def __init__(self, *, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  {key}: {reason}" for key, reason in problems)
        super().__init__(f"rule set {source} has {len(problems)} problem(s):\n{lines}")


class DayKind(enum.StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


class CustomerGroup(enum.StrEnum):
    """How the rule file groups customer kinds: domestic, or everyone else."""

    DOMESTIC = "domestic"
    NON_DOMESTIC = "non_domestic"



class WithdrawalChannel(enum.StrEnum):
    RACCOMANDATA = "raccomandata"  # registered letter with return receipt (A/R)
    LETTER = "letter"
    FAX = "fax"
    EMAIL = "email"


class RequestField(enum.StrEnum):
    NAME = "name"
    SUPPLY_POINT = "supply_point"
    SUPPLY_ADDRESS = "supply_address"
    PHONE = "phone"


class PointOfNoReturnRule(enum.StrEnum):
    CUTOFF_DAY_OF_MONTH_BEFORE_SWITCH = "cutoff_day_of_month_before_switch"


class BillingFrequency(enum.StrEnum):
    MONTHLY = "monthly"
    BIMONTHLY = "bimonthly"




@_frozen
class ConfirmationRules:
    deadline_working_days: PositiveInt


@_frozen
class CoolingOffRules:
    statutory_days: PositiveInt
    day_kind: DayKind
    extend_to_point_of_no_return: bool
    on_premises_covered: bool
    required_request_fields: frozenset[RequestField]
    channels: Mapping[CustomerGroup, frozenset[WithdrawalChannel]]

    def invariant_problems(self) -> Iterator[Problem]:
        for kind, channels in self.channels.items():
            if WithdrawalChannel.RACCOMANDATA not in channels:
                yield f"channels.{kind}", 'must include "raccomandata" (accepted from every customer, rulebook §2.3)'


@_frozen
class SwitchingRules:
    switch_day_of_month: DayOfMonth
    cutoff_day_of_month: DayOfMonth
    point_of_no_return: PointOfNoReturnRule
    revocable_until_point_of_no_return: bool
    wait_for_statutory_window: bool


@_frozen
class BillingRules:
    payment_term_calendar_days: PositiveInt
    frequency: Mapping[CustomerGroup, Mapping[Commodity, BillingFrequency]]
    dunning_days_after_due: Mapping[DunningStep, PositiveInt]

    def invariant_problems(self) -> Iterator[Problem]:
        if not strictly_increasing(list(self.dunning_days_after_due.values())):
            yield "dunning_days_after_due", "must be strictly increasing in ladder order " + ", ".join(DunningStep)


@_frozen
class AuditSamplingRules:
    period_days: PositiveInt
    paper_rate: Rate
    telephone_rate: Rate
    minimum_per_channel: NonNegativeInt
    risk_window_days: PositiveInt
    risk_threshold_rate: Rate
    risk_multiplier: Multiplier
    probation_rate: Rate
    revoked_agency_rate: Rate


@_frozen
class PenaltyRules:
    amounts_eur: Mapping[NonconformityType, Money]
    serious: frozenset[NonconformityType]
    disownment_counts_as: NonconformityType


@_frozen
class EscalationRules:
    warning_serious_per_quarter: PositiveInt
    corrective_plan_calendar_days: PositiveInt
    revocation_serious_per_quarter: PositiveInt
    revoke_on_missed_corrective_plan: bool
    immediate_revocation_on: frozenset[NonconformityType]

    def invariant_problems(self) -> Iterator[Problem]:
        if self.revocation_serious_per_quarter <= self.warning_serious_per_quarter:
            yield "revocation_serious_per_quarter", (
                f"must be greater than warning_serious_per_quarter ({self.warning_serious_per_quarter}),"
                f" got {self.revocation_serious_per_quarter}"
            )


@_frozen
class IndemnityTier:
    """TIQV: a reply later than ``late_beyond_multiple_of_standard`` x the standard earns ``amount_eur``."""

    late_beyond_multiple_of_standard: PositiveInt
    amount_eur: Money


@_frozen
class DisownmentRules:
    reply_calendar_days: PositiveInt
    late_reply_indemnity: tuple[IndemnityTier, ...]

    def invariant_problems(self) -> Iterator[Problem]:
        tiers = self.late_reply_indemnity
        if not tiers:
            yield "late_reply_indemnity", "must list at least one tier"
        if not strictly_increasing([t.late_beyond_multiple_of_standard for t in tiers]):
            yield "late_reply_indemnity", "multiples of the standard must be strictly increasing"
        if not strictly_increasing([t.amount_eur for t in tiers]):
            yield "late_reply_indemnity", "indemnity amounts must be strictly increasing"


@_frozen
class TirvRules:
    domestic_complaint_calendar_days: PositiveInt  # from the first bill's issue date
    non_domestic_complaint_calendar_days: PositiveInt  # from learning of the contract


@_frozen
class RestorationRules:
    offered_for_all_channels: bool
    request_working_days: PositiveInt
    domestic_opt_in_required: bool
    domestic_opt_in_calendar_days: PositiveInt
    electricity_pcv_zero: bool
    gas_qvd_zero: bool


@_frozen
class ProtocolIndemnityRules:
    amount_eur: Money


@_frozen
class ScopeRules:
    small_business_employees_fewer_than: PositiveInt
    small_business_turnover_up_to_eur: Money


@_frozen
class ReportRules:
    association_period_months: MonthsPerYearDivisor


@_frozen
class CalendarRules:
    country: Country
    language: Language
    roll_calendar_deadlines_to_working_day: bool
    province: Province | None = None


@_frozen
class RuleSet:
    version: Version
    effective_from: dt.date
    confirmation: ConfirmationRules
    cooling_off: CoolingOffRules
    switching: SwitchingRules
    billing: BillingRules
    audit_sampling: AuditSamplingRules
    penalties: PenaltyRules
    escalation: EscalationRules
    disownment: DisownmentRules
    tirv: TirvRules
    restoration: RestorationRules
    protocol_indemnity: ProtocolIndemnityRules
    scope: ScopeRules
    reports: ReportRules
    calendar: CalendarRules
    sha256: str = field(metadata={"computed": True})  # of the rule file's bytes
    source: str = field(metadata={"computed": True})  # where the rule file came from


def _parse_bytes(data: bytes, *, source: str) -> RuleSet:
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RuleSetError(source=source, problems=[("(file)", f"is not valid UTF-8 TOML: {exc}")]) from exc
    problems: list[Problem] = []
    computed = {"sha256": hashlib.sha256(data).hexdigest(), "source": source}
    rule_set = convert_dataclass(RuleSet, raw, key="", problems=problems, computed=computed)
    if problems or rule_set is INVALID:
        raise RuleSetError(source=source, problems=problems)
    return typing.cast(RuleSet, rule_set)


def parse_rule_set(*, text: str, source: str) -> RuleSet:
    """Parse and validate rule-set TOML ``text``; ``sha256`` is of its UTF-8 bytes.

    Raises ``RuleSetError`` (a ``ValueError``) listing every problem by dotted key.
    """
    return _parse_bytes(text.encode("utf-8"), source=source)


def load_rule_set(*, path: Path | None = None) -> RuleSet:
    """Load the rule set at ``path``, by default the packaged ``protocol/rules.toml``.

    Raises ``RuleSetError`` when the file is invalid, ``OSError`` when it cannot be read.
    """
    if path is None:
        data = resources.files("protocol").joinpath("rules.toml").read_bytes()
        return _parse_bytes(data, source=PACKAGED_SOURCE)
    return _parse_bytes(Path(path).read_bytes(), source=str(path))
