"""Field validators: codice fiscale, P.IVA, POD/PDR, phone, IBAN, e-mail, address."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st
from schwifty import IBAN
from schwifty.exceptions import InvalidBBANChecksum

from protocol.codes import Commodity
from protocol.iban_check import italian_cin
from protocol.provinces import PROVINCE_CODES, PROVINCE_NAMES
from protocol.validators import (
    AddressData,
    InvalidField,
    InvalidFields,
    Problem,
    validate_address,
    validate_email,
    validate_fiscal_code,
    validate_iban,
    validate_pdr,
    validate_phone,
    validate_pod,
    validate_supply_point,
    validate_vat_number,
)

# --- test-side reference algorithms (written from the specifications, not from the code) ---

_ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25,
        24, 23)


def _value(char: str) -> int:
    return int(char) if char.isdigit() else string.ascii_uppercase.index(char)


def check_char(text: str) -> str:
    """The odd/even-table check letter shared by the codice fiscale and the Italian CIN."""
    total = sum(_ODD[_value(c)] if i % 2 == 0 else _value(c) for i, c in enumerate(text))
    return string.ascii_uppercase[total % 26]


def iban_check_digits(country: str, bban: str) -> str:
    number = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{98 - number % 97:02d}"


def italian_iban(*, abi: str, cab: str, account: str, cin: str | None = None) -> str:
    bban = (cin or check_char(abi + cab + account)) + abi + cab + account
    return "IT" + iban_check_digits("IT", bban) + bban


def with_luhn_digit(digits: str) -> str:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return digits + str((10 - total % 10) % 10)


OMOCODIA = dict(zip("0123456789", "LMNPQRSTUV"))


def omocode(code: str, substitutions: int) -> str:
    """Replace the last ``substitutions`` digits of a personal code, recompute the check."""
    chars = list(code[:15])
    for position in [14, 13, 12, 10, 9, 7, 6][:substitutions]:
        chars[position] = OMOCODIA[chars[position]]
    return "".join(chars) + check_char("".join(chars))


def reason_of(call) -> str:
    with pytest.raises(InvalidField) as caught:
        call()
    return caught.value.reason


# --- errors -------------------------------------------------------------------------------


def test_an_invalid_field_is_a_value_error_that_names_field_and_reason():
    error = InvalidField(field="customer.phone", reason="is not a phone number")
    assert isinstance(error, ValueError)
    assert str(error) == "customer.phone: is not a phone number"
    assert error.problem == Problem(field="customer.phone", reason="is not a phone number")


def test_the_reference_check_character_matches_published_fiscal_codes():
    assert check_char("RCCMNL83S18D969") == "H"
    assert check_char("RSSMRA80A41H501") == "Y"


# --- codice fiscale -----------------------------------------------------------------------


def test_a_valid_personal_fiscal_code_is_accepted():
    assert validate_fiscal_code(code="RSSMRA80A41H501Y") == "RSSMRA80A41H501Y"


def test_a_fiscal_code_in_lowercase_with_spaces_is_normalised_to_uppercase():
    assert validate_fiscal_code(code=" rss mra 80a41 h501y ") == "RSSMRA80A41H501Y"


@pytest.mark.parametrize("substitutions", [1, 2, 3, 7])
def test_omocodia_fiscal_codes_are_accepted(substitutions):
    code = omocode("RCCMNL83S18D969H", substitutions)
    assert code != "RCCMNL83S18D969H"
    assert validate_fiscal_code(code=code) == code


def test_a_fiscal_code_with_a_wrong_check_character_says_which_one_was_expected():
    assert reason_of(lambda: validate_fiscal_code(code="RSSMRA80A41H501X")) == (
        "check character is wrong (expected 'Y')"
    )


def test_an_omocodia_fiscal_code_with_the_original_check_character_is_refused():
    code = omocode("RCCMNL83S18D969H", 1)[:15] + "H"
    assert "check character is wrong" in reason_of(lambda: validate_fiscal_code(code=code))


def test_a_fiscal_code_of_the_wrong_length_is_refused():
    reason = reason_of(lambda: validate_fiscal_code(code="RSSMRA80A41H501"))
    assert reason == "must be 16 characters (a person) or 11 digits (a company), not 15"


def test_a_fiscal_code_that_breaks_the_pattern_is_refused():
    reason = reason_of(lambda: validate_fiscal_code(code="RSSMRA8XA41H501Y"))
    assert reason.startswith("does not follow the pattern of a fiscal code")


def test_a_fiscal_code_with_an_impossible_birth_date_is_refused():
    code = "RSSMRA80B30H501"  # 30 February
    reason = reason_of(lambda: validate_fiscal_code(code=code + check_char(code)))
    assert reason == "the birth date written in the fiscal code is not a real date"


def test_a_numeric_fiscal_code_of_a_company_is_accepted():
    assert validate_fiscal_code(code="00743110157") == "00743110157"


def test_a_numeric_fiscal_code_with_a_wrong_check_digit_is_refused():
    reason = reason_of(lambda: validate_fiscal_code(code="00743110158"))
    assert reason == "check digit is wrong (expected '7')"


def test_a_numeric_fiscal_code_of_ten_digits_is_refused():
    reason = reason_of(lambda: validate_fiscal_code(code="0074311015"))
    assert reason == "a numeric fiscal code must be 11 digits, not 10"


def test_the_field_name_of_a_fiscal_code_problem_can_be_a_dotted_path():
    with pytest.raises(InvalidField) as caught:
        validate_fiscal_code(code="X", field="customer.fiscal_code")
    assert caught.value.field == "customer.fiscal_code"


# --- partita IVA --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["00743110157", "IT 00743110157", "it00743110157", "007 4311 0157"]
)
def test_a_vat_number_is_returned_as_eleven_digits(text):
    assert validate_vat_number(number=text) == "00743110157"


def test_a_generated_vat_number_with_a_computed_check_digit_is_accepted():
    number = with_luhn_digit("1234567" + "037")
    assert validate_vat_number(number=number) == number


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("00743110158", "check digit is wrong (expected '7')"),
        ("0074311015", "must be 11 digits, not 10"),
        ("0074311015A", "must contain only digits (11 of them)"),
        ("", "is empty"),
        (with_luhn_digit("1234567" + "000"), "is not a valid partita IVA "
         "(company number or tax-office code is wrong)"),
        (with_luhn_digit("0000000" + "037"), "is not a valid partita IVA "
         "(company number or tax-office code is wrong)"),
    ],
)
def test_a_bad_vat_number_is_refused_with_its_reason(text, reason):
    assert reason_of(lambda: validate_vat_number(number=text)) == reason


# --- POD and PDR --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("IT001E12345678", "IT001E12345678"),
        ("IT001E12345678A", "IT001E12345678A"),
        (" it 001 e 1234 5678 ", "IT001E12345678"),
    ],
)
def test_a_pod_is_normalised_to_compact_uppercase(text, expected):
    assert validate_pod(code=text) == expected


@pytest.mark.parametrize(
    "text", ["IT001E1234567", "FR001E12345678", "IT001X12345678", "IT001E12345678AB"]
)
def test_a_malformed_pod_is_refused(text):
    assert reason_of(lambda: validate_pod(code=text)).startswith(
        "an electricity supply point (POD) looks like IT001E12345678"
    )


def test_a_pdr_keeps_its_leading_zeros():
    assert validate_pdr(code="00881234567890") == "00881234567890"
    assert validate_pdr(code="0088 1234 5678 90") == "00881234567890"


@pytest.mark.parametrize("text", ["0088123456789", "008812345678901", "0088123456789O"])
def test_a_pdr_that_is_not_fourteen_digits_is_refused(text):
    reason = reason_of(lambda: validate_pdr(code=text))
    assert reason.startswith("a gas supply point (PDR) is 14 digits")


def test_the_supply_point_follows_the_commodity():
    assert validate_supply_point(commodity=Commodity.ELECTRICITY, code="IT001E12345678") == (
        "IT001E12345678"
    )
    assert validate_supply_point(commodity="gas", code="00881234567890") == "00881234567890"


def test_a_pod_given_for_gas_is_refused_saying_what_a_pdr_looks_like():
    reason = reason_of(lambda: validate_supply_point(commodity="gas", code="IT001E12345678"))
    assert reason == "this is an electricity POD, but a gas supply point (PDR) is 14 digits"


def test_a_pdr_given_for_electricity_is_refused_saying_what_a_pod_looks_like():
    pdr = "00881234567890"
    reason = reason_of(lambda: validate_supply_point(commodity="electricity", code=pdr))
    assert reason.startswith("this is a gas PDR, but an electricity supply point (POD)")


def test_an_unknown_commodity_is_a_programming_error_not_a_field_problem():
    with pytest.raises(ValueError) as caught:
        validate_supply_point(commodity="water", code="00881234567890")
    assert not isinstance(caught.value, InvalidField)


# --- phone --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("347 123 4567", "+393471234567"),
        ("3471234567", "+393471234567"),
        ("+39 347-1234567", "+393471234567"),
        ("+39 347 123 4567", "+393471234567"),
        ("0039 347 1234567", "+393471234567"),
        ("00393471234567", "+393471234567"),
        ("051 123456", "+39051123456"),
        ("(051) 12.34.56", "+39051123456"),
        ("+39 051 123456", "+39051123456"),
        ("06 1234 5678", "+390612345678"),
        ("02-12345678", "+390212345678"),
        ("0542 123456", "+390542123456"),
    ],
)
def test_common_italian_phone_formats_become_e164(text, e164):
    assert validate_phone(number=text) == e164


def test_an_e164_phone_number_round_trips():
    assert validate_phone(number="+393471234567") == "+393471234567"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is not a phone number"),
        ("abc", "is not a phone number"),
        ("+44 20 7946 0958", "is not an Italian number (country code +44)"),
        ("1234", "is not an Italian mobile or landline number"),
        ("347 123", "is not an Italian mobile or landline number"),
        ("800 123456", "is a toll-free, premium-rate or service number, not a mobile or landline"),
        ("899 123456", "is a toll-free, premium-rate or service number, not a mobile or landline"),
    ],
)
def test_a_phone_number_that_is_not_an_italian_personal_line_is_refused(text, reason):
    assert reason_of(lambda: validate_phone(number=text)) == reason


# --- IBAN ---------------------------------------------------------------------------------

GOOD_IBAN = "IT60X0542811101000000123456"
WRONG_CIN_IBAN = italian_iban(abi="05428", cab="11101", account="000000123456", cin="A")


def test_a_valid_italian_iban_is_accepted():
    assert validate_iban(iban=GOOD_IBAN) == GOOD_IBAN


def test_an_iban_with_spaces_and_lowercase_is_normalised():
    assert validate_iban(iban="it60 x054 2811 1010 0000 0123 456") == GOOD_IBAN


def test_an_iban_with_a_wrong_cin_but_right_check_digits_is_refused_for_the_cin():
    assert WRONG_CIN_IBAN[4] == "A" and IBAN(WRONG_CIN_IBAN).is_valid  # mod 97 is right
    assert reason_of(lambda: validate_iban(iban=WRONG_CIN_IBAN)) == (
        "IBAN national check character (CIN) is wrong (expected 'X')"
    )


def test_schwifty_itself_checks_the_italian_cin_when_asked_to_validate_the_bban():
    with pytest.raises(InvalidBBANChecksum):
        IBAN(WRONG_CIN_IBAN, validate_bban=True)


def test_an_iban_with_wrong_check_digits_is_refused_for_the_check_digits():
    reason = reason_of(lambda: validate_iban(iban="IT61X0542811101000000123456"))
    assert reason == "IBAN check digits are wrong (a character is probably mistyped)"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("IT60X054281110100000012345", "an Italian IBAN is 27 characters, not 26"),
        ("BR1800360305000010009795493C1", "is from a country outside SEPA (BR): "
         "it cannot be direct-debited"),
        ("ZZ60X0542811101000000123456", "does not start with a known country code ('ZZ')"),
        ("IT60X05428111010000001234!6", "may contain only letters and digits"),
        ("", "is empty"),
    ],
)
def test_a_bad_iban_is_refused_with_its_reason(text, reason):
    assert reason_of(lambda: validate_iban(iban=text)) == reason


def test_an_italian_iban_with_letters_in_the_bank_code_breaks_the_layout():
    reason = reason_of(lambda: validate_iban(iban="IT60X05A2811101000000123456"))
    assert reason.startswith("does not follow the Italian layout")


def test_an_iban_of_another_sepa_country_is_accepted():
    assert validate_iban(iban="DE89 3704 0044 0532 0130 00") == "DE89370400440532013000"


def test_only_italian_ibans_get_the_national_check():
    # Spain's national check digits (positions 13-14) are wrong here, mod 97 is right.
    bban = "21000418" + "46" + "0200051332"
    spanish = "ES" + iban_check_digits("ES", bban) + bban
    assert validate_iban(iban=spanish) == spanish


@given(
    abi=st.text(alphabet=string.digits, min_size=5, max_size=5),
    cab=st.text(alphabet=string.digits, min_size=5, max_size=5),
    account=st.text(alphabet=string.digits + string.ascii_uppercase, min_size=12, max_size=12),
)
def test_the_cin_agrees_with_the_reference_and_with_schwifty(abi, cab, account):
    iban = italian_iban(abi=abi, cab=cab, account=account)
    assert italian_cin(abi=abi, cab=cab, account=account) == iban[4]
    assert validate_iban(iban=iban) == iban
    assert IBAN(iban, validate_bban=True).is_valid
    wrong = italian_iban(abi=abi, cab=cab, account=account, cin="B" if iban[4] == "A" else "A")
    assert "(CIN) is wrong" in reason_of(lambda: validate_iban(iban=wrong))


# --- e-mail -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("maria.rossi@example.it", "maria.rossi@example.it"),
        ("  maria.rossi@example.it ", "maria.rossi@example.it"),
        ("Maria.Rossi+bollette@Example.IT", "Maria.Rossi+bollette@example.it"),
        ("m_rossi-80@posta.comune.bologna.it", "m_rossi-80@posta.comune.bologna.it"),
    ],
)
def test_a_valid_email_is_trimmed_with_its_domain_lowercased(text, expected):
    assert validate_email(address=text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "is empty"),
        ("maria.rossi", "must contain exactly one '@'"),
        ("maria@@example.it", "must contain exactly one '@'"),
        ("maria rossi@example.it", "must not contain spaces"),
        ("@example.it", "needs a name before and a domain after the '@'"),
        ("maria..rossi@example.it", "the part before '@' has characters or dots in wrong places"),
        (".maria@example.it", "the part before '@' has characters or dots in wrong places"),
        ("maria@example", "the domain after '@' must be like example.it"),
        ("maria@-example.it", "the domain after '@' must be like example.it"),
        ("maria@example..it", "the domain after '@' must be like example.it"),
        ("maria@example.i", "the domain must end in a name like .it or .com"),
        ("maria@example.123", "the domain must end in a name like .it or .com"),
        ("m" * 65 + "@example.it", "is too long for an e-mail address"),
    ],
)
def test_a_malformed_email_is_refused_with_its_reason(text, reason):
    assert reason_of(lambda: validate_email(address=text)) == reason


# --- address ------------------------------------------------------------------------------


def test_a_valid_address_is_normalised():
    address = validate_address(
        street="  Via   Emilia 12 ", postcode=" 40026", city=" Imola ", province="bo"
    )
    assert address == AddressData(
        street="Via Emilia 12", postcode="40026", city="Imola", province="BO"
    )


@pytest.mark.parametrize(
    "street", ["Via Roma snc", "Via Roma SNC", "Località Campo, s.n.c.", "Piazza Maggiore 6/A"]
)
def test_a_street_with_a_house_number_or_snc_is_accepted(street):
    address = validate_address(street=street, postcode="40121", city="Bologna", province="BO")
    assert address.street == street


def test_an_address_reports_all_its_problems_at_once():
    with pytest.raises(InvalidFields) as caught:
        validate_address(street="Via Roma", postcode="4012", city=" ", province="XX")
    assert isinstance(caught.value, ValueError)
    assert caught.value.problems == (
        Problem(field="address.street", reason="has no house number (write 'snc' if none)"),
        Problem(field="address.postcode", reason="a postcode (CAP) is 5 digits"),
        Problem(field="address.city", reason="is empty"),
        Problem(
            field="address.province",
            reason="is not an Italian province code (two letters, like BO or RM)",
        ),
    )


def test_address_problems_are_named_under_the_given_field():
    with pytest.raises(InvalidFields) as caught:
        validate_address(
            street="", postcode="00000", city="Imola", province="BO", field="customer.address"
        )
    assert [p.field for p in caught.value.problems] == [
        "customer.address.street",
        "customer.address.postcode",
    ]


def test_the_province_list_has_the_107_provinces_and_the_sardinian_codes_back_in_use():
    assert len(PROVINCE_CODES) == 111
    assert {"BO", "RM", "MB", "BT", "FM", "SU", "CI", "OG", "OT", "VS"} <= PROVINCE_CODES
    assert PROVINCE_NAMES["FC"] == "Forlì-Cesena"
    assert all(len(code) == 2 and code.isupper() for code in PROVINCE_CODES)
