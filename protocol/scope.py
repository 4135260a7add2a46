"""Who the protocol's €25 indemnity protects: the scope of Delibera 153/2012 (rulebook §1).

- **Electricity**: customers entitled to *maggior tutela*: every domestic customer, and a
  non-domestic customer whose size figures prove a small business: fewer than
  ``small_business_employees_fewer_than`` employees **and** a turnover up to
  ``small_business_turnover_up_to_eur``. The size figures decide for *every* non-domestic
  kind (small business, business, condominium, public service): the kind is a sales label,
  the law looks at the figures. A figure that is missing cannot prove the size, so the
  customer is out of scope and the reason says so. Every supply is taken to be in low
  voltage **(default)**: the record carries no voltage level.
  ``vulnerable`` plays no part in electricity: the electricity vulnerability of D.Lgs
  210/2021 concerns domestic customers, who are in scope anyway.
- **Gas**: customers *vulnerable* under D.Lgs 164/2000 art. 22 c. 2. By law that covers every
  domestic customer, domestic-use condominiums (a ``condominium`` customer is taken to be of
  domestic use **(default)**) and public-service users, whatever their ``vulnerable`` flag.
  For the other kinds (small business, business) ``vulnerable=True`` is read as the record's
  statement that the customer belongs to the art. 22 c. 2 category anyway (e.g. a private
  structure running a recognised assistance activity), and brings it in scope. So the flag
  can only widen the scope, never narrow it.

Pure: no clock, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from protocol.codes import Commodity, CustomerKind
from protocol.errors import SentinellaError
from protocol.ruleset import RuleSet, ScopeRules

__all__ = ["GAS_VULNERABLE_BY_LAW", "InvalidSizeFigures", "ScopeDecision", "in_protocol_scope"]

GAS_VULNERABLE_BY_LAW = frozenset({CustomerKind.DOMESTIC, CustomerKind.CONDOMINIUM, CustomerKind.PUBLIC_SERVICE})
"""Gas customer kinds vulnerable under D.Lgs 164/2000 art. 22 c. 2 whatever their flag."""


class InvalidSizeFigures(SentinellaError, ValueError):
    """Employees or turnover are negative, or not an int / a Decimal."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ScopeDecision:
    in_scope: bool
    reason: str  # one English sentence, for the case file and the decision event


def _check_figures(employees: int | None, turnover_eur: Decimal | None) -> None:
    if employees is not None and (isinstance(employees, bool) or not isinstance(employees, int) or employees < 0):
        raise InvalidSizeFigures(f"employees must be a non-negative integer or None, got {employees!r}")
    if turnover_eur is not None and (not isinstance(turnover_eur, Decimal) or not turnover_eur.is_finite()
                                     or turnover_eur < 0):
        raise InvalidSizeFigures(f"turnover_eur must be a non-negative Decimal or None, got {turnover_eur!r}")


def _small_business(employees: int | None, turnover_eur: Decimal | None, rules: ScopeRules) -> ScopeDecision:
    fewer_than, up_to = rules.small_business_employees_fewer_than, rules.small_business_turnover_up_to_eur
    missing = [name for name, value in (("employees", employees), ("turnover", turnover_eur)) if value is None]
    if missing:
        return ScopeDecision(
            in_scope=False,
            reason=f"small-business size not provable: {' and '.join(missing)} missing,"
            " so not entitled to maggior tutela (153/2012 scope)",
        )
    assert employees is not None and turnover_eur is not None
    if employees >= fewer_than:
        return ScopeDecision(
            in_scope=False, reason=f"{employees} employees: a small business has fewer than {fewer_than}"
        )
    if turnover_eur > up_to:
        return ScopeDecision(
            in_scope=False, reason=f"turnover €{turnover_eur} exceeds the small-business limit of €{up_to}"
        )
    return ScopeDecision(
        in_scope=True,
        reason=f"small business in low voltage ({employees} employees, turnover €{turnover_eur}):"
        " entitled to maggior tutela",
    )


def in_protocol_scope(
    *,
    customer_kind: CustomerKind,
    commodity: Commodity,
    vulnerable: bool,
    employees: int | None,
    turnover_eur: Decimal | None,
    rules: ScopeRules | RuleSet,
) -> ScopeDecision:
    """Whether the customer is in the scope of 153/2012 (so the €25 protocol indemnity applies).

    ``rules`` is the rule set or its ``scope`` section. Raises ``InvalidSizeFigures`` for a
    negative or mistyped size figure, ``ValueError`` for an unknown kind or commodity.
    """
    section = rules.scope if isinstance(rules, RuleSet) else rules
    kind, commodity = CustomerKind(customer_kind), Commodity(commodity)
    _check_figures(employees, turnover_eur)
    label = kind.value.replace("_", " ")
    if commodity is Commodity.ELECTRICITY:
        if kind is CustomerKind.DOMESTIC:
            return ScopeDecision(in_scope=True, reason="domestic electricity customer: entitled to maggior tutela")
        return _small_business(employees, turnover_eur, section)
    if kind in GAS_VULNERABLE_BY_LAW:
        return ScopeDecision(
            in_scope=True, reason=f"{label} gas customer: vulnerable under D.Lgs 164/2000 art. 22 c. 2"
        )
    if vulnerable:
        return ScopeDecision(
            in_scope=True,
            reason=f"{label} gas customer recorded as vulnerable under D.Lgs 164/2000 art. 22 c. 2",
        )
    return ScopeDecision(
        in_scope=False,
        reason=f"{label} gas customer: not vulnerable under D.Lgs 164/2000 art. 22 c. 2",
    )
