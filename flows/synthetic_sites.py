"""Supply points (POD / PDR with their distributor), bank accounts and consumption.

The distributor follows the supply point's province (the big local grids, otherwise the
national ones); POD and PDR codes are unique in the book. Distributor codes in POD and PDR
prefixes are illustrative, not the official registry's.
"""

from __future__ import annotations

import math
import random

from flows.synthetic_ids import draw_iban, draw_pdr, draw_pod
from flows.synthetic_model import CustomerRecord, SupplyPointRecord
from flows.synthetic_pools import Place
from protocol.codes import Commodity, CustomerKind

# electricity: province -> (distributor, 3-digit code in the POD)
_POWER_GRIDS = {"RM": ("Areti", "002"), "MI": ("Unareti", "012"), "BS": ("Unareti", "012"),
                "TO": ("Ireti", "020"), "PR": ("Ireti", "020"),
                "MO": ("INRETE Distribuzione Energia", "030"),
                "IM": ("INRETE Distribuzione Energia", "030")}
_NATIONAL_GRID = ("e-distribuzione", "001")
# gas: province -> (distributor, PDR prefix); elsewhere one of the national networks
_GAS_GRIDS = {**{p: ("INRETE Distribuzione Energia", "0034")
                 for p in ("BO", "FE", "RA", "FC", "RN", "MO")},
              **{p: ("Unareti", "0123") for p in ("MI", "BS", "BG")},
              **{p: ("AcegasApsAmga", "0045") for p in ("TS", "PD", "UD", "GO")},
              "FI": ("Toscana Energia", "0960"), "TO": ("Italgas Reti", "0088"),
              "RM": ("Italgas Reti", "0088")}
_NATIONAL_GAS = (("Italgas Reti", "0088"), ("2i Rete Gas", "1520"))

# (low, high) annual consumption: kWh for electricity, Smc for gas
_CONSUMPTION = {
    (CustomerKind.DOMESTIC, Commodity.ELECTRICITY): (1500, 4500),
    (CustomerKind.DOMESTIC, Commodity.GAS): (400, 1500),
    (CustomerKind.SMALL_BUSINESS, Commodity.ELECTRICITY): (4000, 60000),
    (CustomerKind.SMALL_BUSINESS, Commodity.GAS): (1500, 25000),
    (CustomerKind.BUSINESS, Commodity.ELECTRICITY): (60000, 1500000),
    (CustomerKind.BUSINESS, Commodity.GAS): (25000, 500000),
    (CustomerKind.CONDOMINIUM, Commodity.ELECTRICITY): (2000, 20000),
    (CustomerKind.CONDOMINIUM, Commodity.GAS): (8000, 80000),
    (CustomerKind.PUBLIC_SERVICE, Commodity.ELECTRICITY): (10000, 400000),
    (CustomerKind.PUBLIC_SERVICE, Commodity.GAS): (5000, 150000),
}
_LOG_CONSUMPTION = {key: (math.log(low), math.log(high))
                    for key, (low, high) in _CONSUMPTION.items()}


def annual_consumption(rng: random.Random, kind: CustomerKind, commodity: Commodity) -> int:
    """A plausible yearly consumption: uniform for homes, log-uniform for the others."""
    if kind is CustomerKind.DOMESTIC:
        low, high = _CONSUMPTION[(kind, commodity)]
        return rng.randint(low, high)
    low, high = _LOG_CONSUMPTION[(kind, commodity)]
    return int(math.exp(rng.uniform(low, high)))


class SiteFactory:
    """Draws supply points and IBANs; POD and PDR codes never repeat in one book."""

    def __init__(self, *, rng: random.Random) -> None:
        self._rng = rng
        self._pods: set[str] = set()
        self._pdrs: set[str] = set()
        self._gas_by_province: dict[str, tuple[str, str]] = {}

    def iban(self) -> str:
        return draw_iban(self._rng)

    def _gas_grid(self, province: str) -> tuple[str, str]:
        grid = _GAS_GRIDS.get(province) or self._gas_by_province.get(province)
        if grid is None:  # first time this province is seen: one national network serves it
            grid = self._gas_by_province[province] = self._rng.choice(_NATIONAL_GAS)
        return grid

    def supply_point(self, *, supply_point_id: int, customer: CustomerRecord,
                     commodity: Commodity, elsewhere: tuple[Place, str] | None
                     ) -> SupplyPointRecord:
        """A supply point at the customer's address, or ``elsewhere`` (place, street)."""
        if elsewhere is None:
            street, postcode = customer.street, customer.postcode
            city, province = customer.city, customer.province
        else:
            place, street = elsewhere
            postcode, city, province = place.postcode, place.city, place.province
        if commodity is Commodity.ELECTRICITY:
            distributor, grid_code = _POWER_GRIDS.get(province, _NATIONAL_GRID)
            code = draw_pod(self._rng, distributor_code=grid_code, used=self._pods)
        else:
            distributor, prefix = self._gas_grid(province)
            code = draw_pdr(self._rng, prefix=prefix, used=self._pdrs)
        return SupplyPointRecord(
            id=supply_point_id, code=code, commodity=commodity, customer_id=customer.id,
            street=street, postcode=postcode, city=city, province=province,
            distributor=distributor,
        )
