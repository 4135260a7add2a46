"""Valid Italian identifiers for the synthetic book, drawn from a seeded ``random.Random``.

Codice fiscale (consistent with name, sex and birth date), partita IVA and numeric fiscal
codes, IBAN with the Italian CIN and the mod-97 check digits, POD / PDR codes and phone
numbers in E.164. The check characters are computed here (python-stdnum for the fiscal code
and the Luhn digit); the tests validate every value with stdnum, schwifty and phonenumbers.
"""

from __future__ import annotations

import itertools
import random
import string
from datetime import date
from functools import lru_cache

from stdnum import luhn
from stdnum.it import codicefiscale

from flows.synthetic_pools import BIRTHPLACES, ascii_letters, pick_index

_VOWELS = frozenset("AEIOU")
_MONTHS = "ABCDEHLMPRST"

# ABI codes of real Italian banks (Intesa Sanpaolo, UniCredit, Banco BPM, BPER, MPS, Credem,
# Crédit Agricole Italia, BancoPosta, Fineco, Mediolanum, Popolare di Sondrio, BCC banks).
BANK_CODES = ("03069", "02008", "05034", "05387", "01030", "03032", "06230", "07601",
              "03015", "03062", "05696", "08883", "07072", "08542")
BANK_WEIGHTS = (28, 20, 10, 8, 6, 4, 6, 8, 3, 2, 2, 1, 1, 1)

# Mobile prefixes in use (TIM, Vodafone, WindTre, Iliad, PosteMobile, ...).
MOBILE_PREFIXES = ("320", "324", "327", "328", "329", "330", "331", "333", "334", "335",
                   "336", "338", "339", "340", "342", "345", "346", "347", "348", "349",
                   "350", "351", "366", "370", "371", "377", "380", "388", "389", "391",
                   "392", "393")
# Area codes with the length of the subscriber part that follows them.
AREA_CODES = (("02", 8), ("06", 8), ("011", 7), ("051", 7), ("055", 7), ("081", 7),
              ("010", 7), ("041", 7), ("045", 7), ("049", 7), ("059", 6), ("0532", 6),
              ("0544", 6), ("0541", 6), ("0543", 6), ("0521", 6), ("0522", 6), ("071", 7),
              ("080", 7), ("091", 7), ("095", 7), ("070", 6), ("040", 6), ("0471", 6))

# CIN: value of a character in an odd (1st, 3rd, ...) or even position; digits 0-9 count
# like letters A-J.
_CIN_ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10,
            22, 25, 24, 23)
_CIN_ODD_VALUE = {**{str(d): _CIN_ODD[d] for d in range(10)},
                  **{c: _CIN_ODD[i] for i, c in enumerate(string.ascii_uppercase)}}
_CIN_EVEN_VALUE = {**{str(d): d for d in range(10)},
                   **{c: i for i, c in enumerate(string.ascii_uppercase)}}
_LETTER_TO_NUMBER = str.maketrans({c: str(i + 10) for i, c in enumerate(string.ascii_uppercase)})
_BANK_CUM = tuple(itertools.accumulate(BANK_WEIGHTS))


@lru_cache(maxsize=65536)
def _three(name: str, is_first_name: bool) -> str:
    """The three letters a surname or a first name contributes to a codice fiscale."""
    letters = ascii_letters(name)
    consonants = [c for c in letters if c not in _VOWELS]
    vowels = [c for c in letters if c in _VOWELS]
    if is_first_name and len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    return ("".join(consonants) + "".join(vowels) + "XXX")[:3]


def fiscal_code(*, first_name: str, last_name: str, birth_date: date, female: bool,
                place: str) -> str:
    """The 16-character codice fiscale of a person, with its check character."""
    day = birth_date.day + (40 if female else 0)
    body = (
        _three(last_name, False)
        + _three(first_name, True)
        + f"{birth_date.year % 100:02d}{_MONTHS[birth_date.month - 1]}{day:02d}{place}"
    )
    return body + codicefiscale.calc_check_digit(body)


def draw_person_code(rng: random.Random, *, first_name: str, last_name: str,
                     female: bool, born_after: date, born_before: date) -> str:
    """A codice fiscale for someone born in ``[born_after, born_before)``."""
    span = (born_before - born_after).days
    birth = date.fromordinal(born_after.toordinal() + rng.randrange(span))
    return fiscal_code(first_name=first_name, last_name=last_name, birth_date=birth,
                       female=female, place=rng.choice(BIRTHPLACES))


def draw_vat_number(rng: random.Random, *, first_digit: str | None = None) -> str:
    """An 11-digit partita IVA (or numeric fiscal code) with a valid office code and check."""
    head = first_digit if first_digit is not None else str(rng.randint(0, 9))
    company = head + f"{rng.randrange(1, 10**6):06d}"
    office = rng.randint(1, 100) if rng.random() < 0.97 else rng.choice((120, 121))
    body = f"{company}{office:03d}"
    return body + luhn.calc_check_digit(body)


def _italian_cin(tail: str) -> str:
    """The CIN of ABI + CAB + account (22 letters or digits)."""
    total = sum(_CIN_ODD_VALUE[c] for c in tail[0::2]) + sum(_CIN_EVEN_VALUE[c] for c in tail[1::2])
    return string.ascii_uppercase[total % 26]


def iban(*, abi: str, cab: str, account: str) -> str:
    """The Italian IBAN of an account: CIN and mod-97 check digits computed."""
    tail = f"{abi}{cab}{account}".upper()
    cin = _italian_cin(tail)
    # mod 97 of the BBAN followed by "IT00", letters counted A=10 ... Z=35 (ISO 13616)
    numeric = f"{cin}{tail}IT00".translate(_LETTER_TO_NUMBER)
    return f"IT{98 - int(numeric) % 97:02d}{cin}{tail}"


def draw_iban(rng: random.Random) -> str:
    """An IBAN at a real Italian bank, random branch and account number."""
    abi = BANK_CODES[pick_index(rng, _BANK_CUM)]
    return iban(abi=abi, cab=f"{rng.randrange(1, 10**5):05d}",
                account=f"{rng.randrange(10**12):012d}")


def draw_phone(rng: random.Random, *, mobile: bool, used: set[str]) -> str:
    """A valid Italian mobile or landline number in E.164, not already in ``used``."""
    while True:
        if mobile:
            number = f"+39{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
        else:
            area, length = rng.choice(AREA_CODES)
            first = str(rng.randint(2, 9))  # subscriber numbers never start with 0 or 1
            number = f"+39{area}{first}{rng.randrange(10 ** (length - 1)):0{length - 1}d}"
        if number not in used:
            used.add(number)
            return number


def draw_pod(rng: random.Random, *, distributor_code: str, used: set[str]) -> str:
    """A unique electricity POD ``IT<distributor>E<8 digits>``."""
    while True:
        code = f"IT{distributor_code}E{rng.randrange(10**8):08d}"
        if code not in used:
            used.add(code)
            return code


def draw_pdr(rng: random.Random, *, prefix: str, used: set[str]) -> str:
    """A unique 14-digit gas PDR starting with the distributor's prefix (maybe zeros)."""
    width = 14 - len(prefix)
    while True:
        code = f"{prefix}{rng.randrange(10**width):0{width}d}"
        if code not in used:
            used.add(code)
            return code
