"""The synthetic book generator: deterministic, plausible, and every identifier valid."""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from schwifty import IBAN
from stdnum.it import codicefiscale, iva

from flows.synthetic import (
    DEFAULT_PENALTIES,
    AgencyQuality,
    generate_book,
    iter_book,
)
from flows.synthetic_ids import fiscal_code, iban
from protocol.codes import (
    AgentStatus,
    Channel,
    Commodity,
    ContractState,
    CustomerKind,
    PaymentMethod,
    Role,
)
from protocol.provinces import PROVINCE_CODES

START = date(2026, 3, 2)
DAYS = 91
PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def book():
    return generate_book(contracts=5000, start=START, days=DAYS, seed=20260302)


@pytest.fixture(scope="module")
def truths(book):
    return {t.contract_id: t for t in book.truths}


def share(items, predicate) -> float:
    items = list(items)
    return sum(1 for item in items if predicate(item)) / len(items)


# --- determinism --------------------------------------------------------------------------


def test_the_same_arguments_give_the_same_book(book):
    again = generate_book(contracts=5000, start=START, days=DAYS, seed=20260302)
    assert again == book


def test_a_different_seed_gives_a_different_book(book):
    other = generate_book(contracts=5000, start=START, days=DAYS, seed=20260303)
    assert other.contracts != book.contracts
    assert other.customers != book.customers


_DIGEST_SCRIPT = """
import hashlib, sys
from datetime import date
from flows.synthetic import generate_book
book = generate_book(contracts=300, start=date(2026, 3, 2), days=30, seed=5)
print(hashlib.sha256(repr(book).encode()).hexdigest())
"""


def test_the_book_is_the_same_in_any_process_whatever_the_hash_seed():
    digests = set()
    for hash_seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run([sys.executable, "-c", _DIGEST_SCRIPT], cwd=PROJECT, env=env,
                                capture_output=True, text=True, check=True)
        digests.add(result.stdout.strip())
    book = generate_book(contracts=300, start=date(2026, 3, 2), days=30, seed=5)
    digests.add(hashlib.sha256(repr(book).encode()).hexdigest())
    assert len(digests) == 1


def test_the_streamed_book_in_small_chunks_is_the_generated_book():
    whole = generate_book(contracts=700, start=START, days=20, seed=9)
    reference, sales = iter_book(contracts=700, start=START, days=20, seed=9, chunk_size=64)
    chunks = list(sales)
    assert len(chunks) > 5
    assert reference.agencies == whole.agencies and reference.agents == whole.agents
    assert tuple(c for chunk in chunks for c in chunk.contracts) == whole.contracts
    assert tuple(c for chunk in chunks for c in chunk.customers) == whole.customers
    assert tuple(t for chunk in chunks for t in chunk.truths) == whole.truths


@pytest.mark.parametrize(("contracts", "days"), [(0, 10), (1, 1), (37, 2), (250, 365)])
def test_the_book_holds_exactly_the_contracts_asked_for(contracts, days):
    book = generate_book(contracts=contracts, start=date(2026, 1, 3), days=days, seed=1)
    assert len(book.contracts) == len(book.truths) == len(book.supply_points) == contracts
    assert [c.id for c in book.contracts] == list(range(1, contracts + 1))


@pytest.mark.parametrize("arguments", [{"contracts": -1, "days": 10}, {"contracts": 5, "days": 0}])
def test_impossible_arguments_are_refused(arguments):
    with pytest.raises(ValueError):
        generate_book(start=START, seed=1, **arguments)


# --- the sales network, offers and users --------------------------------------------------


def test_exactly_one_outside_agency_is_fraudulent_and_a_few_are_sloppy(book):
    qualities = Counter(book.agency_quality.values())
    outside = [a for a in book.agencies if not a.is_internal]
    assert 8 <= len(outside) <= 12
    assert qualities[AgencyQuality.FRAUDULENT] == 1
    assert 2 <= qualities[AgencyQuality.SLOPPY] <= 3
    assert qualities[AgencyQuality.INTERNAL] == 1 == sum(a.is_internal for a in book.agencies)
    assert all(re.fullmatch(r"AG\d{3}", a.code) for a in outside)
    assert all(iva.is_valid(a.vat_number) for a in book.agencies)


