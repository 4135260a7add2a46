"""The drill-down of a scorecard: each nonconformity of one agency in a period, with its contract."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Agency, Agent, Contract, Nonconformity, Penalty


class UnknownAgency(LookupError):
    """No agency has that code."""


def agency_nonconformities(session: Session, *, agency_code: str, period_start: date, period_end: date) -> dict:
    """The agency and its nonconformities found in ``[period_start, period_end)``, oldest first.

    The same selection as the scorecard's "nonconformities by type". Raises UnknownAgency.
    """
    agency = session.execute(select(Agency).where(Agency.code == agency_code)).scalar_one_or_none()
    if agency is None:
        raise UnknownAgency(agency_code)
    rows = session.execute(
        select(Nonconformity, Contract.external_id, Agent.badge, Penalty.amount)
        .join(Contract, Contract.id == Nonconformity.contract_id)
        .outerjoin(Agent, Agent.id == Nonconformity.agent_id)
        .outerjoin(Penalty, Penalty.nonconformity_id == Nonconformity.id)
        .where(Nonconformity.agency_id == agency.id, Nonconformity.found_on >= period_start,
               Nonconformity.found_on < period_end)
        .order_by(Nonconformity.found_on, Nonconformity.id)
    ).all()
    return {"code": agency.code, "name": agency.name, "status": agency.status.value,
            "findings": [{"type": n.type.value, "serious": n.serious, "found_on": n.found_on, "contract": external_id,
                          "agent_badge": badge, "audit_id": n.audit_id, "case_id": n.case_id, "note": n.note,
                          "penalty": penalty} for n, external_id, badge, penalty in rows]}
