"""Portable SQL pieces for the reports: whole days between two dates, a date's month bucket,
the 153/2012 scope test as a ``CASE`` expression, integer cents of a money column.

Every expression gives the same values on SQLite and PostgreSQL, so a report is identical on both.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Integer, and_, case, func, literal_column, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from db.models import Customer
from protocol.codes import Commodity, CustomerKind
from protocol.ruleset import ScopeRules
from protocol.scope import GAS_VULNERABLE_BY_LAW


class days_between(FunctionElement):  # noqa: N801 - reads as an SQL function
    """``days_between(later, earlier)``: whole calendar days from ``earlier`` to ``later``."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between_default(element, compiler, **kw) -> str:  # PostgreSQL: date - date is an integer
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw) -> str:  # dates are ISO text on SQLite
    later, earlier = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})"
            " AS INTEGER)")


def month_bucket(column, *, months: Sequence[date]) -> ColumnElement[int]:
    """The index of the month (first days ``months``, ascending) a date column falls in.

    Rows before the first month or from the day after the last one get NULL; the caller filters them.
    A ``CASE`` over the month boundaries instead of ``strftime`` / ``date_trunc``: one expression for both
    databases.
    """
    if len(months) == 1:
        return literal_column("0", Integer)
    whens = [(column < boundary, index) for index, boundary in enumerate(months[1:])]
    return case(*whens, else_=len(months) - 1)


def grouped_counts(session: Session, *, columns: Sequence[ColumnElement], select_from, where) -> list[tuple]:
    """``(*columns, rows)`` counted per distinct combination of ``columns`` over the rows of ``where``.

    The columns are computed in a subquery and grouped by name outside it: an expression with bound
    parameters (a month bucket, the scope test) is then grouped on PostgreSQL too, which refuses
    ``GROUP BY`` on an expression whose parameters are bound apart from the select list's.
    """
    inner = select(*columns).select_from(select_from).where(*where).subquery()
    keys = list(inner.c)
    return [tuple(row) for row in session.execute(select(*keys, func.count()).group_by(*keys))]


def cents(column) -> ColumnElement[int]:
    """The integer cents ``db.types.Money`` stores, without the Decimal conversion (exact SQL sums)."""
    return type_coerce(column, BigInteger)


def euros(value: object) -> Decimal:
    """An integer SUM of cents (``int`` on SQLite, ``Decimal`` on PostgreSQL) as exact euros."""
    if value is None:
        return Decimal("0.00")
    return Decimal(int(value)).scaleb(-2).quantize(Decimal("0.01"))


def in_scope_sql(*, rules: ScopeRules, commodity_column) -> ColumnElement[bool]:
    """``protocol.scope.in_protocol_scope`` as SQL over ``customers`` and the contract's commodity."""
    small = and_(Customer.employees.is_not(None), Customer.turnover_eur.is_not(None),
                 Customer.employees < rules.small_business_employees_fewer_than,
                 cents(Customer.turnover_eur) <= int(rules.small_business_turnover_up_to_eur * 100))
    electricity = and_(commodity_column == Commodity.ELECTRICITY,
                       or_(Customer.kind == CustomerKind.DOMESTIC, small))
    gas = and_(commodity_column == Commodity.GAS,
               or_(Customer.kind.in_(sorted(GAS_VULNERABLE_BY_LAW)), Customer.vulnerable.is_(True)))
    return or_(electricity, gas)
