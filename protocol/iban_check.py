"""IBAN validation for SEPA direct debits, with the Italian CIN check.

schwifty checks characters, length, the country's BBAN layout and the mod-97 check digits.
For Italian (and San Marino) IBANs the national check character, the CIN, is checked too:
schwifty does check it with ``validate_bban=True`` (its ``checksum/italy.py``, verified against
this module's own :func:`italian_cin`), and the result is also compared with
:func:`italian_cin`, so the check never silently disappears if a schwifty release stops
applying it to some bank codes. IBANs of other SEPA countries are accepted on the international
checks only; IBANs of non-SEPA countries are refused, since they cannot be debited via SEPA.
"""

from __future__ import annotations

import string

from schwifty import IBAN
from schwifty.exceptions import (
    InvalidBBANChecksum,
    InvalidChecksumDigits,
    InvalidCountryCode,
    InvalidLength,
    InvalidStructure,
    SchwiftyException,
)

from protocol.field_errors import InvalidField

__all__ = ["italian_cin", "validate_iban"]

_CIN_COUNTRIES = frozenset({"IT", "SM"})

# Values of a character in an odd (1st, 3rd, ...) position; digits 0-9 and letters A-J share
# the first ten entries. Even positions count 0-9 and A=0 ... Z=25.
_ODD_VALUES = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10,
               22, 25, 24, 23)


def _index(char: str) -> int:
    return int(char) if char.isdigit() else string.ascii_uppercase.index(char)


def italian_cin(*, abi: str, cab: str, account: str) -> str:
    """Return the CIN letter for a 5-digit ABI, 5-digit CAB and 12-character account number.

    Raises:
        ValueError: the parts have the wrong length or characters.
    """
    value = f"{abi}{cab}{account}".upper()
    if len(abi) != 5 or len(cab) != 5 or len(account) != 12 or not value.isalnum():
        raise ValueError("ABI and CAB need 5 characters, the account 12, all letters or digits")
    if not value.isascii():
        raise ValueError("only ASCII letters and digits")
    total = sum(
        _ODD_VALUES[_index(char)] if position % 2 == 0 else _index(char)
        for position, char in enumerate(value)
    )
    return string.ascii_uppercase[total % 26]


def validate_iban(*, iban: str, field: str = "iban") -> str:
    """Return the IBAN in compact upper-case form, if a SEPA direct debit can use it.

    Raises:
        InvalidField: with a reason telling apart wrong characters, unknown or non-SEPA
            country, wrong length, wrong BBAN layout, wrong mod-97 check digits and (Italy,
            San Marino) wrong CIN.
    """
    compact = "".join(iban.split()).upper()
    if not compact:
        raise InvalidField(field=field, reason="is empty")
    if not compact.isascii() or not compact.isalnum():
        raise InvalidField(field=field, reason="may contain only letters and digits")
    country = compact[:2]
    try:
        candidate = IBAN(compact, allow_invalid=True)
        spec = candidate.spec
    except (InvalidCountryCode, SchwiftyException):
        raise InvalidField(
            field=field, reason=f"does not start with a known country code ('{country}')"
        ) from None
    if not spec.in_sepa_zone:
        raise InvalidField(
            field=field,
            reason=f"is from a country outside SEPA ({country}): it cannot be direct-debited",
        )
    check_cin = country in _CIN_COUNTRIES
    schwifty_rejects_cin = False
    try:
        candidate.validate(validate_bban=check_cin)
    except InvalidLength:
        which = "an Italian IBAN" if country == "IT" else f"an IBAN from {country}"
        raise InvalidField(
            field=field, reason=f"{which} is {spec.iban_length} characters, not {len(compact)}"
        ) from None
    except InvalidStructure:
        layout = (
            "the Italian layout: 'IT', 2 check digits, the CIN letter, 5-digit ABI, "
            "5-digit CAB, 12-character account"
            if country == "IT"
            else f"the layout of {country} IBANs"
        )
        raise InvalidField(field=field, reason=f"does not follow {layout}") from None
    except InvalidChecksumDigits:
        raise InvalidField(
            field=field, reason="IBAN check digits are wrong (a character is probably mistyped)"
        ) from None
    except InvalidBBANChecksum:
        schwifty_rejects_cin = True  # reported below, with the expected CIN
    if check_cin:
        expected = italian_cin(abi=compact[5:10], cab=compact[10:15], account=compact[15:27])
        if schwifty_rejects_cin or compact[4] != expected:
            raise InvalidField(
                field=field,
                reason=f"IBAN national check character (CIN) is wrong (expected '{expected}')",
            )
    return compact
