"""The penalty table (rulebook §4): euros per nonconformity type, per mandate.

A mandate's own table (keys are ``NonconformityType`` values, amounts strings such as
``"500.00"`` or ``Decimal``) comes first; a type it does not list falls back to the rule set's
``penalties.amounts_eur``. An accepted disownment counts as ``disownment_counts_as`` (an
unsolicited contract by default). Pure: no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from agencies.errors import InvalidPenaltyTable, UnknownNonconformityType
from protocol.codes import NonconformityType
from protocol.ruleset import PenaltyRules

__all__ = [
    "InvalidPenaltyTable",
    "UnknownNonconformityType",
    "disownment_nonconformity",
    "is_serious",
    "nonconformity_type",
    "parse_penalty_table",
    "penalty_for",
]

CENT = Decimal("0.01")


def nonconformity_type(value: NonconformityType | str) -> NonconformityType:
    """``value`` as a ``NonconformityType``. Raises ``UnknownNonconformityType``."""
    try:
        return NonconformityType(value)
    except ValueError:
        raise UnknownNonconformityType(
            f"unknown nonconformity type {value!r}; known types: {', '.join(NonconformityType)}"
        ) from None


def _amount(key: str, raw: object) -> Decimal:
    if isinstance(raw, Decimal):
        amount = raw
    elif isinstance(raw, str):
        try:
            amount = Decimal(raw.strip())
        except InvalidOperation:
            amount = Decimal("NaN")
    else:
        raise InvalidPenaltyTable(f"penalty for {key!r} must be a string or Decimal amount, got {raw!r}")
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
        raise InvalidPenaltyTable(
            f"penalty for {key!r} must be a non-negative euro amount with at most 2 decimals, got {raw!r}"
        )
    return amount.quantize(CENT)


def parse_penalty_table(*, penalty_table: Mapping[str, str | Decimal]) -> dict[NonconformityType, Decimal]:
    """A mandate's table checked and converted: known types only, euro amounts to the cent.

    Raises ``InvalidPenaltyTable`` naming the first bad key or amount.
    """
    parsed: dict[NonconformityType, Decimal] = {}
    for key, raw in penalty_table.items():
        try:
            kind = nonconformity_type(key)
        except UnknownNonconformityType as exc:
            raise InvalidPenaltyTable(f"mandate penalty table: {exc}") from None
        parsed[kind] = _amount(key, raw)
    return parsed


def penalty_for(
    *, nonconformity: NonconformityType | str, penalty_table: Mapping[str, str | Decimal], rules: PenaltyRules
) -> Decimal:
    """The euros a nonconformity costs the agency under its mandate, to the cent.

    The mandate's ``penalty_table`` wins; a type it lacks takes the rule set's default.
    Raises ``UnknownNonconformityType`` for an unknown ``nonconformity``, ``InvalidPenaltyTable``
    when the mandate's table is malformed (checked whole, even entries not asked for).
    """
    kind = nonconformity_type(nonconformity)
    table = parse_penalty_table(penalty_table=penalty_table)
    if kind in table:
        return table[kind]
    if kind not in rules.amounts_eur:
        raise UnknownNonconformityType(f"neither the mandate nor the rule set prices {kind!r}")
    return rules.amounts_eur[kind].quantize(CENT)


def is_serious(*, nonconformity: NonconformityType | str, rules: PenaltyRules) -> bool:
    """True when the type counts towards escalation. Raises ``UnknownNonconformityType``."""
    return nonconformity_type(nonconformity) in rules.serious


def disownment_nonconformity(*, rules: PenaltyRules) -> NonconformityType:
    """The type an accepted disownment is recorded as against the selling agency."""
    return rules.disownment_counts_as
