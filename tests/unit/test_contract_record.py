"""Parsing and validating one contract import record."""

from __future__ import annotations

import copy
import json
import string
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.codes import Channel, Commodity, CustomerKind, PaymentMethod
from protocol.contract_record import (
    AddressData,
    ContractRecord,
    Problem,
    RecordRejected,
    parse_record,
    parse_record_line,
)
from protocol.errors import SentinellaError
from protocol.provinces import PROVINCE_CODES
from protocol.validators import validate_phone

EXAMPLE_LINE = (
    '{"external_id": "HC-2026-000123", "signed_on": "2026-04-22", "channel": "phone",'
    ' "commodity": "electricity", "supply_point": "IT001E12345678", "offer_code": "LUCE-FISSA-24",'
    ' "previous_supplier": "Enel Energia", "agency_code": "AG014", "agent_badge": "B-0231",'
    ' "early_execution": false, "annual_consumption": 2700,'
    ' "customer": {"kind": "domestic", "first_name": "Maria", "last_name": "Rossi",'
    ' "company_name": null, "fiscal_code": "RSSMRA80A41H501Y", "vat_number": null,'
    ' "phone": "+39 347 123 4567", "email": "maria.rossi@example.it", "vulnerable": false,'
    ' "employees": null, "turnover_eur": null,'
    ' "address": {"street": "Via Emilia 12", "postcode": "40026", "city": "Imola",'
    ' "province": "BO"}},'
    ' "payment": {"method": "sepa", "iban": "IT60X0542811101000000123456"}}'
)
COMPANY_VAT = "00743110157"  # valid P.IVA, also a valid numeric fiscal code


def domestic() -> dict[str, Any]:
    return json.loads(EXAMPLE_LINE)


def business(kind: str = "business") -> dict[str, Any]:
    data = domestic()
    data["customer"].update(
        kind=kind, first_name=None, last_name=None, company_name="Ferramenta Bianchi srl",
        fiscal_code=COMPANY_VAT, vat_number=COMPANY_VAT, employees=12, turnover_eur=950000,
    )
    return data


def rejected(data: Any) -> RecordRejected:
    with pytest.raises(RecordRejected) as caught:
        parse_record(data=data)
    return caught.value


def rejected_line(line: str) -> RecordRejected:
    with pytest.raises(RecordRejected) as caught:
        parse_record_line(line=line)
    return caught.value


def fields(error: RecordRejected) -> list[str]:
    return [problem.field for problem in error.problems]


def reason(error: RecordRejected, field: str) -> str:
    reasons = [p.reason for p in error.problems if p.field == field]
    assert len(reasons) == 1, error.problems
    return reasons[0]


def changed(data: dict[str, Any], *paths_and_values: Any) -> dict[str, Any]:
    """A deep copy of ``data`` with each dotted path set to the value after it (``...`` removes)."""
    data = copy.deepcopy(data)
    for path, value in zip(paths_and_values[::2], paths_and_values[1::2], strict=True):
        *parents, last = path.split(".")
        target = data
        for name in parents:
            target = target[name]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return data


# --- the happy path -----------------------------------------------------------------------


def test_the_example_line_parses_into_typed_normalised_values():
    record = parse_record_line(line=EXAMPLE_LINE)
    assert record.external_id == "HC-2026-000123"
    assert record.signed_on == date(2026, 4, 22)
    assert record.channel is Channel.PHONE
    assert record.commodity is Commodity.ELECTRICITY
    assert record.supply_point == "IT001E12345678"
    assert record.early_execution is False
    assert record.annual_consumption == 2700
    assert record.customer.kind is CustomerKind.DOMESTIC
    assert record.customer.phone == "+393471234567"
    assert record.customer.fiscal_code == "RSSMRA80A41H501Y"
    assert record.customer.address == AddressData(
        street="Via Emilia 12", postcode="40026", city="Imola", province="BO"
    )
    assert record.payment.method is PaymentMethod.SEPA
    assert record.payment.iban == "IT60X0542811101000000123456"


def test_a_record_is_frozen():
    record = parse_record_line(line=EXAMPLE_LINE)
    with pytest.raises(AttributeError):
        record.external_id = "other"  # type: ignore[misc]


def test_a_record_turned_back_into_data_parses_to_the_same_record():
    record = parse_record(data=business("small_business"))
    assert parse_record(data=record.to_data()) == record


