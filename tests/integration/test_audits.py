"""Sample audits through the daily cycle: draw, verdict, and what incorrect selling stops."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from db.engine import transaction
from db.models import Audit, AuditBatch, Letter, Nonconformity, OptOutNumber, OutboxMessage, Penalty, SwitchRequest
from flows.audit_verdicts import AuditAlreadyDecided, InvalidVerdict, open_audits, record_verdict
from flows.opt_out import import_opt_out
from protocol.codes import AuditVerdict, ContractState, NonconformityType, SwitchStatus
from tests.integration.lifecycle_support import NOW, Scenario


@pytest.fixture
def scenario(engine, tmp_path):
    return Scenario(engine=engine, folder=tmp_path)


def verdict(scenario, audit_id, kind, *kinds, on):
    return record_verdict(engine=scenario.engine, audit_id=audit_id, verdict=AuditVerdict(kind),
                          nonconformities=[NonconformityType(k) for k in kinds], note="test", by="auditor.test",
                          as_of=on, now=NOW, rules=scenario.context.rules, settings=scenario.settings)


def count(scenario, model, *where):
    with transaction(scenario.engine) as session:
        return session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_a_nonconforming_audit_before_the_point_of_no_return_leaves_no_switch_in_force_and_one_letter(scenario):
    # Early execution: the switch goes to the hub at intake (Tue 3 March) for 1 April,
    # revocable until 10 March. The week of 2 March is drawn on Monday 9 March.
    contract = scenario.add_contract(signed_on=date(2026, 3, 2), early_execution=True, agency=True)
    scenario.run(date(2026, 3, 3), date(2026, 3, 9))
    (audit,) = open_audits(engine=scenario.engine)
    assert audit["contract"] == contract and audit["group"] == "telephone"
    assert "recording" in audit["steps"] and audit["steps"][-1] == "customer_call"

    result = verdict(scenario, audit["audit"], "nonconforming", "unsolicited_contract", on=date(2026, 3, 9))

    assert result.activation_stopped and result.penalties == ["500.00"]
    assert scenario.contract(contract).state is ContractState.BLOCKED_BY_AUDIT
    with transaction(scenario.engine) as session:
        assert all(r.status is SwitchStatus.REVOKED for r in session.execute(select(SwitchRequest)).scalars())
        kinds = session.execute(select(Letter.kind).order_by(Letter.id)).scalars().all()
    assert kinds == ["confirmation", "activation_stopped"]
    assert count(scenario, OutboxMessage, OutboxMessage.kind == "switch_revocation") == 1
    scenario.run(date(2026, 3, 10), date(2026, 4, 2))  # nothing brings it back to life
    assert scenario.contract(contract).state is ContractState.BLOCKED_BY_AUDIT
    assert count(scenario, Letter, Letter.kind == "activation_stopped") == 1


def test_a_verdict_is_recorded_once_and_must_agree_with_its_nonconformities(scenario):
    scenario.add_contract(signed_on=date(2026, 3, 2), agency=True)
    scenario.run(date(2026, 3, 3), date(2026, 3, 9))
    (audit,) = open_audits(engine=scenario.engine)
    with pytest.raises(InvalidVerdict, match="at least one"):
        verdict(scenario, audit["audit"], "nonconforming", on=date(2026, 3, 10))
    with pytest.raises(InvalidVerdict, match="cannot list"):
        verdict(scenario, audit["audit"], "compliant", "missing_documents", on=date(2026, 3, 10))
    verdict(scenario, audit["audit"], "compliant", on=date(2026, 3, 10))
    with pytest.raises(AuditAlreadyDecided):
        verdict(scenario, audit["audit"], "compliant", on=date(2026, 3, 11))
    assert count(scenario, Nonconformity) == 0


def test_missing_documents_alone_cost_a_penalty_but_do_not_stop_the_activation(scenario):
    contract = scenario.add_contract(signed_on=date(2026, 3, 2), agency=True)
    scenario.run(date(2026, 3, 3), date(2026, 3, 9))
    (audit,) = open_audits(engine=scenario.engine)
    result = verdict(scenario, audit["audit"], "nonconforming", "missing_documents", on=date(2026, 3, 10))
    assert not result.activation_stopped and result.penalties == ["100.00"]
    assert scenario.contract(contract).state is ContractState.COOLING_OFF


def test_the_same_batch_is_drawn_again_from_its_stored_inputs(scenario):
    from agencies.sampling import SamplingInputs, draw_sample

    for day in (2, 3, 4):
        scenario.add_contract(signed_on=date(2026, 3, day), agency=True)
    scenario.run(date(2026, 3, 3), date(2026, 3, 9))
    with transaction(scenario.engine) as session:
        batch = session.execute(select(AuditBatch)).scalars().first()
        drawn = sorted(session.execute(select(Audit.contract_id).where(Audit.batch_id == batch.id)).scalars())
        inputs = batch.inputs
    again = draw_sample(inputs=SamplingInputs(
        agency_code=inputs["agency_code"], group=batch.group, week_start=batch.week_start,
        population=tuple(inputs["population"]), agency_status=inputs["agency_status"],
        audited_last_window=inputs["audited_last_window"], nonconforming_last_window=inputs["nonconforming_last_window"],
        seed=batch.seed), rules=scenario.context.rules.audit_sampling)
    assert list(again.drawn) == drawn and again.seed_material == inputs["seed_material"]


def test_a_phone_sale_to_a_number_on_the_opt_out_register_without_consent_is_found_and_stopped(scenario, tmp_path):
    contract = scenario.add_contract(signed_on=date(2026, 3, 2), agency=True)
    with transaction(scenario.engine) as session:
        row = scenario.contract(contract)
        from db.models import Contract, Customer

        session.get(Contract, row.id).phone_consent = False
        phone = session.get(Customer, row.customer_id).phone_e164
    register = tmp_path / "register.txt"
    local = "0" + phone[3:] if phone.startswith("+390") else phone[3:]
    register.write_text(f"# opt-out register extract\n{local}\n+39 12\nnot a number\n", encoding="utf-8")
    report = import_opt_out(engine=scenario.engine, path=register, registered_on=date(2025, 1, 1), now=NOW)
    assert report.added == 1 and len(report.rejected) == 2
    assert count(scenario, OptOutNumber, OptOutNumber.phone_e164 == phone) == 1

    scenario.run(date(2026, 3, 3))

    assert count(scenario, Nonconformity, Nonconformity.type == NonconformityType.OPT_OUT_VIOLATION) == 1
    assert count(scenario, Penalty) == 1
    assert scenario.contract(contract).state is ContractState.BLOCKED_BY_AUDIT
    scenario.run(date(2026, 3, 4))
    assert count(scenario, Nonconformity) == 1
