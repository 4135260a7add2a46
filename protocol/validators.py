"""Field validators for contract data: pure functions, no I/O, no clock.

Every validator takes keyword-only arguments, returns the normalised value and raises
:class:`InvalidField` (a ``ValueError``) with the field's name and a short English reason
meant for a customer-service agent. The optional ``field`` argument names the field in the
error (a dotted path such as ``"customer.phone"`` when called for an import record).

:func:`validate_address` is the exception: an address can have several problems at once, so it
checks every part and raises :class:`InvalidFields` carrying all of them.

The IBAN validator (:mod:`protocol.iban_check`) and the address validator
(:mod:`protocol.address_check`) live in their own modules and are re-exported here, so
``protocol.validators`` is the one place to import validators from.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneNumberType
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, ValidationError
from stdnum.it import codicefiscale, iva

from protocol.address_check import AddressData, validate_address
from protocol.codes import Commodity
from protocol.field_errors import InvalidField, InvalidFields, Problem
from protocol.iban_check import validate_iban

__all__ = [
    "AddressData", "InvalidField", "InvalidFields", "Problem", "validate_address",
    "validate_email", "validate_fiscal_code", "validate_iban", "validate_pdr", "validate_phone",
    "validate_pod", "validate_supply_point", "validate_vat_number",
]


def _compact(value: str) -> str:
    """Drop all whitespace and upper-case."""
    return "".join(value.split()).upper()


def _is_ascii_digits(value: str) -> bool:
    return value.isascii() and value.isdigit()


# --- codice fiscale and partita IVA -------------------------------------------------------


def validate_vat_number(*, number: str, field: str = "vat_number") -> str:
    """Return the 11-digit Italian VAT number (partita IVA), without any ``IT`` prefix.

    Raises:
        InvalidField: wrong length, non-digits, invalid office code or wrong check digit.
    """
    compact = iva.compact("".join(number.split()))
    if not compact:
        raise InvalidField(field=field, reason="is empty")
    if not _is_ascii_digits(compact):
        raise InvalidField(field=field, reason="must contain only digits (11 of them)")
    if len(compact) != 11:
        raise InvalidField(field=field, reason=f"must be 11 digits, not {len(compact)}")
    try:
        return iva.validate(compact)
    except InvalidChecksum:
        expected = luhn.calc_check_digit(compact[:-1])
        raise InvalidField(
            field=field, reason=f"check digit is wrong (expected '{expected}')"
        ) from None
    except (InvalidFormat, InvalidComponent):
        raise InvalidField(
            field=field,
            reason="is not a valid partita IVA (company number or tax-office code is wrong)",
        ) from None


def validate_fiscal_code(*, code: str, field: str = "fiscal_code") -> str:
    """Return the codice fiscale compacted and upper-cased.

    Accepts the 16-character personal code (omocodia variants included) and the 11-digit
    numeric code of companies, condominiums and other bodies, which is checked like a
    partita IVA. Use ``len(result) == 16`` to tell a personal code from a numeric one.

    Raises:
        InvalidField: wrong length, pattern, check character or encoded birth date.
    """
    compact = codicefiscale.compact("".join(code.split()))
    if not compact:
        raise InvalidField(field=field, reason="is empty")
    if _is_ascii_digits(compact):
        if len(compact) != 11:
            raise InvalidField(
                field=field, reason=f"a numeric fiscal code must be 11 digits, not {len(compact)}"
            )
        return validate_vat_number(number=compact, field=field)
    if len(compact) != 16:
        raise InvalidField(
            field=field,
            reason=f"must be 16 characters (a person) or 11 digits (a company), not {len(compact)}",
        )
    try:
        return codicefiscale.validate(compact)
    except InvalidFormat:
        raise InvalidField(
            field=field,
            reason="does not follow the pattern of a fiscal code "
            "(6 letters, birth date, place code, check character)",
        ) from None
    except InvalidChecksum:
        expected = codicefiscale.calc_check_digit(compact[:15])
        raise InvalidField(
            field=field, reason=f"check character is wrong (expected '{expected}')"
        ) from None
    except ValidationError:  # InvalidComponent: the birth date
        raise InvalidField(
            field=field, reason="the birth date written in the fiscal code is not a real date"
        ) from None


# --- supply points ------------------------------------------------------------------------

_POD_RE = re.compile(r"IT[0-9]{3}E[0-9]{8}[A-Z0-9]?")
_PDR_RE = re.compile(r"[0-9]{14}")
_POD_REASON = (
    "an electricity supply point (POD) looks like IT001E12345678: "
    "'IT', 3 digits, 'E', 8 digits and an optional final letter or digit"
)
_PDR_REASON = "a gas supply point (PDR) is 14 digits"


def validate_pod(*, code: str, field: str = "supply_point") -> str:
    """Return the electricity supply point code (POD) without spaces, upper-cased.

    Raises:
        InvalidField: the code does not match ``IT\\d{3}E\\d{8}[A-Z0-9]?``.
    """
    compact = _compact(code)
    if _POD_RE.fullmatch(compact):
        return compact
    if _PDR_RE.fullmatch(compact):
        raise InvalidField(field=field, reason=f"this is a gas PDR, but {_POD_REASON}")
    raise InvalidField(field=field, reason=_POD_REASON)


def validate_pdr(*, code: str, field: str = "supply_point") -> str:
    """Return the gas supply point code (PDR): 14 digits as a string, leading zeros kept.

    Raises:
        InvalidField: the code is not exactly 14 digits.
    """
    compact = _compact(code)
    if _PDR_RE.fullmatch(compact):
        return compact
    if _POD_RE.fullmatch(compact):
        raise InvalidField(field=field, reason=f"this is an electricity POD, but {_PDR_REASON}")
    raise InvalidField(field=field, reason=f"{_PDR_REASON}, not '{compact}'")


def validate_supply_point(
    *, commodity: Commodity | str, code: str, field: str = "supply_point"
) -> str:
    """Validate ``code`` as a POD (electricity) or a PDR (gas) according to ``commodity``.

    Raises:
        InvalidField: the code does not fit the commodity's format.
        ValueError: ``commodity`` is not ``"electricity"`` or ``"gas"`` (a programming error).
    """
    if Commodity(commodity) is Commodity.ELECTRICITY:
        return validate_pod(code=code, field=field)
    return validate_pdr(code=code, field=field)


# --- phone --------------------------------------------------------------------------------

_PERSONAL_LINE_TYPES = frozenset({
    PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE,
    PhoneNumberType.VOIP,
})


def validate_phone(*, number: str, field: str = "phone") -> str:
    """Return an Italian phone number in E.164 form (``+393471234567``).

    Any common way of writing it is accepted: ``347 123 4567``, ``+39 347-1234567``,
    ``0039 347...``, ``051 123456``, ``(051) 12.34.56``. Numbers of the Vatican's +39 06 698
    range count as Italian. Toll-free, premium-rate and other service numbers are refused.

    Raises:
        InvalidField: not a phone number, not Italian, not valid, or not a personal line.
    """
    try:
        parsed = phonenumbers.parse(number, "IT")
    except phonenumbers.NumberParseException:
        raise InvalidField(field=field, reason="is not a phone number") from None
    if parsed.country_code != 39:
        raise InvalidField(
            field=field, reason=f"is not an Italian number (country code +{parsed.country_code})"
        )
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidField(field=field, reason="is not an Italian mobile or landline number")
    if phonenumbers.number_type(parsed) not in _PERSONAL_LINE_TYPES:
        raise InvalidField(
            field=field,
            reason="is a toll-free, premium-rate or service number, not a mobile or landline",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# --- e-mail -------------------------------------------------------------------------------

_LOCAL_RE = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL_RE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TLD_RE = re.compile(r"[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{1,59}")


def validate_email(*, address: str, field: str = "email") -> str:
    """Return the e-mail address trimmed, with the domain lower-cased.

    A syntax check only (no DNS): one ``@``, a dot-atom local part of at most 64 characters, a
    domain of at least two labels ending in an alphabetic top-level domain, 254 characters in all.

    Raises:
        InvalidField: the address is not syntactically valid.
    """
    text = address.strip()
    if not text:
        raise InvalidField(field=field, reason="is empty")
    if any(ch.isspace() for ch in text):
        raise InvalidField(field=field, reason="must not contain spaces")
    if text.count("@") != 1:
        raise InvalidField(field=field, reason="must contain exactly one '@'")
    local, domain = text.split("@")
    if not local or not domain:
        raise InvalidField(field=field, reason="needs a name before and a domain after the '@'")
    if len(text) > 254 or len(local) > 64:
        raise InvalidField(field=field, reason="is too long for an e-mail address")
    if not _LOCAL_RE.fullmatch(local):
        raise InvalidField(
            field=field, reason="the part before '@' has characters or dots in wrong places"
        )
    labels = domain.split(".")
    if len(labels) < 2 or not all(_LABEL_RE.fullmatch(label) for label in labels):
        raise InvalidField(field=field, reason="the domain after '@' must be like example.it")
    if not _TLD_RE.fullmatch(labels[-1]):
        raise InvalidField(field=field, reason="the domain must end in a name like .it or .com")
    return f"{local}@{domain.lower()}"