def test_optional_fields_may_be_left_out_entirely():
    data = domestic()
    for name in ("previous_supplier", "annual_consumption"):
        del data[name]
    for name in ("company_name", "vat_number", "email", "employees", "turnover_eur"):
        del data["customer"][name]
    record = parse_record(data=data)
    assert record.previous_supplier is None and record.customer.email is None


def test_a_gas_record_keeps_the_leading_zeros_of_its_pdr():
    data = changed(domestic(), "commodity", "gas", "supply_point", "0088 1234 5678 90")
    assert parse_record(data=data).supply_point == "00881234567890"


# --- all problems at once -----------------------------------------------------------------


def test_a_record_with_five_problems_reports_all_five_each_naming_its_field():
    data = domestic()
    data["channel"] = "telefono"
    data["customer"]["fiscal_code"] = "RSSMRA80A41H501X"
    data["customer"]["phone"] = "12"
    data["customer"]["address"]["postcode"] = "4002"
    data["payment"]["iban"] = None
    error = rejected(data)
    assert error.external_id == "HC-2026-000123"
    assert fields(error) == [
        "channel",
        "customer.fiscal_code",
        "customer.phone",
        "customer.address.postcode",
        "payment.iban",
    ]
    assert reason(error, "customer.fiscal_code") == "check character is wrong (expected 'Y')"
    assert reason(error, "payment.iban") == "missing (required for payment by SEPA direct debit)"


def test_a_rejection_is_a_value_error_whose_message_lists_the_problems():
    error = rejected(changed(domestic(), "offer_code", ...))
    assert isinstance(error, ValueError) and isinstance(error, SentinellaError)
    assert str(error) == "record HC-2026-000123 rejected: offer_code: missing"
    assert error.problems == (Problem(field="offer_code", reason="missing"),)


def test_a_rejection_without_a_readable_external_id_has_none():
    assert rejected(changed(domestic(), "external_id", 42)).external_id is None
    assert rejected(changed(domestic(), "external_id", ...)).external_id is None


# --- unreadable lines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"external_id": "HC-1", ', "is not valid JSON: Expecting property name enclosed in "
         "double quotes at column 25"),
        ("not json", "is not valid JSON: Expecting value at column 1"),
        ('{"annual_consumption": NaN}', "is not valid JSON: NaN is not a number"),
        ("", "is empty"),
        ("   \n", "is empty"),
    ],
)
def test_a_malformed_json_line_is_one_problem_with_the_error_position(line, expected):
    error = rejected_line(line)
    assert error.problems == (Problem(field="(line)", reason=expected),)
    assert error.external_id is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [("[1, 2]", "a list"), ('"text"', "text"), ("42", "a number"), ("null", "null")],
)
def test_a_line_that_is_not_an_object_is_one_problem(line, kind):
    error = rejected_line(line)
    assert error.problems == (Problem(field="(line)", reason=f"must be a JSON object, not {kind}"),)


def test_decoded_data_that_is_not_a_mapping_is_one_problem_on_the_record():
    assert fields(rejected(["not", "a", "mapping"])) == ["(record)"]


def test_a_byte_order_mark_before_the_line_is_ignored():
    assert parse_record_line(line="\ufeff" + EXAMPLE_LINE).external_id == "HC-2026-000123"


# --- fields: presence, types, enumerations ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["external_id", "signed_on", "supply_point", "early_execution", "customer",
     "customer.fiscal_code", "customer.phone", "customer.vulnerable", "customer.address.city",
     "payment", "payment.method"],
)
def test_a_missing_required_field_is_reported_as_missing(path):
    error = rejected(changed(domestic(), path, ...))
    assert reason(error, path) == "missing"


def test_an_unknown_field_is_reported_wherever_it_is():
    data = changed(domestic(), "note", "x", "customer.address.floor", 3)
    assert [(p.field, p.reason) for p in rejected(data).problems] == [
        ("customer.address.floor", "unknown field"),
        ("note", "unknown field"),
    ]


