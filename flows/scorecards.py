"""The agency scorecard read from the database (rulebook §4), with set-based SQL.

Every figure is one ``GROUP BY`` query over the whole period (no per-contract Python), so the
cost grows with the number of agencies, not with the book: a million contracts stay a handful of
aggregate scans. The figures of an agency for the half-open period ``[start, end)``:

- contracts by channel: its contracts *signed* in the period, whatever their state since;
- audited / nonconforming audited: of those contracts, how many have an audit with a verdict
  (any batch, any verdict date: a late verdict sharpens a closed period's scorecard), and how
  many of them have a ``nonconforming`` one; a contract counts once however many audits it had;
- nonconformities by type: findings against the agency with ``found_on`` in the period;
- withdrawals: the period's contracts with an *accepted* withdrawal case (counted per contract);
- disownments received / accepted: its contracts (signed at any time) with a disownment case
  *received* in the period / with such a case accepted (counted per contract);
- penalties: the sum of penalties ``accrued_on`` in the period, summed in SQL as integer cents
  (how ``db.types.Money`` stores them), so the total is exact on SQLite and PostgreSQL;
- corrective actions open: plans opened before the period's end and not closed before it;
- mandate status: the agency's status today (the table keeps no history of it).

Only outside agencies are scored: the internal one (shop staff, ``is_internal``) gets corrective
measures, never penalties or a rank against sales partners. An agency is listed when a mandate
of it was in force during the period (``valid_from`` before the end, neither ``valid_to`` nor
``revoked_on`` on or before the start) or when it has any non-zero figure in the period.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import BigInteger, Engine, and_, case, distinct, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from agencies.errors import InvalidPeriod
from agencies.periods import period_bounds
from agencies.scorecard import AgencyPeriodFigures, ScorecardRow, build_scorecard
from db.engine import transaction
from db.models import Agency, Audit, Case, Contract, CorrectiveAction, Mandate, Nonconformity, Penalty
from protocol.codes import AuditVerdict, CaseKind, CaseOutcome

__all__ = ["InvalidPeriod", "agency_scorecard", "scorecard_between", "scorecard_figures"]

_CENTS = 2  # db.types.Money keeps euros as integer cents


def _euros(cents: object) -> Decimal:
    """An integer SUM of cents (``int`` on SQLite, ``Decimal`` on PostgreSQL) as exact euros."""
    if cents is None:
        return Decimal("0.00")
    value = Decimal(cents)
    if value != value.to_integral_value():
        raise ArithmeticError(f"a sum of integer cents came back as {cents!r}")  # a schema bug, not user input
    return value.scaleb(-_CENTS).quantize(Decimal("0.01"))


def _pairs(session: Session, statement) -> dict[int, int]:
    return {agency_id: count for agency_id, count in session.execute(statement) if agency_id is not None}


def scorecard_figures(session: Session, *, period_start: date, period_end: date) -> list[AgencyPeriodFigures]:
    """Every outside agency's raw figures for ``[period_start, period_end)``, by agency code.

    Raises ``InvalidPeriod`` when ``period_start`` is not before ``period_end``.
    """
    if not period_start < period_end:
        raise InvalidPeriod(f"period start {period_start} must be before its (exclusive) end {period_end}")
    signed = and_(Contract.signed_on >= period_start, Contract.signed_on < period_end)

    by_channel: dict[int, dict[str, int]] = defaultdict(dict)
    for agency_id, channel, count in session.execute(
        select(Contract.agency_id, Contract.channel, func.count())
        .where(Contract.agency_id.is_not(None), signed).group_by(Contract.agency_id, Contract.channel)
    ):
        by_channel[agency_id][channel.value] = count

    audited: dict[int, tuple[int, int]] = {}
    for agency_id, checked, failed in session.execute(
        select(Contract.agency_id, func.count(distinct(Audit.contract_id)),
               func.count(distinct(case((Audit.verdict == AuditVerdict.NONCONFORMING, Audit.contract_id)))))
        .join(Contract, Contract.id == Audit.contract_id)
        .where(Audit.verdict.is_not(None), Contract.agency_id.is_not(None), signed).group_by(Contract.agency_id)
    ):
        audited[agency_id] = (checked, failed)

    by_type: dict[int, dict[str, int]] = defaultdict(dict)
    for agency_id, kind, count in session.execute(
        select(Nonconformity.agency_id, Nonconformity.type, func.count())
        .where(Nonconformity.found_on >= period_start, Nonconformity.found_on < period_end)
        .group_by(Nonconformity.agency_id, Nonconformity.type)
    ):
        by_type[agency_id][kind.value] = count

    withdrawals = _pairs(session, select(Contract.agency_id, func.count(distinct(Case.contract_id)))
                         .join(Contract, Contract.id == Case.contract_id)
                         .where(Case.kind == CaseKind.WITHDRAWAL, Case.outcome == CaseOutcome.ACCEPTED, signed)
                         .group_by(Contract.agency_id))

    disownments: dict[int, tuple[int, int]] = {}
    for agency_id, received, accepted in session.execute(
        select(Contract.agency_id, func.count(distinct(Case.contract_id)),
               func.count(distinct(case((Case.outcome == CaseOutcome.ACCEPTED, Case.contract_id)))))
        .join(Contract, Contract.id == Case.contract_id)
        .where(Case.kind == CaseKind.DISOWNMENT, Case.received_on >= period_start, Case.received_on < period_end,
               Contract.agency_id.is_not(None))
        .group_by(Contract.agency_id)
    ):
        disownments[agency_id] = (received, accepted)

    cents = type_coerce(Penalty.amount, BigInteger)  # the stored integer, without Money's Decimal conversion
    penalties = {agency_id: _euros(total) for agency_id, total in session.execute(
        select(Penalty.agency_id, func.sum(cents))
        .where(Penalty.accrued_on >= period_start, Penalty.accrued_on < period_end).group_by(Penalty.agency_id)
    )}

    plans_open = _pairs(session, select(CorrectiveAction.agency_id, func.count())
                        .where(CorrectiveAction.opened_on < period_end,
                               or_(CorrectiveAction.closed_on.is_(None), CorrectiveAction.closed_on >= period_end))
                        .group_by(CorrectiveAction.agency_id))

    mandated = set(session.execute(
        select(Mandate.agency_id).distinct().where(
            Mandate.valid_from < period_end,
            or_(Mandate.valid_to.is_(None), Mandate.valid_to > period_start),
            or_(Mandate.revoked_on.is_(None), Mandate.revoked_on > period_start))
    ).scalars())

    figures = []
    for agency_id, code, name, status in session.execute(
        select(Agency.id, Agency.code, Agency.name, Agency.status)
        .where(Agency.is_internal.is_(False)).order_by(Agency.code)
    ):
        checked, failed = audited.get(agency_id, (0, 0))
        received, accepted = disownments.get(agency_id, (0, 0))
        row = AgencyPeriodFigures(
            agency_code=code, agency_name=name, contracts_by_channel=by_channel.get(agency_id, {}),
            audited=checked, nonconforming_audited=failed, nonconformities_by_type=by_type.get(agency_id, {}),
            withdrawals=withdrawals.get(agency_id, 0), disownments_received=received, disownments_accepted=accepted,
            penalties_eur=penalties.get(agency_id, Decimal("0.00")),
            corrective_actions_open=plans_open.get(agency_id, 0), mandate_status=status,
        )
        if agency_id in mandated or _active(row):
            figures.append(row)
    return figures


def _active(row: AgencyPeriodFigures) -> bool:
    """Whether the agency has any non-zero figure in the period."""
    counts = (*row.contracts_by_channel.values(), *row.nonconformities_by_type.values(), row.audited,
              row.withdrawals, row.disownments_received, row.corrective_actions_open)
    return any(counts) or row.penalties_eur > 0


def scorecard_between(*, engine: Engine, period_start: date, period_end: date,
                      confidence: str = "0.95") -> tuple[ScorecardRow, ...]:
    """The ranked scorecard of ``[period_start, period_end)`` (a quarter to date, say).

    Raises ``InvalidPeriod`` for an empty or reversed period, and what ``build_scorecard`` raises.
    """
    with transaction(engine) as session:
        figures = scorecard_figures(session, period_start=period_start, period_end=period_end)
    return build_scorecard(inputs=figures, period_start=period_start, period_end=period_end, confidence=confidence)


def agency_scorecard(*, engine: Engine, period: str, confidence: str = "0.95") -> tuple[ScorecardRow, ...]:
    """The ranked scorecard of ``period`` (``"2026-Q1"``, ``"2026-03"``, ``"2026-H1"``, ``"2026"``).

    Raises ``InvalidPeriod`` for a label ``agencies.periods.period_bounds`` does not accept.
    """
    start, end = period_bounds(period)
    return scorecard_between(engine=engine, period_start=start, period_end=end, confidence=confidence)
