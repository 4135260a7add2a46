"""Re-billing at reduced regulated prices after a restoration (rulebook 6).

The supplied period is billed again at the regulated conditions of each period (maggior
tutela electricity, tutela gas), reduced by the supplier's remuneration: the electricity PCV
and the gas QVD (fixed and variable parts) are zero when the rule file says so (default).
Network, system charges and taxes stay as on the regular bill. A period that spans a price
change (a new quarter) is split at the change, each part at its own prices, and VAT is
charged once on the whole.

Pure: every price and date is passed in.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from protocol.billing import InvoiceLineDraft, Period, consumption_for, invoice_lines, invoice_total
from protocol.billing_prices import DEFAULT_CHARGE_TABLE, DEFAULT_VAT_RATES, ChargeTable
from protocol.codes import Commodity, CustomerKind, InvoiceComponent
from protocol.regulated_prices import RegulatedPriceTable
from protocol.ruleset import RestorationRules, RuleSet

__all__ = ["regulated_prices_on", "regulated_invoice_lines"]

ZERO = Decimal("0")


def regulated_prices_on(*, commodity: Commodity, day: date, prices: RegulatedPriceTable,
                        rules: RestorationRules | RuleSet) -> tuple[Decimal, Decimal]:
    """(energy €/unit, retail fee €/month) at the reduced regulated conditions on ``day``.

    Raises ``MissingRegulatedPrice``.
    """
    section = rules.restoration if isinstance(rules, RuleSet) else rules
    commodity = Commodity(commodity)
    if commodity is Commodity.ELECTRICITY:
        energy = prices.price(commodity=commodity, component="energy", on=day)
        fee = ZERO if section.electricity_pcv_zero else prices.price(commodity=commodity, component="pcv", on=day)
        return energy, fee
    energy = prices.price(commodity=commodity, component="cmem", on=day)
    if section.gas_qvd_zero:
        return energy, ZERO
    return (energy + prices.price(commodity=commodity, component="qvd_variable", on=day),
            prices.price(commodity=commodity, component="qvd_fixed", on=day))


def regulated_invoice_lines(
    *, commodity: Commodity, customer_kind: CustomerKind, annual: int | None, period: Period,
    prices: RegulatedPriceTable, rules: RestorationRules | RuleSet, charges: ChargeTable = DEFAULT_CHARGE_TABLE,
    vat_rates=DEFAULT_VAT_RATES,
) -> tuple[InvoiceLineDraft, ...]:
    """The lines of the re-issued bill for ``period``. Raises ``MissingRegulatedPrice``."""
    cuts = [period.start, *prices.boundaries(commodity=commodity, start=period.start, end=period.end), period.end]
    segments = [Period(start=a, end=b) for a, b in zip(cuts, cuts[1:])]
    label = "PCV" if Commodity(commodity) is Commodity.ELECTRICITY else "QVD"
    lines: list[InvoiceLineDraft] = []
    for segment in segments:
        energy, fee = regulated_prices_on(commodity=commodity, day=segment.start, prices=prices, rules=rules)
        consumption = consumption_for(annual=annual, commodity=commodity, customer_kind=customer_kind, period=segment)
        drafted = invoice_lines(commodity=commodity, customer_kind=customer_kind, consumption=consumption,
                                period=segment, energy_price=energy, retail_fee_per_month=fee, charges=charges,
                                vat_rates=vat_rates)[:-1]
        suffix = f" dal {segment.start:%d/%m/%Y} al {segment.end:%d/%m/%Y} (escluso)" if len(segments) > 1 else ""
        for line in drafted:
            text = line.description_it
            if line.component is InvoiceComponent.ENERGY:
                text += " a condizioni di tutela"
            elif line.component is InvoiceComponent.RETAIL_FEE and fee == ZERO:
                text = f"Quota di commercializzazione ({label}) azzerata: ripristino per contratto non richiesto"
            lines.append(replace(line, description_it=text + suffix))
    rate = vat_rates[CustomerKind(customer_kind)]
    taxable = invoice_total(lines)
    vat = InvoiceLineDraft(component=InvoiceComponent.VAT, description_it=f"IVA {(rate * 100).normalize():f}%",
                           quantity=taxable, unit="€", unit_price=rate,
                           amount=(taxable * rate).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP"))
    return (*lines, vat)