def test_a_field_given_twice_on_a_line_is_reported():
    line = EXAMPLE_LINE.replace('"channel": "phone",', '"channel": "phone", "channel": "web",')
    assert reason(rejected_line(line), "channel") == "appears more than once"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("early_execution", "no", "must be true or false, not text"),
        ("annual_consumption", "2700", "must be a number, not text"),
        ("annual_consumption", True, "must be a number, not true/false"),
        ("supply_point", 14, "must be text, not a number"),
        ("customer", ["Maria"], "must be an object, not a list"),
        ("customer.address.postcode", 40026, "must be text, not a number"),
    ],
)
def test_a_value_of_the_wrong_type_is_reported(path, value, expected):
    assert reason(rejected(changed(domestic(), path, value)), path) == expected


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("channel", "phone, door_to_door, stand, web, shop"),
        ("commodity", "electricity, gas"),
        ("customer.kind", "domestic, small_business, business, condominium, public_service"),
        ("payment.method", "sepa, postal_slip"),
    ],
)
def test_an_unknown_value_lists_the_allowed_ones(path, allowed):
    error = rejected(changed(domestic(), path, "other"))
    assert reason(error, path) == f"'other' is not one of: {allowed}"


@pytest.mark.parametrize("text", ["2026-02-30", "22/04/2026", "20260422", "2026-4-22"])
def test_signed_on_must_be_a_real_iso_date(text):
    error = rejected(changed(domestic(), "signed_on", text))
    assert reason(error, "signed_on") == f"'{text}' is not a real date written as YYYY-MM-DD"


def test_a_required_text_field_may_not_be_blank():
    assert reason(rejected(changed(domestic(), "offer_code", "  ")), "offer_code") == "is empty"


def test_a_blank_optional_email_counts_as_none():
    assert parse_record(data=changed(domestic(), "customer.email", "")).customer.email is None


def test_a_present_email_is_validated():
    error = rejected(changed(domestic(), "customer.email", "maria.rossi"))
    assert reason(error, "customer.email") == "must contain exactly one '@'"


def test_a_missing_address_part_does_not_hide_the_problems_of_the_others():
    data = changed(domestic(), "customer.address.city", ..., "customer.address.province", "ZZ")
    assert fields(rejected(data)) == ["customer.address.city", "customer.address.province"]


# --- numbers ------------------------------------------------------------------------------


def test_turnover_from_a_json_line_is_an_exact_decimal():
    line = json.dumps(business("small_business")).replace("950000", "1234567.89")
    turnover = parse_record_line(line=line).customer.turnover_eur
    assert isinstance(turnover, Decimal) and turnover == Decimal("1234567.89")


def test_turnover_given_as_an_integer_becomes_a_decimal_with_cents():
    turnover = parse_record(data=business()).customer.turnover_eur
    assert isinstance(turnover, Decimal) and str(turnover) == "950000.00"


def test_turnover_given_as_a_python_float_becomes_the_decimal_it_reads_as():
    data = changed(business(), "customer.turnover_eur", 1234.1)
    assert parse_record(data=data).customer.turnover_eur == Decimal("1234.10")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("10.005"), "must be in euro with at most 2 decimals"),
        (-1, "must not be negative"),
        (float("inf"), "must be a finite number"),
    ],
)
def test_a_bad_turnover_is_reported(value, expected):
    error = rejected(changed(business(), "customer.turnover_eur", value))
    assert reason(error, "customer.turnover_eur") == expected


def test_employees_may_be_written_as_a_whole_decimal_but_not_a_fraction():
    whole = changed(business(), "customer.employees", Decimal("12.0"))
    assert parse_record(data=whole).customer.employees == 12
    error = rejected(changed(business(), "customer.employees", Decimal("12.5")))
    assert reason(error, "customer.employees") == "must be a whole number"


@pytest.mark.parametrize(
    ("data", "value", "expected"),
    [
        (domestic(), 0, "must be a positive number (kWh or Smc a year)"),
        (domestic(), 270_000, "is implausible: more than 100,000 kWh a year for a domestic "
         "customer (probably a typing error)"),
        (changed(domestic(), "commodity", "gas", "supply_point", "00881234567890"),
         60_000, "is implausible: more than 50,000 Smc a year for a domestic customer "
         "(probably a typing error)"),
        (business(), 300_000_000, "is implausible: more than 200,000,000 kWh a year for one "
         "supply point (probably a typing error)"),
    ],
)
def test_annual_consumption_must_be_positive_and_plausible(data, value, expected):
    error = rejected(changed(data, "annual_consumption", value))
    assert reason(error, "annual_consumption") == expected


def test_a_business_may_consume_far_more_than_a_household():
    data = changed(business(), "annual_consumption", 270_000)
    assert parse_record(data=data).annual_consumption == 270_000


