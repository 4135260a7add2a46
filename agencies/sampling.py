"""Sample audits of agency contracts (rulebook §3): the rate, the size and the seeded draw.

Per agency per week, each ``AuditGroup`` (paper, telephone, and employees' contracts for
corrective measures without penalties) is sampled separately:

- the base rate is ``paper_rate`` / ``telephone_rate``; the employee group, which sells both
  ways and has no rate of its own, takes the higher of the two;
- risk weighting: when the agency's nonconformity rate over the ``risk_window_days`` before
  the week (nonconforming / audited, all its groups) is strictly above ``risk_threshold_rate``,
  the base rate is multiplied by ``risk_multiplier``, capped at 1; with nothing audited there
  is no evidence and no weighting;
- an agency on probation is sampled at ``probation_rate``, a revoked agency at
  ``revoked_agency_rate`` (100% by default; pass its pending contracts as the population);
  a status never lowers the rate (WARNED is sampled like ACTIVE);
- the size is ceil(rate x N), at least ``minimum_per_channel``, at most N (all if fewer).

The draw is reproducible on any machine, process or ``PYTHONHASHSEED``: each contract id is
ranked by SHA-256 of ``seed_material + "#" + id`` (ties, impossible in practice, by id) and
the first ``size`` ids are drawn. The ranking of an id does not depend on the others, so the
population's order never matters and adding contracts never reshuffles the rest. Store
``seed_material`` with the batch to replay it. Pure: no clock, no I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from agencies.errors import InvalidSamplingInputs
from agencies.periods import week_start_of
from protocol.codes import AgencyStatus, AuditGroup
from protocol.ruleset import AuditSamplingRules

__all__ = [
    "ALGORITHM",
    "AuditDraw",
    "InvalidSamplingInputs",
    "RateDecision",
    "SamplingInputs",
    "draw_sample",
    "rate_decision",
    "risk_window",
    "sample_size",
    "sampling_rate",
    "seed_material_of",
    "week_start_of",
]

_frozen = dataclass(frozen=True, kw_only=True, slots=True)
ALGORITHM = "sentinella-audit-sample/v1"  # first element of every seed material
ONE = Decimal(1)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@_frozen
class SamplingInputs:
    """One agency's contracts of one audit group for one week, and its recent audit record.

    Raises ``InvalidSamplingInputs`` for an empty agency code, an unknown group or status,
    a ``week_start`` that is not a Monday, non-integer or duplicate contract ids, negative
    counts, or more nonconforming than audited contracts.
    """

    agency_code: str
    group: AuditGroup
    week_start: date
    population: tuple[int, ...]  # contract ids, any order
    agency_status: AgencyStatus
    audited_last_window: int  # the agency's contracts audited in the risk window (see risk_window)
    nonconforming_last_window: int  # of those, found nonconforming
    seed: int

    def __post_init__(self) -> None:
        problems = []
        for name, enum in (("group", AuditGroup), ("agency_status", AgencyStatus)):
            try:
                object.__setattr__(self, name, enum(getattr(self, name)))
            except ValueError:
                problems.append(f"{name} must be one of {', '.join(enum)}, got {getattr(self, name)!r}")
        object.__setattr__(self, "population", population := tuple(self.population))
        audited, bad = self.audited_last_window, self.nonconforming_last_window
        checks = [
            (isinstance(self.agency_code, str) and self.agency_code.strip(), "agency_code must be a non-empty string"),
            (type(self.week_start) is date and week_start_of(self.week_start) == self.week_start,
             f"week_start must be a Monday date, got {self.week_start!r}"),
            (all(_is_int(i) for i in population), "population must hold integer contract ids"),
            (len(set(population)) == len(population), "population holds duplicate contract ids"),
            (_is_int(audited) and _is_int(bad) and 0 <= bad <= audited,
             f"need integers 0 <= nonconforming_last_window ({bad!r}) <= audited_last_window ({audited!r})"),
            (_is_int(self.seed), f"seed must be an integer, got {self.seed!r}"),
        ]
        problems += [message for ok, message in checks if not ok]
        if problems:
            raise InvalidSamplingInputs("; ".join(problems))


@_frozen
class RateDecision:
    rate: Decimal
    risk_weighted: bool  # the window's nonconformity rate was above the threshold
    reason: str


@_frozen
class AuditDraw:
    rate: Decimal
    size: int
    drawn: tuple[int, ...]  # sorted ascending
    risk_weighted: bool
    reason: str
    seed_material: str  # the exact string hashed to rank the ids; store it with the batch
    population_size: int


def _base_rate(group: AuditGroup, rules: AuditSamplingRules) -> Decimal:
    if group is AuditGroup.PAPER:
        return rules.paper_rate
    if group is AuditGroup.TELEPHONE:
        return rules.telephone_rate
    return max(rules.paper_rate, rules.telephone_rate)


def rate_decision(*, inputs: SamplingInputs, rules: AuditSamplingRules) -> RateDecision:
    """The sampling rate for ``inputs``, whether risk weighting applied, and why in words."""
    base = _base_rate(inputs.group, rules)
    audited, bad = inputs.audited_last_window, inputs.nonconforming_last_window
    risky = audited > 0 and bad > rules.risk_threshold_rate * audited  # exact: bad/audited > threshold
    rate, why = base, f"{inputs.group} base rate {base}"
    if risky:
        rate = min(ONE, base * rules.risk_multiplier)
        why = (
            f"{why} x {rules.risk_multiplier} (capped at 1) = {rate}: {bad} nonconforming of {audited}"
            f" audited in the last {rules.risk_window_days} days is above {rules.risk_threshold_rate}"
        )
    status_rates = {
        AgencyStatus.PROBATION: (rules.probation_rate, "agency on probation"),
        AgencyStatus.REVOKED: (rules.revoked_agency_rate, "revoked agency's pending contracts"),
    }
    if inputs.agency_status in status_rates:
        status_rate, label = status_rates[inputs.agency_status]
        if status_rate >= rate:
            rate, why = status_rate, f"{label} at rate {status_rate} (otherwise: {why})"
    return RateDecision(rate=rate, risk_weighted=risky, reason=why)


def sampling_rate(*, inputs: SamplingInputs, rules: AuditSamplingRules) -> Decimal:
    """The sampling rate for ``inputs`` (see the module docstring), a ``Decimal`` in [0, 1]."""
    return rate_decision(inputs=inputs, rules=rules).rate


def sample_size(*, population_size: int, rate: Decimal, minimum: int) -> int:
    """ceil(rate x population_size), at least ``minimum``, at most ``population_size``.

    Raises ``InvalidSamplingInputs`` for a negative size or minimum, or a rate that is not a
    ``Decimal`` between 0 and 1 (floats are refused).
    """
    if not (_is_int(population_size) and _is_int(minimum)) or population_size < 0 or minimum < 0:
        raise InvalidSamplingInputs(f"need integers >= 0, got {population_size=} {minimum=}")
    if not isinstance(rate, Decimal) or not rate.is_finite() or not 0 <= rate <= 1:
        raise InvalidSamplingInputs(f"rate must be a Decimal between 0 and 1, got {rate!r}")
    proportional = int((rate * population_size).to_integral_value(rounding=ROUND_CEILING))
    return min(population_size, max(minimum, proportional))


def seed_material_of(inputs: SamplingInputs) -> str:
    """The string that seeds the draw: a JSON array of algorithm, seed, agency, group, week."""
    fields = [ALGORITHM, inputs.seed, inputs.agency_code, inputs.group.value, inputs.week_start.isoformat()]
    return json.dumps(fields, ensure_ascii=False, separators=(",", ":"))


def _rank(material: str, contract_id: int) -> tuple[bytes, int]:
    return hashlib.sha256(f"{material}#{contract_id}".encode("utf-8")).digest(), contract_id


def draw_sample(*, inputs: SamplingInputs, rules: AuditSamplingRules) -> AuditDraw:
    """Draw the week's audit sample for ``inputs``: the same inputs give the same ids anywhere."""
    decision = rate_decision(inputs=inputs, rules=rules)
    population = sorted(inputs.population)
    size = sample_size(population_size=len(population), rate=decision.rate, minimum=rules.minimum_per_channel)
    material = seed_material_of(inputs)
    if size < len(population):
        chosen = sorted(population, key=lambda contract_id: _rank(material, contract_id))[:size]
    else:
        chosen = population
    reason = f"{decision.reason}; {size} of {len(population)} (at least {rules.minimum_per_channel}, all if fewer)"
    return AuditDraw(
        rate=decision.rate, size=size, drawn=tuple(sorted(chosen)), risk_weighted=decision.risk_weighted,
        reason=reason, seed_material=material, population_size=len(population),
    )


def risk_window(*, week_start: date, rules: AuditSamplingRules) -> tuple[date, date]:
    """The half-open window whose audits weigh the rate: the ``risk_window_days`` before the week."""
    return week_start - timedelta(days=rules.risk_window_days), week_start
