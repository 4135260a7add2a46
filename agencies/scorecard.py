"""The agency scorecard (rulebook §4): one row per agency per period, ranked.

The caller hands the raw counts of each agency for the half-open period ``[start, end)`` as
``AgencyPeriodFigures``; ``build_scorecard`` derives the rates, the 95% Wilson interval of the
nonconformity rate (nonconforming audited contracts / audited contracts), the per-1,000 figures
and the rank: by nonconformity rate, then disownments accepted per 1,000 contracts, ascending,
ties sharing a rank ("1224"). An agency with nothing audited in the period has no evidence for
a rate and is left unranked (``rank`` None). Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from agencies.errors import InvalidFigures, InvalidPeriod
from agencies.periods import period_bounds
from agencies.statistics import per_thousand, proportion, rank, wilson_interval
from protocol.codes import AgencyStatus, Channel, NonconformityType

__all__ = [
    "AgencyPeriodFigures",
    "InvalidFigures",
    "InvalidPeriod",
    "ScorecardRow",
    "build_scorecard",
    "per_thousand",
    "period_bounds",
    "rank",
    "wilson_interval",
]

_frozen = dataclass(frozen=True, kw_only=True, slots=True)
_COUNTS = ("audited", "nonconforming_audited", "withdrawals", "disownments_received",
           "disownments_accepted", "corrective_actions_open")


def _full_counts(name: str, given: Mapping[str, int], enum: type[StrEnum]) -> dict[str, int]:
    """``given`` with every member of ``enum`` as a key, in the enum's order, zeros filled."""
    unknown = sorted(set(given) - set(enum))
    if unknown:
        raise InvalidFigures(f"{name} has unknown keys {unknown}; known: {', '.join(enum)}")
    counts = {member.value: given.get(member.value, 0) for member in enum}
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in counts.values()):
        raise InvalidFigures(f"{name} counts must be integers >= 0, got {dict(given)}")
    return counts


@_frozen
class AgencyPeriodFigures:
    """One agency's raw counts for the period.

    ``contracts_by_channel`` keys are ``Channel`` values and ``nonconformities_by_type`` keys
    ``NonconformityType`` values; both are completed with zeros in enum order. Raises
    ``InvalidFigures`` for unknown keys, negative counts, ``audited`` above the contracts,
    ``nonconforming_audited`` above ``audited``, a negative or sub-cent penalty, or an unknown status.
    """

    agency_code: str
    agency_name: str
    contracts_by_channel: Mapping[str, int]  # contracts the agency sold in the period
    audited: int  # of those contracts, how many were audited
    nonconforming_audited: int  # of the audited, how many were found nonconforming
    nonconformities_by_type: Mapping[str, int]  # all recorded in the period, accepted disownments included
    withdrawals: int
    disownments_received: int
    disownments_accepted: int
    penalties_eur: Decimal  # accrued in the period
    corrective_actions_open: int  # at the period's end
    mandate_status: AgencyStatus  # at the period's end

    def __post_init__(self) -> None:
        code = self.agency_code
        if not isinstance(code, str) or not code.strip():
            raise InvalidFigures(f"agency_code must be a non-empty string, got {code!r}")
        set_ = object.__setattr__
        set_(self, "contracts_by_channel",
             _full_counts(f"{code} contracts_by_channel", self.contracts_by_channel, Channel))
        set_(self, "nonconformities_by_type",
             _full_counts(f"{code} nonconformities_by_type", self.nonconformities_by_type, NonconformityType))
        for name in _COUNTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InvalidFigures(f"{code}: {name} must be an integer >= 0, got {value!r}")
        if self.audited > sum(self.contracts_by_channel.values()):
            raise InvalidFigures(f"{code}: audited ({self.audited}) exceeds the period's contracts")
        if self.nonconforming_audited > self.audited:
            raise InvalidFigures(f"{code}: nonconforming_audited ({self.nonconforming_audited}) exceeds audited")
        penalty = self.penalties_eur
        if not isinstance(penalty, Decimal) or not penalty.is_finite() or penalty < 0 \
                or penalty.as_tuple().exponent < -2:
            raise InvalidFigures(f"{code}: penalties_eur must be a non-negative Decimal to the cent, got {penalty!r}")
        set_(self, "penalties_eur", penalty.quantize(Decimal("0.01")))
        try:
            set_(self, "mandate_status", AgencyStatus(self.mandate_status))
        except ValueError:
            raise InvalidFigures(f"{code}: unknown mandate_status {self.mandate_status!r}") from None