# --- cross-field rules --------------------------------------------------------------------


def test_a_domestic_customer_needs_first_and_last_name():
    data = changed(domestic(), "customer.first_name", None, "customer.last_name", " ")
    error = rejected(data)
    assert reason(error, "customer.first_name") == "missing (required for a domestic customer)"
    assert reason(error, "customer.last_name") == "missing (required for a domestic customer)"


def test_a_domestic_customer_needs_a_personal_fiscal_code():
    error = rejected(changed(domestic(), "customer.fiscal_code", COMPANY_VAT))
    assert reason(error, "customer.fiscal_code") == (
        "a domestic customer needs the 16-character personal code"
    )


def test_a_domestic_customer_may_give_a_valid_vat_number():
    data = changed(domestic(), "customer.vat_number", "IT" + COMPANY_VAT)
    assert parse_record(data=data).customer.vat_number == COMPANY_VAT


@pytest.mark.parametrize("kind", ["small_business", "business", "public_service"])
def test_a_non_domestic_customer_needs_company_name_and_vat_number(kind):
    data = changed(business(kind), "customer.company_name", None, "customer.vat_number", None)
    label = kind.replace("_", " ")
    error = rejected(data)
    assert reason(error, "customer.company_name") == f"missing (required for a {label} customer)"
    assert reason(error, "customer.vat_number") == f"missing (required for a {label} customer)"


def test_a_sole_trader_business_may_have_a_personal_fiscal_code():
    data = changed(business(), "customer.fiscal_code", "RSSMRA80A41H501Y")
    assert parse_record(data=data).customer.fiscal_code == "RSSMRA80A41H501Y"


def test_a_small_business_needs_employees_and_turnover_for_the_scope_test():
    data = changed(
        business("small_business"), "customer.employees", None, "customer.turnover_eur", ...
    )
    error = rejected(data)
    expected = "missing (required for a small business: it decides the 153/2012 scope)"
    assert reason(error, "customer.employees") == expected
    assert reason(error, "customer.turnover_eur") == expected


def test_a_larger_business_may_omit_employees_and_turnover():
    data = changed(business(), "customer.employees", None, "customer.turnover_eur", None)
    assert parse_record(data=data).customer.employees is None


def test_a_condominium_has_a_numeric_fiscal_code_and_needs_no_vat_number():
    data = changed(business("condominium"), "customer.vat_number", None)
    data["customer"]["company_name"] = "Condominio Via Roma 3"
    assert parse_record(data=data).customer.kind is CustomerKind.CONDOMINIUM
    error = rejected(changed(data, "customer.fiscal_code", "RSSMRA80A41H501Y"))
    expected = "a condominium has an 11-digit numeric fiscal code"
    assert reason(error, "customer.fiscal_code") == expected


def test_a_postal_slip_payment_must_not_carry_an_iban():
    data = changed(domestic(), "payment.method", "postal_slip")
    assert reason(rejected(data), "payment.iban") == (
        "must be empty when paying by postal slip (or choose SEPA)"
    )
    assert parse_record(data=changed(data, "payment.iban", None)).payment.iban is None


def test_a_sepa_iban_with_a_wrong_cin_is_reported_on_the_payment():
    error = rejected(changed(domestic(), "payment.iban", "IT65A0542811101000000123456"))
    assert reason(error, "payment.iban") == (
        "IBAN national check character (CIN) is wrong (expected 'X')"
    )


def test_an_agency_code_without_an_agent_badge_is_incomplete():
    error = rejected(changed(domestic(), "agent_badge", None))
    assert fields(error) == ["agent_badge"]
    assert reason(error, "agent_badge") == "missing (required together with agency_code)"


def test_an_agent_badge_without_an_agency_code_is_incomplete():
    error = rejected(changed(domestic(), "agency_code", None))
    assert reason(error, "agency_code") == "missing (required together with agent_badge)"


@pytest.mark.parametrize("channel", ["phone", "door_to_door", "stand"])
def test_an_agency_channel_needs_agency_and_badge(channel):
    data = changed(domestic(), "channel", channel, "agency_code", None, "agent_badge", None)
    assert fields(rejected(data)) == ["agency_code", "agent_badge"]


@pytest.mark.parametrize("channel", ["web", "shop"])
def test_a_direct_channel_may_have_no_agency(channel):
    data = changed(domestic(), "channel", channel, "agency_code", None, "agent_badge", None)
    assert parse_record(data=data).agency_code is None


