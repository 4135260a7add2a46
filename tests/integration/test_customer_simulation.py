"""The demo's simulated customers, customer service and compliance act through the real use
cases, reproducibly, and follow the synthetic truth (unsolicited contracts are disowned)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.engine import transaction
from db.models import Case, Contract, ContractEvent, SyntheticTruth
from flows.customer_simulation import COMPLIANCE, SERVICE, CustomerSimulation, ensure_people
from protocol.codes import CaseKind, CaseOutcome
from tests.integration.lifecycle_support import NOW, Scenario


def _truth(scenario, external_id, **flags):
    with transaction(scenario.engine) as session:
        contract_id = session.execute(select(Contract.id).where(Contract.external_id == external_id)).scalar_one()
        values = {"unsolicited": False, "forged": False, "sloppy_documents": False, "customer_will_withdraw": False,
                  "customer_pays_late": False, **flags}
        session.add(SyntheticTruth(contract_id=contract_id, **values))


@pytest.mark.parametrize("seed", [7, 11])
def test_unsolicited_contracts_are_disowned_and_decided_and_willing_customers_withdraw(engine, tmp_path, seed):
    scenario = Scenario(engine=engine, folder=tmp_path)
    unsolicited = scenario.add_contract(signed_on=date(2026, 4, 22), agency=True)
    withdrawing = scenario.add_contract(signed_on=date(2026, 4, 22))
    honest = scenario.add_contract(signed_on=date(2026, 4, 22))
    _truth(scenario, unsolicited, unsolicited=True)
    _truth(scenario, withdrawing, customer_will_withdraw=True)
    _truth(scenario, honest)
    ensure_people(engine=engine, now=NOW)
    ensure_people(engine=engine, now=NOW)  # idempotent
    simulation = CustomerSimulation(engine=engine, rules=scenario.context.rules, calendar=scenario.context.calendar,
                                    settings=scenario.settings, seed=seed)
    day = date(2026, 4, 23)
    while day <= date(2026, 6, 30):
        scenario.run(day)
        simulation.day(as_of=day, now=NOW)
        day += timedelta(days=1)

    with transaction(engine) as session:
        cases = {external_id: case for case, external_id in session.execute(
            select(Case, Contract.external_id).join(Contract, Contract.id == Case.contract_id))}
        actors = set(session.execute(select(ContractEvent.actor).join(Contract)
                                     .where(Contract.external_id == unsolicited)).scalars())
    assert set(cases) == {unsolicited, withdrawing}
    disowned, withdrawn = cases[unsolicited], cases[withdrawing]
    assert disowned.kind is CaseKind.DISOWNMENT and disowned.opened_by == SERVICE
    assert disowned.decided_by == COMPLIANCE
    # accepted, or rejected by mistake and then overturned by the Sportello
    assert disowned.outcome is CaseOutcome.ACCEPTED or disowned.sportello_finding == "unfounded"
    assert withdrawn.kind is CaseKind.WITHDRAWAL and withdrawn.outcome is CaseOutcome.ACCEPTED
    assert {SERVICE, COMPLIANCE} <= actors
