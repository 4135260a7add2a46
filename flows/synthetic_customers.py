"""Customers of every kind, with valid identifiers, phone numbers and e-mail addresses.

Domestic customers are people with a codice fiscale consistent with their name, sex and birth
date; companies have a partita IVA (and their fiscal code is the same number); condominiums
have an 11-digit numeric fiscal code starting with 9 and no VAT number; public-service users
(schools, town halls, ...) a numeric fiscal code starting with 8 and a VAT number. About one
small business in ten is above the 153/2012 size thresholds (50 employees or €10M turnover).
"""

from __future__ import annotations

import math
import random
from datetime import date, datetime
from decimal import Decimal

from flows.synthetic_ids import draw_person_code, draw_phone, draw_vat_number
from flows.synthetic_pools import (
    EMAIL_DOMAINS,
    PUBLIC_BODIES,
    Place,
    Pools,
    cumulative,
    pick_index,
    slug,
)
from flows.synthetic_model import CustomerRecord
from protocol.codes import CustomerKind

KIND_WEIGHTS = {
    CustomerKind.DOMESTIC: 0.80, CustomerKind.SMALL_BUSINESS: 0.09,
    CustomerKind.BUSINESS: 0.04, CustomerKind.CONDOMINIUM: 0.04,
    CustomerKind.PUBLIC_SERVICE: 0.03,
}
VULNERABLE_SHARE = 0.08
_CENT = Decimal("0.01")


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    """A random magnitude (a size, never an amount of money), spread evenly on a log scale."""
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _turnover(rng: random.Random, low: float, high: float) -> Decimal:
    """A random turnover in whole euros: the magnitude is truncated to an integer before it
    becomes money, so no float ever reaches an amount."""
    return Decimal(int(_log_uniform(rng, low, high))).quantize(_CENT)


def _size(rng: random.Random, kind: CustomerKind) -> tuple[int | None, Decimal | None]:
    if kind is CustomerKind.SMALL_BUSINESS:
        if rng.random() < 0.10:  # declared small, but above a threshold
            if rng.random() < 0.5:
                return rng.randint(50, 140), _turnover(rng, 3e6, 9.9e6)
            return rng.randint(10, 49), _turnover(rng, 10_000_001, 3e7)
        return min(49, int(rng.paretovariate(1.1))), _turnover(rng, 4e4, 9.5e6)
    if kind is CustomerKind.BUSINESS:
        return int(_log_uniform(rng, 50, 2500)), _turnover(rng, 1e7, 5e8)
    return None, None


class CustomerFactory:
    """Draws customers from the pools; phone numbers are unique across the book."""

    def __init__(self, *, rng: random.Random, pools: Pools, start: date) -> None:
        self._rng = rng
        self._pools = pools
        self._phones: set[str] = set()
        self._born_after = date(start.year - 92, 1, 1)
        self._born_before = date(start.year - 18, 1, 1)
        self._kinds = list(KIND_WEIGHTS)
        self._cum_kinds = cumulative(KIND_WEIGHTS.values())

    def draw_kind(self) -> CustomerKind:
        return self._kinds[pick_index(self._rng, self._cum_kinds)]

    def draw(self, *, customer_id: int, kind: CustomerKind, place: Place, street: str,
             created_at: datetime) -> CustomerRecord:
        rng, pools = self._rng, self._pools
        first = last = company = vat = None
        email: str | None = None
        if kind is CustomerKind.DOMESTIC:
            female = rng.random() < 0.5
            first = rng.choice(pools.female_names if female else pools.male_names)
            last = rng.choice(pools.last_names)
            fiscal = draw_person_code(rng, first_name=first, last_name=last, female=female,
                                      born_after=self._born_after, born_before=self._born_before)
            mobile = rng.random() < 0.85
            if rng.random() < 0.8:
                digits = str(rng.randint(1, 99)) if rng.random() < 0.4 else ""
                email = f"{slug(first)}.{slug(last)}{digits}@{rng.choice(EMAIL_DOMAINS)}"
        elif kind is CustomerKind.CONDOMINIUM:
            company = f"Condominio {street}"
            fiscal = draw_vat_number(rng, first_digit="9")
            mobile = rng.random() < 0.5
            if rng.random() < 0.9:
                email = f"studio.{slug(rng.choice(pools.last_names))}@{rng.choice(EMAIL_DOMAINS)}"
        elif kind is CustomerKind.PUBLIC_SERVICE:
            company = rng.choice(PUBLIC_BODIES).format(town=place.city)
            fiscal = draw_vat_number(rng, first_digit="8")
            vat = draw_vat_number(rng, first_digit="0")
            mobile = False
            email = f"protocollo@comune.{slug(place.city)}.{place.province.lower()}.it"
        else:
            company = rng.choice(pools.companies)
            vat = fiscal = draw_vat_number(rng, first_digit=str(rng.randint(0, 3)))
            mobile = rng.random() < 0.3
            if rng.random() < 0.95:
                email = f"amministrazione@{slug(company)[:24]}.it"
        employees, turnover = _size(rng, kind)
        return CustomerRecord(
            id=customer_id, kind=kind, first_name=first, last_name=last,
            company_name=company, fiscal_code=fiscal, vat_number=vat,
            phone_e164=draw_phone(rng, mobile=mobile, used=self._phones), email=email,
            vulnerable=kind is CustomerKind.DOMESTIC and rng.random() < VULNERABLE_SHARE,
            employees=employees, turnover_eur=turnover, street=street,
            postcode=place.postcode, city=place.city, province=place.province,
            created_at=created_at,
        )