def test_the_supply_point_format_follows_the_commodity():
    error = rejected(changed(domestic(), "commodity", "gas"))
    assert reason(error, "supply_point") == (
        "this is an electricity POD, but a gas supply point (PDR) is 14 digits"
    )


def test_with_an_unknown_commodity_a_supply_point_of_either_kind_is_not_blamed():
    assert fields(rejected(changed(domestic(), "commodity", "water"))) == ["commodity"]
    error = rejected(changed(domestic(), "commodity", "water", "supply_point", "X1"))
    assert reason(error, "supply_point") == "is neither an electricity POD nor a gas PDR"


# --- property: any record built from valid parts is accepted ------------------------------

_ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25,
        24, 23)


def _check_char(text: str) -> str:
    value = [int(c) if c.isdigit() else ord(c) - 65 for c in text]
    return chr(65 + sum(_ODD[v] if i % 2 == 0 else v for i, v in enumerate(value)) % 26)


def _luhn(digits: str) -> str:
    total = sum(
        (d - 9 if d > 9 else d)
        for d in (int(c) * (2 if i % 2 == 0 else 1) for i, c in enumerate(reversed(digits)))
    )
    return digits + str((10 - total % 10) % 10)


def _iban(abi: str, cab: str, account: str) -> str:
    bban = _check_char(abi + cab + account) + abi + cab + account
    number = int("".join(str(int(c, 36)) for c in bban + "IT00"))
    return f"IT{98 - number % 97:02d}{bban}"


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=string.digits, min_size=n, max_size=n)


UPPER = st.sampled_from(string.ascii_uppercase)


@st.composite
def personal_fiscal_codes(draw) -> str:
    chars = [draw(UPPER) for _ in range(6)]
    chars += list(draw(_digits(2))) + [draw(st.sampled_from("ABCDEHLMPRST"))]
    chars += list(f"{draw(st.integers(1, 28)) + draw(st.sampled_from([0, 40])):02d}")
    chars += [draw(UPPER)] + list(draw(_digits(3)))
    for position in draw(st.sets(st.sampled_from([6, 7, 9, 10, 12, 13, 14]))):  # omocodia
        chars[position] = "LMNPQRSTUV"[int(chars[position])]
    return "".join(chars) + _check_char("".join(chars))


numeric_codes = st.builds(
    lambda company, office: _luhn(company + f"{office:03d}"),
    _digits(7).filter(lambda d: int(d) > 0),
    st.integers(1, 100),
)

MOBILE = ["320", "328", "333", "335", "339", "340", "347", "348", "366", "380", "389", "393"]
LANDLINE = [("02", 8), ("06", 8), ("051", 6), ("051", 7), ("011", 7), ("0542", 6), ("0471", 6)]


@st.composite
def phones(draw) -> tuple[str, str]:
    """(as written, expected E.164)"""
    if draw(st.booleans()):
        national = draw(st.sampled_from(MOBILE)) + draw(_digits(7))
    else:
        prefix, length = draw(st.sampled_from(LANDLINE))
        national = prefix + draw(_digits(length))
    spaced = " ".join(national[i:i + 3] for i in range(0, len(national), 3))
    written = draw(st.sampled_from([
        national, spaced, f"+39 {spaced}", f"0039{national}", f"+39-{national}",
        f"({national[:3]}) {national[3:]}",
    ]))
    return written, f"+39{national}"


addresses = st.fixed_dictionaries({
    "street": st.builds(
        lambda street, number: f"{street} {number}",
        st.sampled_from(["Via Emilia", "Piazza Garibaldi", "Corso Italia"]),
        st.one_of(st.integers(1, 300).map(str), st.just("snc")),
    ),
    "postcode": _digits(5).filter(lambda p: p != "00000"),
    "city": st.sampled_from(["Imola", "Bologna", "Reggio nell'Emilia", "Forlì"]),
    "province": st.sampled_from(sorted(PROVINCE_CODES)),
})


