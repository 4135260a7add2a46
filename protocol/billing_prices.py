"""Billing data the rule file does not carry yet: seasonal profiles, default consumption,
per-unit network / system charges / excise, VAT rates (rulebook §2.5, §6).

Every table here is a **(default)**: plausible figures for 2026, our own assumption, to move
into ``protocol/rules.toml`` (and be replaced by the official ARERA / Agenzia delle Dogane
figures) when the rule set grows a billing-prices section. Money and quantities are
``Decimal``; unit prices have at most 6 decimals (the database keeps micro-euros).

Pure data plus one lookup; no clock, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from protocol.codes import Commodity, CustomerKind
from protocol.errors import SentinellaError

__all__ = [
    "DEFAULT_ANNUAL_CONSUMPTION",
    "DEFAULT_CHARGE_TABLE",
    "DEFAULT_VAT_RATES",
    "SEASONAL_PROFILE",
    "UNITS",
    "ChargeTable",
    "MissingCharges",
    "UnitCharges",
]

E, G = Commodity.ELECTRICITY, Commodity.GAS
K = CustomerKind
D = Decimal

UNITS: Mapping[Commodity, str] = MappingProxyType({E: "kWh", G: "Smc"})

# (default) Share of the annual consumption in each calendar month, January first. Three
# decimals each and summing to exactly 1, so that an integer annual figure splits into whole
# months exactly (to the 0.001 kWh / Smc). Assumption: gas follows the heating season (about
# 80% from November to March, as ARERA's residential withdrawal profiles); electricity is mild,
# with winter lighting and summer air-conditioning peaks.
SEASONAL_PROFILE: Mapping[Commodity, tuple[Decimal, ...]] = MappingProxyType({
    #     Jan        Feb        Mar        Apr        May        Jun
    #     Jul        Aug        Sep        Oct        Nov        Dec
    E: (D("0.095"), D("0.085"), D("0.085"), D("0.075"), D("0.075"), D("0.080"),
        D("0.095"), D("0.085"), D("0.075"), D("0.075"), D("0.080"), D("0.095")),
    G: (D("0.190"), D("0.160"), D("0.120"), D("0.070"), D("0.030"), D("0.020"),
        D("0.020"), D("0.020"), D("0.020"), D("0.050"), D("0.120"), D("0.180")),
})

# (default) Annual consumption (kWh / Smc) assumed when a contract has none. Domestic figures
# are ARERA's typical customers (2,700 kWh at 3 kW; 1,400 Smc); the others are mid-range
# values of our synthetic book (flows/synthetic_sites.py).
DEFAULT_ANNUAL_CONSUMPTION: Mapping[tuple[Commodity, CustomerKind], int] = MappingProxyType({
    (E, K.DOMESTIC): 2_700, (G, K.DOMESTIC): 1_400,
    (E, K.SMALL_BUSINESS): 15_000, (G, K.SMALL_BUSINESS): 6_000,
    (E, K.BUSINESS): 300_000, (G, K.BUSINESS): 110_000,
    (E, K.CONDOMINIUM): 6_000, (G, K.CONDOMINIUM): 25_000,
    (E, K.PUBLIC_SERVICE): 60_000, (G, K.PUBLIC_SERVICE): 30_000,
})

# (default) VAT: 10% for domestic customers, 22% for everyone else. Simplification: gas
# for domestic use is really 10% only up to 480 Smc a year, and domestic-use condominiums
# may have 10% too; the table is per kind so that can be set here.
DEFAULT_VAT_RATES: Mapping[CustomerKind, Decimal] = MappingProxyType({
    K.DOMESTIC: D("0.10"), K.SMALL_BUSINESS: D("0.22"), K.BUSINESS: D("0.22"),
    K.CONDOMINIUM: D("0.22"), K.PUBLIC_SERVICE: D("0.22"),
})


class MissingCharges(SentinellaError, LookupError):
    """The charge table has no entry for this commodity and customer kind."""


@dataclass(frozen=True, kw_only=True, slots=True)
class UnitCharges:
    """Per-unit (€/kWh or €/Smc) charges that are not the supplier's own price."""

    network: Decimal  # transport, distribution and metering, fixed parts spread per unit
    system_charges: Decimal  # oneri generali di sistema (ASOS, ARIM; RE, UG, ... for gas)
    excise: Decimal  # accisa, plus the regional surcharge (addizionale regionale) for gas


@dataclass(frozen=True, kw_only=True, slots=True)
class ChargeTable:
    """Dated per-unit charges per commodity and customer kind."""

    valid_from: date
    source: str
    charges: Mapping[tuple[Commodity, CustomerKind], UnitCharges]

    def for_customer(self, *, commodity: Commodity, customer_kind: CustomerKind) -> UnitCharges:
        """The charges for one commodity and kind. Raises ``MissingCharges``."""
        try:
            return self.charges[(Commodity(commodity), CustomerKind(customer_kind))]
        except KeyError:
            raise MissingCharges(
                f"no charges for {commodity} / {customer_kind} in the table of {self.valid_from}"
            ) from None


def _charges(network: str, system: str, excise: str) -> UnitCharges:
    return UnitCharges(network=D(network), system_charges=D(system), excise=D(excise))


# (default) Plausible 2026 figures, all-in per unit for a typical customer of each group.
# Electricity: domestic network 0.045 €/kWh (~€120 a year for 2,700 kWh), system charges
# 0.030 €/kWh, excise 0.0227 €/kWh (domestic rate); non-domestic network 0.040, system charges
# 0.050 (ASOS is higher), excise 0.0125 €/kWh (other uses, first 200,000 kWh a month).
# Gas: civil uses (domestic, condominium, public service) network 0.200 €/Smc, system charges
# 0.040, excise + regional surcharge 0.180 €/Smc (blend of the northern civil-use brackets
# for ~1,400 Smc); businesses (industrial uses) network 0.150, system charges 0.040, excise
# 0.012498 + regional surcharge 0.006249 = 0.018747 €/Smc.
_E_DOMESTIC = _charges("0.045", "0.030", "0.0227")
_E_OTHER = _charges("0.040", "0.050", "0.0125")
_G_CIVIL = _charges("0.200", "0.040", "0.180")
_G_INDUSTRIAL = _charges("0.150", "0.040", "0.018747")

DEFAULT_CHARGE_TABLE = ChargeTable(
    valid_from=date(2026, 1, 1),
    source="(default) Sentinella's plausible 2026 figures, not official; see protocol/billing_prices.py",
    charges=MappingProxyType({
        (E, K.DOMESTIC): _E_DOMESTIC,
        (E, K.SMALL_BUSINESS): _E_OTHER, (E, K.BUSINESS): _E_OTHER,
        (E, K.CONDOMINIUM): _E_OTHER, (E, K.PUBLIC_SERVICE): _E_OTHER,
        (G, K.DOMESTIC): _G_CIVIL, (G, K.CONDOMINIUM): _G_CIVIL, (G, K.PUBLIC_SERVICE): _G_CIVIL,
        (G, K.SMALL_BUSINESS): _G_INDUSTRIAL, (G, K.BUSINESS): _G_INDUSTRIAL,
    }),
)
