"""Named exceptions of the agency-side rules.

Every one derives from ``AgencyRuleError``, a ``SentinellaError`` and a ``ValueError``: the
inputs a caller passed cannot be used, and the message says which one and why.
"""

from __future__ import annotations

from protocol.errors import SentinellaError

__all__ = [
    "AgencyRuleError",
    "InvalidConfidence",
    "InvalidCounts",
    "InvalidFigures",
    "InvalidPenaltyTable",
    "InvalidPeriod",
    "InvalidSamplingInputs",
    "InvalidStanding",
    "UnknownNonconformityType",
]


class AgencyRuleError(SentinellaError, ValueError):
    """The root of the agency-side rule errors."""


class InvalidSamplingInputs(AgencyRuleError):
    """Sampling inputs are impossible (negative counts, duplicate ids, a week not on Monday...)."""


class UnknownNonconformityType(AgencyRuleError):
    """A nonconformity type is not one of ``protocol.codes.NonconformityType``."""


class InvalidPenaltyTable(AgencyRuleError):
    """A mandate's penalty table has an unknown type or an amount that is not euros and cents."""


class InvalidStanding(AgencyRuleError):
    """An agency standing is impossible (negative count, plan due before it opened, future facts)."""


class InvalidCounts(AgencyRuleError):
    """Counts for a statistic are impossible (negative, or more successes than trials)."""


class InvalidConfidence(AgencyRuleError):
    """A confidence level is not a decimal strictly between 0 and 1."""


class InvalidFigures(AgencyRuleError):
    """An agency's period figures are impossible or duplicated."""


class InvalidPeriod(AgencyRuleError):
    """A period is not one of the accepted forms, or its start is not before its end."""