@_frozen
class ScorecardRow:
    agency_code: str
    agency_name: str
    period_start: date
    period_end: date  # exclusive
    contracts_by_channel: Mapping[str, int]
    contracts_total: int
    audited: int
    audited_rate: Decimal  # audited / contracts_total, 6 places
    nonconformities_by_type: Mapping[str, int]
    nonconformities_total: int
    nonconforming_audited: int
    nonconformity_rate: Decimal  # nonconforming_audited / audited, 6 places
    wilson_low: Decimal
    wilson_high: Decimal
    withdrawals: int
    disownments_received: int
    disownments_accepted: int
    disownments_received_per_1000: Decimal
    disownments_accepted_per_1000: Decimal
    penalties_eur: Decimal
    corrective_actions_open: int
    mandate_status: AgencyStatus
    rank: int | None  # None: nothing audited in the period


def _row(f: AgencyPeriodFigures, *, start: date, end: date, confidence: str) -> ScorecardRow:
    total = sum(f.contracts_by_channel.values())
    low, high = wilson_interval(successes=f.nonconforming_audited, trials=f.audited, confidence=confidence)
    return ScorecardRow(
        agency_code=f.agency_code, agency_name=f.agency_name, period_start=start, period_end=end,
        contracts_by_channel=dict(f.contracts_by_channel), contracts_total=total, audited=f.audited,
        audited_rate=proportion(part=f.audited, whole=total),
        nonconformities_by_type=dict(f.nonconformities_by_type),
        nonconformities_total=sum(f.nonconformities_by_type.values()),
        nonconforming_audited=f.nonconforming_audited,
        nonconformity_rate=proportion(part=f.nonconforming_audited, whole=f.audited),
        wilson_low=low, wilson_high=high, withdrawals=f.withdrawals,
        disownments_received=f.disownments_received, disownments_accepted=f.disownments_accepted,
        disownments_received_per_1000=per_thousand(count=f.disownments_received, contracts=total),
        disownments_accepted_per_1000=per_thousand(count=f.disownments_accepted, contracts=total),
        penalties_eur=f.penalties_eur, corrective_actions_open=f.corrective_actions_open,
        mandate_status=f.mandate_status, rank=None,
    )


def build_scorecard(
    *, inputs: Sequence[AgencyPeriodFigures], period_start: date, period_end: date, confidence: str = "0.95"
) -> tuple[ScorecardRow, ...]:
    """The period's scorecard, best rank first, unranked agencies last, ties by agency code.

    Raises ``InvalidPeriod`` when ``period_start`` is not before ``period_end``,
    ``InvalidFigures`` when an agency code appears twice, and what ``wilson_interval`` raises.
    """
    if not period_start < period_end:
        raise InvalidPeriod(f"period start {period_start} must be before its (exclusive) end {period_end}")
    duplicated = sorted(code for code, n in Counter(f.agency_code for f in inputs).items() if n > 1)
    if duplicated:
        raise InvalidFigures(f"agencies listed more than once: {', '.join(duplicated)}")
    rows = {f.agency_code: _row(f, start=period_start, end=period_end, confidence=confidence) for f in inputs}
    ranks = rank(values={
        code: (row.nonconformity_rate, row.disownments_accepted_per_1000) for code, row in rows.items() if row.audited
    })
    ranked = [replace(rows[code], rank=position) for code, position in ranks.items()]
    unranked = sorted((row for row in rows.values() if not row.audited), key=lambda row: row.agency_code)
    return tuple(ranked + unranked)