def test_every_agency_has_five_to_thirty_badged_agents(book):
    per_agency = Counter(agent.agency_id for agent in book.agents)
    assert all(5 <= per_agency[a.id] <= 30 for a in book.agencies)
    assert all(re.fullmatch(r"B-\d{4}", agent.badge) for agent in book.agents)
    assert len({agent.badge for agent in book.agents}) == len(book.agents)


def test_every_agency_has_a_mandate_with_the_default_penalties_and_one_ends_midway(book):
    mandates = {m.agency_id: m for m in book.mandates}
    assert set(mandates) == {a.id for a in book.agencies}
    internal = next(a.id for a in book.agencies if a.is_internal)
    for agency_id, mandate in mandates.items():
        assert mandate.valid_from < START
        if agency_id != internal:
            assert mandate.penalty_table == DEFAULT_PENALTIES
    assert DEFAULT_PENALTIES["unauthorised_subagent"] == "1000.00"
    ending = [m for m in book.mandates if m.valid_to is not None]
    assert len(ending) == 1 and START < ending[0].valid_to < START.replace(month=6)
    after = [c for c in book.contracts
             if c.agency_id == ending[0].agency_id and c.signed_on >= ending[0].valid_to]
    before = [c for c in book.contracts
              if c.agency_id == ending[0].agency_id and c.signed_on < ending[0].valid_to]
    assert len(after) < 0.15 * len(before)


def test_offers_have_energy_and_retail_fee_prices_with_six_decimals(book):
    assert 2 <= sum(o.commodity is Commodity.ELECTRICITY for o in book.offers) <= 3
    assert 2 <= sum(o.commodity is Commodity.GAS for o in book.offers) <= 3
    commodity = {o.id: o.commodity for o in book.offers}
    for price in book.offer_prices:
        assert price.amount.as_tuple().exponent == -6
        if price.component == "retail_fee":
            assert price.unit == "eur/month" and Decimal(8) <= price.amount <= Decimal(12)
        elif commodity[price.offer_id] is Commodity.ELECTRICITY:
            assert price.unit == "eur/kWh"
            assert Decimal("0.115") <= price.amount <= Decimal("0.145")
        else:
            assert price.unit == "eur/Smc" and Decimal("0.45") <= price.amount <= Decimal("0.6")


def test_there_is_one_user_per_role_without_a_password(book):
    assert sorted(u.role for u in book.users) == sorted(Role)
    assert all(u.password_hash is None and re.fullmatch(r"[a-z]+\.[a-z]+", u.username)
               for u in book.users)


# --- customers and identifiers ------------------------------------------------------------


def test_customers_come_in_every_kind_in_the_planned_proportions(book):
    kinds = Counter(c.kind for c in book.customers)
    total = len(book.customers)
    expected = {CustomerKind.DOMESTIC: 0.80, CustomerKind.SMALL_BUSINESS: 0.09,
                CustomerKind.BUSINESS: 0.04, CustomerKind.CONDOMINIUM: 0.04,
                CustomerKind.PUBLIC_SERVICE: 0.03}
    for kind, target in expected.items():
        assert kinds[kind] / total == pytest.approx(target, abs=0.02), kind
    domestic = [c for c in book.customers if c.kind is CustomerKind.DOMESTIC]
    assert share(domestic, lambda c: c.vulnerable) == pytest.approx(0.08, abs=0.02)
    assert not any(c.vulnerable for c in book.customers if c.kind is not CustomerKind.DOMESTIC)


def test_domestic_customers_have_a_valid_fiscal_code_matching_their_name(book):
    for customer in book.customers:
        if customer.kind is not CustomerKind.DOMESTIC:
            continue
        code = customer.fiscal_code
        assert codicefiscale.is_valid(code), code
        assert customer.company_name is None and customer.vat_number is None
        consonants = re.sub(r"[^BCDFGHJKLMNPQRSTVWXYZ]", "", customer.last_name.upper())
        assert code[0] == (consonants or customer.last_name.upper())[0]
        age = (START.year - int(code[6:8])) % 100  # the code has no century
        assert 17 <= age <= 92


def test_the_fiscal_code_is_computed_from_name_sex_birth_date_and_town():
    assert fiscal_code(first_name="Mario", last_name="Rossi", birth_date=date(1985, 12, 10),
                       female=False, place="A562") == "RSSMRA85T10A562S"
    code = fiscal_code(first_name="Nicolò", last_name="D'Alò", birth_date=date(1990, 2, 3),
                       female=True, place="A944")
    assert code.startswith("DLANCL90B43A944") and codicefiscale.is_valid(code)
    assert codicefiscale.get_gender(code) == "F"


