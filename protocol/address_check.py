"""Italian postal address validation: every problem of an address is reported at once."""

from __future__ import annotations

import re
from dataclasses import dataclass

from protocol.field_errors import InvalidFields, Problem
from protocol.provinces import PROVINCE_CODES

__all__ = ["AddressData", "validate_address"]


@dataclass(frozen=True, slots=True)
class AddressData:
    """A normalised Italian postal address (supply or correspondence)."""

    street: str
    """Street and house number, whitespace collapsed (``"Via Emilia 12"``)."""
    postcode: str
    """CAP: 5 digits, as a string."""
    city: str
    """Municipality, whitespace collapsed."""
    province: str
    """Two-letter province code, upper case (see :mod:`protocol.provinces`)."""


_HOUSE_NUMBER_RE = re.compile(r"\d|\bs\.?\s?n\.?\s?c\b\.?", re.IGNORECASE)


def _squash(text: str) -> str:
    return " ".join(text.split())


def validate_address(
    *, street: str, postcode: str, city: str, province: str, field: str = "address"
) -> AddressData:
    """Return the normalised address, or report every problem it has at once.

    The street must carry a house number (a digit somewhere, or "snc", senza numero civico),
    the postcode (CAP) must be 5 digits, the city non-empty and the province a valid two-letter
    code. Problems are named ``f"{field}.street"``, ``f"{field}.postcode"`` and so on.

    Raises:
        InvalidFields: one or more parts are wrong; ``.problems`` lists all of them.
    """
    problems: list[Problem] = []
    street_n, city_n = _squash(street), _squash(city)
    postcode_n, province_n = "".join(postcode.split()), "".join(province.split()).upper()
    if not street_n:
        problems.append(Problem(field=f"{field}.street", reason="is empty"))
    elif not _HOUSE_NUMBER_RE.search(street_n):
        problems.append(
            Problem(field=f"{field}.street", reason="has no house number (write 'snc' if none)")
        )
    if not re.fullmatch(r"[0-9]{5}", postcode_n) or postcode_n == "00000":
        problems.append(Problem(field=f"{field}.postcode", reason="a postcode (CAP) is 5 digits"))
    if not city_n:
        problems.append(Problem(field=f"{field}.city", reason="is empty"))
    if province_n not in PROVINCE_CODES:
        problems.append(
            Problem(
                field=f"{field}.province",
                reason="is not an Italian province code (two letters, like BO or RM)",
            )
        )
    if problems:
        raise InvalidFields(problems=problems)
    return AddressData(street=street_n, postcode=postcode_n, city=city_n, province=province_n)