@st.composite
def valid_records(draw) -> tuple[dict[str, Any], str]:
    """(record in the import format, expected E.164 phone)"""
    kind = draw(st.sampled_from(list(CustomerKind)))
    commodity = draw(st.sampled_from(list(Commodity)))
    channel = draw(st.sampled_from(list(Channel)))
    phone, e164 = draw(phones())
    with_agency = channel not in (Channel.WEB, Channel.SHOP) or draw(st.booleans())
    company = kind is not CustomerKind.DOMESTIC
    vat = draw(numeric_codes) if kind in (CustomerKind.SMALL_BUSINESS, CustomerKind.BUSINESS,
                                          CustomerKind.PUBLIC_SERVICE) else None
    if kind is CustomerKind.DOMESTIC:
        fiscal_code = draw(personal_fiscal_codes())
    elif kind is CustomerKind.CONDOMINIUM:
        fiscal_code = draw(numeric_codes)
    else:
        fiscal_code = draw(st.one_of(personal_fiscal_codes(), st.just(vat)))
    sized = kind is CustomerKind.SMALL_BUSINESS or draw(st.booleans())
    sepa = draw(st.booleans())
    supply_point = (
        "IT" + draw(_digits(3)) + "E" + draw(_digits(8)) + draw(st.sampled_from(["", "A", "7"]))
        if commodity is Commodity.ELECTRICITY else draw(_digits(14))
    )
    record = {
        "external_id": "HC-" + draw(_digits(6)),
        "signed_on": draw(st.dates(date(2020, 1, 1), date(2030, 12, 31))).isoformat(),
        "channel": channel.value,
        "commodity": commodity.value,
        "supply_point": supply_point,
        "offer_code": draw(st.sampled_from(["LUCE-FISSA-24", "GAS-VAR-12"])),
        "previous_supplier": draw(st.sampled_from([None, "Enel Energia", "Edison"])),
        "agency_code": "AG" + draw(_digits(3)) if with_agency else None,
        "agent_badge": "B-" + draw(_digits(4)) if with_agency else None,
        "early_execution": draw(st.booleans()),
        "annual_consumption": draw(st.one_of(st.none(), st.integers(1, 50_000))),
        "customer": {
            "kind": kind.value,
            "first_name": None if company else "Maria",
            "last_name": None if company else "Rossi",
            "company_name": "Rossi & Figli srl" if company else None,
            "fiscal_code": fiscal_code,
            "vat_number": vat,
            "phone": phone,
            "email": draw(st.sampled_from([None, "maria.rossi@example.it"])),
            "vulnerable": draw(st.booleans()),
            "employees": draw(st.integers(0, 49)) if sized else None,
            "turnover_eur": draw(st.decimals(0, 10_000_000, places=2)) if sized else None,
            "address": draw(addresses),
        },
        "payment": {
            "method": "sepa" if sepa else "postal_slip",
            "iban": _iban(draw(_digits(5)), draw(_digits(5)), draw(_digits(12))) if sepa else None,
        },
    }
    return record, e164


def _json_line(data: dict[str, Any]) -> str:
    """JSON text with Decimals written as JSON numbers (json.dumps cannot do that itself)."""
    def mark(value: Any) -> str:
        return f"@@{value}@@"
    return json.dumps(data, default=mark).replace('"@@', "").replace('@@"', "")


@settings(max_examples=200)
@given(valid_records())
def test_any_record_built_from_valid_parts_is_accepted_and_its_phone_round_trips(drawn):
    data, e164 = drawn
    record = parse_record(data=data)
    assert isinstance(record, ContractRecord)
    assert record.customer.phone == e164
    assert validate_phone(number=record.customer.phone) == e164
    assert parse_record(data=record.to_data()) == record
    assert parse_record_line(line=_json_line(data)) == record


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.decimals(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
PATHS = [
    "external_id", "signed_on", "channel", "commodity", "supply_point", "annual_consumption",
    "early_execution", "agency_code", "customer", "customer.kind", "customer.fiscal_code",
    "customer.vat_number", "customer.phone", "customer.email", "customer.employees",
    "customer.turnover_eur", "customer.address", "customer.address.postcode", "payment",
    "payment.method", "payment.iban",
]


@settings(max_examples=300)
@given(path=st.sampled_from(PATHS), value=json_values)
def test_any_value_in_any_field_gives_a_record_or_a_rejection_never_a_crash(path, value):
    try:
        parse_record(data=changed(business("small_business"), path, value))
    except RecordRejected as error:
        assert error.problems and all(isinstance(p, Problem) for p in error.problems)


@given(line=st.text(max_size=60))
def test_any_text_line_gives_a_rejection_never_a_crash(line):
    with pytest.raises(RecordRejected):
        parse_record_line(line=line)
