"""A seeded simulation of more than 90 days: the protocol catches the fraudulent agency."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from db.engine import transaction
from db.models import Agency, AuditBatch, Letter, Nonconformity, Penalty, SwitchRequest
from flows.agency_simulation import simulate_agencies, simulate_auditors
from flows.daily_steps import Day, run_day_steps
from flows.runtime import app_context
from flows.seeding import seed_book
from flows.settings import Settings
from flows.synthetic import generate_book
from flows.synthetic_model import AgencyQuality
from protocol.codes import AgencyStatus, ContractState, SwitchStatus
from tests.conftest import DATABASES, POSTGRES_URL, fresh_postgres_engine, fresh_sqlite_engine
from tests.integration.lifecycle_support import NOW

BOOK = {"contracts": 320, "start": date(2026, 1, 5), "days": 90, "seed": 11}


@pytest.fixture(scope="module", params=DATABASES)
def engine(request, tmp_path_factory, sqlite_template):
    """One simulated book per database for the whole module (the simulation takes a while)."""
    if request.param == "sqlite":
        engine = fresh_sqlite_engine(sqlite_template, tmp_path_factory.mktemp("simulation"))
    else:
        if not POSTGRES_URL:
            pytest.skip("PostgreSQL suite: set SENTINELLA_TEST_POSTGRES_URL")
        engine = fresh_postgres_engine("sentinella_simulation")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def simulated(engine, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("simulation-files")
    seed_book(engine=engine, checksum=False, **BOOK)
    url = engine.url.render_as_string(hide_password=False)
    context = app_context(url)
    settings = Settings(letters_dir=tmp_path / "letters", outbox_dir=tmp_path / "outbox", reports_dir=tmp_path / "r")
    day = BOOK["start"]
    while day <= BOOK["start"] + timedelta(days=BOOK["days"] + 14):
        run_day_steps(Day(database_url=url, as_of=day, now=NOW, settings=settings))
        simulate_auditors(engine=engine, as_of=day, rules=context.rules, now=NOW, settings=settings)
        simulate_agencies(engine=engine, as_of=day)
        day += timedelta(days=1)
    quality = generate_book(**BOOK).agency_quality
    with transaction(engine) as session:
        codes = {a.id: a.code for a in session.execute(select(Agency)).scalars()}
    return {codes[i]: q for i, q in quality.items()}


@pytest.mark.slow
def test_the_fraudulent_agency_ends_revoked_and_the_clean_ones_carry_no_penalty(engine, simulated):
    with transaction(engine) as session:
        agencies = {a.code: a for a in session.execute(select(Agency)).scalars()}
        penalised = dict(session.execute(select(Agency.code, func.sum(Penalty.amount)).join(Penalty, Penalty.agency_id == Agency.id)
                                         .group_by(Agency.code)).all())
        batches = session.execute(select(func.count()).select_from(AuditBatch)).scalar_one()
    fraudulent = [code for code, q in simulated.items() if q is AgencyQuality.FRAUDULENT]
    clean = [code for code, q in simulated.items() if q is AgencyQuality.CLEAN]
    assert len(fraudulent) == 1 and clean
    assert agencies[fraudulent[0]].status is AgencyStatus.REVOKED
    assert agencies[fraudulent[0]].revocation_reason
    assert all(code not in penalised for code in clean), penalised
    assert all(agencies[code].status is AgencyStatus.ACTIVE for code in clean)
    assert batches > 20


@pytest.mark.slow
def test_every_nonconforming_audit_before_the_point_of_no_return_left_no_switch_in_force_and_one_letter(engine, simulated):
    with transaction(engine) as session:
        blocked = session.execute(select(Nonconformity.contract_id).where(Nonconformity.audit_id.is_not(None))).scalars().all()
        from db.models import Contract

        checked = 0
        for contract_id in set(blocked):
            contract = session.get(Contract, contract_id)
            if contract.state is not ContractState.BLOCKED_BY_AUDIT:
                continue
            checked += 1
            requests = session.execute(select(SwitchRequest).where(SwitchRequest.contract_id == contract_id)).scalars().all()
            assert all(r.status is SwitchStatus.REVOKED for r in requests)
            stopped = session.execute(select(func.count()).select_from(Letter).where(
                Letter.contract_id == contract_id, Letter.kind == "activation_stopped")).scalar_one()
            assert stopped == 1
        assert checked > 0  # the simulation did stop activations (five with this seed)