def test_the_iban_of_an_account_matches_schwiftys():
    assert iban(abi="03069", cab="09606", account="100000063529") == str(
        IBAN.generate("IT", bank_code="0306909606", account_code="100000063529"))


def test_organisations_have_valid_numeric_fiscal_codes_and_vat_numbers(book):
    for customer in book.customers:
        if customer.kind is CustomerKind.DOMESTIC:
            continue
        assert customer.company_name and customer.first_name is None
        assert re.fullmatch(r"\d{11}", customer.fiscal_code)
        assert iva.is_valid(customer.fiscal_code), customer
        if customer.kind is CustomerKind.CONDOMINIUM:
            assert customer.vat_number is None and customer.fiscal_code.startswith("9")
        else:
            assert iva.is_valid(customer.vat_number), customer


def test_some_small_businesses_are_above_the_153_2012_size_thresholds(book):
    small = [c for c in book.customers if c.kind is CustomerKind.SMALL_BUSINESS]
    assert all(c.employees is not None and isinstance(c.turnover_eur, Decimal) for c in small)
    above = share(small, lambda c: c.employees >= 50 or c.turnover_eur > Decimal(10_000_000))
    assert 0.04 < above < 0.2


def test_every_phone_number_is_a_valid_italian_number_in_e164(book):
    for customer in book.customers:
        parsed = phonenumbers.parse(customer.phone_e164)
        assert parsed.country_code == 39 and phonenumbers.is_valid_number(parsed)
        assert phonenumbers.format_number(
            parsed, phonenumbers.PhoneNumberFormat.E164) == customer.phone_e164
    assert len({c.phone_e164 for c in book.customers}) == len(book.customers)
    assert share(book.customers, lambda c: c.email is not None) > 0.75


def test_addresses_are_real_italian_places(book):
    for row in (*book.customers, *book.supply_points):
        assert re.fullmatch(r"\d{5}", row.postcode) and row.province in PROVINCE_CODES
        assert re.search(r"\d", row.street) and row.city


def test_every_sepa_contract_has_a_valid_italian_iban_and_the_others_none(book):
    for contract in book.contracts:
        if contract.payment_method is PaymentMethod.SEPA:
            parsed = IBAN(contract.iban, validate_bban=True)  # checks the CIN as well
            assert parsed.country_code == "IT"
        else:
            assert contract.iban is None
    assert share(book.contracts, lambda c: c.payment_method is PaymentMethod.SEPA) == \
        pytest.approx(0.70, abs=0.03)


def test_supply_point_codes_are_valid_and_unique(book):
    for point in book.supply_points:
        pattern = r"IT\d{3}E\d{8}" if point.commodity is Commodity.ELECTRICITY else r"\d{14}"
        assert re.fullmatch(pattern, point.code), point.code
    assert len({p.code for p in book.supply_points}) == len(book.supply_points)
    gas = [p for p in book.supply_points if p.commodity is Commodity.GAS]
    assert any(p.code.startswith("0") for p in gas)
    customers = {c.id: c for c in book.customers}
    at_home = share(book.supply_points, lambda p: p.street == customers[p.customer_id].street)
    assert at_home > 0.8


# --- contracts and their truth ------------------------------------------------------------


def test_contracts_are_received_under_the_rule_set_without_deadlines(book):
    ids = [c.external_id for c in book.contracts]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"HC-2026-\d{6}", external_id) for external_id in ids)
    for c in book.contracts:
        assert c.state is ContractState.RECEIVED and c.version == 1 and not c.on_hold
        assert c.rule_set_version == "2026.1"
        assert (c.confirmation_due_on, c.withdrawal_deadline, c.switch_date,
                c.point_of_no_return, c.activated_on, c.ended_on) == (None,) * 6
        assert START <= c.signed_on < date.fromordinal(START.toordinal() + DAYS)


def test_timestamps_are_six_pm_in_rome_on_the_signing_day(book):
    rome = ZoneInfo("Europe/Rome")
    customers = {c.id: c for c in book.customers}
    for c in book.contracts[::50]:
        expected = datetime.combine(c.signed_on, time(18), tzinfo=rome).astimezone(timezone.utc)
        assert c.created_at == c.updated_at == expected
        assert c.created_at.tzinfo is timezone.utc
        assert customers[c.customer_id].created_at <= c.created_at


