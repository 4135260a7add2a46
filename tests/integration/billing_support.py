"""Helpers for billing tests: contracts made active in a few day runs, and bulk copies of one."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from db.engine import transaction
from db.models import Contract, Customer, SupplyPoint
from tests.integration.lifecycle_support import Scenario

SIGNED = date(2026, 1, 7)
# Signed on 7 January by web: the switch is filed after cooling-off, passes its point of no
# return on 10 February and the contract is active from 1 March 2026.
STEPPING_STONES = (date(2026, 1, 8), date(2026, 2, 2), date(2026, 2, 11), date(2026, 3, 1))
ACTIVE_FROM = date(2026, 3, 1)


def active_contracts(scenario: Scenario, *, count: int = 1, payment_method: str = "postal_slip",
                     commodity: str | None = None) -> list[str]:
    """``count`` domestic contracts active from 1 March 2026 (bimonthly bills: 1 May, 1 July...)."""
    contracts = [scenario.add_contract(signed_on=SIGNED, payment_method=payment_method, commodity=commodity)
                 for _ in range(count)]
    for day in STEPPING_STONES:
        scenario.run(day)
    for external_id in contracts:
        assert scenario.contract(external_id).activated_on == ACTIVE_FROM
    return contracts


def copy_contract(engine, *, external_id: str, copies: int) -> list[int]:
    """Bulk copies of an active contract, each with its own customer and supply point."""
    with transaction(engine) as session:
        contract = session.execute(select(Contract).where(Contract.external_id == external_id)).scalar_one()
        customer = session.get(Customer, contract.customer_id)
        point = session.get(SupplyPoint, contract.supply_point_id)

        def columns(row, **overrides):
            values = {c.key: getattr(row, c.key) for c in row.__table__.columns if c.key != "id"}
            return {**values, **overrides}

        customer_ids = session.execute(insert(Customer).returning(Customer.id, sort_by_parameter_order=True),
                                       [columns(customer) for _ in range(copies)]).scalars().all()
        point_ids = session.execute(
            insert(SupplyPoint).returning(SupplyPoint.id, sort_by_parameter_order=True),
            [columns(point, customer_id=cid, code=f"{point.code[:6]}{n:09d}"[:15])
             for n, cid in enumerate(customer_ids)]).scalars().all()
        return session.execute(
            insert(Contract).returning(Contract.id, sort_by_parameter_order=True),
            [columns(contract, customer_id=cid, supply_point_id=pid, external_id=f"{external_id}-copy-{n:06d}")
             for n, (cid, pid) in enumerate(zip(customer_ids, point_ids))]).scalars().all()