def test_channels_commodities_and_days_follow_the_sales_pattern(book):
    contracts = book.contracts
    assert share(contracts, lambda c: c.commodity is Commodity.ELECTRICITY) == \
        pytest.approx(0.60, abs=0.04)
    channels = Counter(c.channel for c in contracts)
    assert channels[Channel.PHONE] > channels[Channel.STAND] > 0 and channels[Channel.WEB] > 0
    assert share(contracts, lambda c: c.signed_on.weekday() < 5) > 0.8
    weekend = Counter(c.channel for c in contracts if c.signed_on.weekday() == 6)
    assert set(weekend) <= {Channel.WEB, Channel.STAND}
    assert share(contracts, lambda c: c.early_execution) == pytest.approx(0.05, abs=0.015)


def test_agency_contracts_carry_an_agent_of_that_agency_and_direct_ones_none(book):
    agents = {a.id: a for a in book.agents}
    agencies = {a.id: a for a in book.agencies}
    for c in book.contracts:
        if c.channel is Channel.WEB or (c.channel is Channel.SHOP and c.agency_id is None):
            assert (c.agency_id, c.agent_id, c.agency_code, c.agent_badge) == (None,) * 4
            continue
        agent = agents[c.agent_id]
        assert agent.agency_id == c.agency_id and agent.badge == c.agent_badge
        assert agencies[c.agency_id].code == c.agency_code
        assert agencies[c.agency_id].is_internal == (c.channel is Channel.SHOP)
        assert agent.badge_valid_from <= c.signed_on
        assert (c.phone_consent is not None) == (c.channel is Channel.PHONE)


def test_only_sloppy_or_fraudulent_agencies_sell_with_bad_badges(book):
    agents = {a.id: a for a in book.agents}
    bad = Counter()
    for c in book.contracts:
        if c.agent_id is None:
            continue
        agent = agents[c.agent_id]
        if agent.status is not AgentStatus.ACTIVE or (
                agent.badge_valid_to is not None and c.signed_on >= agent.badge_valid_to):
            bad[book.agency_quality[c.agency_id]] += 1
    assert bad and set(bad) <= {AgencyQuality.SLOPPY, AgencyQuality.FRAUDULENT}
    assert sum(bad.values()) < 0.05 * len(book.contracts)


def test_the_hidden_truth_follows_the_sellers_quality(book, truths):
    groups: dict[AgencyQuality | None, list] = {}
    for c in book.contracts:
        quality = book.agency_quality[c.agency_id] if c.agency_id else None
        groups.setdefault(quality, []).append(truths[c.id])
    assert share(groups[AgencyQuality.FRAUDULENT], lambda t: t.unsolicited) == \
        pytest.approx(0.25, abs=0.06)
    assert share(groups[AgencyQuality.SLOPPY], lambda t: t.unsolicited) < 0.07
    assert share(groups[AgencyQuality.CLEAN], lambda t: t.unsolicited) < 0.015
    assert share(groups[None], lambda t: t.unsolicited) < 0.01
    assert share(groups[AgencyQuality.SLOPPY], lambda t: t.sloppy_documents) == \
        pytest.approx(0.15, abs=0.04)
    forged = [c for c in book.contracts if truths[c.id].forged]
    assert forged and all(truths[c.id].unsolicited and
                          book.agency_quality[c.agency_id] is AgencyQuality.FRAUDULENT
                          for c in forged)
    assert share(book.truths, lambda t: t.customer_will_withdraw) == pytest.approx(0.03, abs=0.01)
    assert share(book.truths, lambda t: t.customer_pays_late) == pytest.approx(0.05, abs=0.015)


def test_dual_fuel_customers_have_one_electricity_and_one_gas_contract(book):
    per_customer: dict[int, list] = {}
    for c in book.contracts:
        per_customer.setdefault(c.customer_id, []).append(c)
    dual = [cs for cs in per_customer.values() if len(cs) == 2]
    assert dual and max(len(cs) for cs in per_customer.values()) == 2
    for first, second in dual:
        assert {first.commodity, second.commodity} == {Commodity.ELECTRICITY, Commodity.GAS}
        assert (first.signed_on, first.agent_id) == (second.signed_on, second.agent_id)


def test_opt_out_register_entries_are_unique_customer_numbers(book):
    phones = {c.phone_e164 for c in book.customers}
    numbers = [o.phone_e164 for o in book.opt_outs]
    assert numbers and len(set(numbers)) == len(numbers) and set(numbers) <= phones
    assert all(o.registered_on < START for o in book.opt_outs)
