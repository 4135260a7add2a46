"""Invoicing an active contract (rulebook §2.5, §6): periods, consumption, lines, due date.

- Periods are half-open ``[start, end)``. Monthly periods are calendar months; bimonthly
  periods are two calendar months aligned on the activation month (activated in February:
  February-March, April-May, ...). A period is billed once it is over (``end <= until``).
  An activation after the 1st makes the first period partial; the end of supply
  (``ended_on``, the first day no longer supplied) makes the last one partial.
- Consumption is the annual figure spread by a seasonal profile (``billing_prices``); a
  partial month gets its days' share. Shares are cumulative within a month and whole months
  are exact, so consumption is additive: the periods of any partition of a span add up to the
  span's consumption, to the 0.001, and the twelve months of a year to the annual figure.
- Lines: energy, retail fee, network, system charges, excise, then VAT on the sum of the
  others; each amount is rounded half-up to the cent.

Pure: no clock, no I/O; every date is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from protocol.billing_prices import DEFAULT_ANNUAL_CONSUMPTION, DEFAULT_VAT_RATES, SEASONAL_PROFILE, UNITS, ChargeTable
from protocol.calendar import WorkingCalendar
from protocol.codes import Commodity, CustomerKind, InvoiceComponent
from protocol.errors import SentinellaError
from protocol.ruleset import BillingFrequency, BillingRules, CustomerGroup, DayKind, RuleSet

__all__ = [
    "BillingError", "InvalidBillingInput", "InvalidPeriod", "InvoiceLineDraft", "Period",
    "billing_frequency", "billing_periods", "consumption_for", "due_on", "invoice_lines", "invoice_total",
]

CENT, MILLI = Decimal("0.01"), Decimal("0.001")
_MONTHS_PER_PERIOD = {BillingFrequency.MONTHLY: 1, BillingFrequency.BIMONTHLY: 2}
_frozen = dataclass(frozen=True, kw_only=True, slots=True)


class BillingError(SentinellaError, ValueError):
    """Bad input to a billing computation."""


class InvalidPeriod(BillingError):
    """A period (or a contract's dates) ends on or before it starts."""


class InvalidBillingInput(BillingError):
    """A consumption, price or frequency is negative, a float, or unknown."""


@_frozen
class Period:
    """Half-open ``[start, end)``. Raises ``InvalidPeriod`` unless ``start < end``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise InvalidPeriod(f"a period must end after it starts, got [{self.start}, {self.end})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _first_of_month(day: date, *, plus_months: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + plus_months
    return date(index // 12, index % 12 + 1, 1)


def _months(period: Period) -> Iterable[tuple[date, date, date, date]]:
    """(month start, next month start, overlap start, overlap end) for each month touched."""
    cursor = period.start
    while cursor < period.end:
        first, following = _first_of_month(cursor), _first_of_month(cursor, plus_months=1)
        upto = min(period.end, following)
        yield first, following, cursor, upto
        cursor = upto


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _non_negative(name: str, value: Decimal) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise InvalidBillingInput(f"{name} must be a non-negative Decimal, got {value!r}")
    return value


def billing_frequency(
    *, customer_kind: CustomerKind, commodity: Commodity, rules: BillingRules | RuleSet
) -> BillingFrequency:
    """How often this kind of customer is billed for this commodity (rule ``billing.frequency``)."""
    section = rules.billing if isinstance(rules, RuleSet) else rules
    domestic = CustomerKind(customer_kind) is CustomerKind.DOMESTIC
    group = CustomerGroup.DOMESTIC if domestic else CustomerGroup.NON_DOMESTIC
    return section.frequency[group][Commodity(commodity)]


def billing_periods(
    *, active_from: date, until: date, frequency: BillingFrequency, ended_on: date | None = None
) -> tuple[Period, ...]:
    """The periods to bill, oldest first: those over by ``until`` (``end <= until``).

    ``ended_on`` is the first day the contract no longer supplied (None: still active); the
    period it cuts short is billed as a final partial period, nothing after it. Raises
    ``InvalidPeriod`` when ``ended_on`` is before ``active_from``, ``InvalidBillingInput``
    for an unknown frequency.
    """
    try:
        step = _MONTHS_PER_PERIOD[BillingFrequency(frequency)]
    except ValueError:
        raise InvalidBillingInput(f"unknown billing frequency {frequency!r}") from None
    if ended_on is not None and ended_on < active_from:
        raise InvalidPeriod(f"the contract ended on {ended_on}, before its activation on {active_from}")
    last = until if ended_on is None else min(until, ended_on)
    periods: list[Period] = []
    start, boundary = active_from, _first_of_month(active_from, plus_months=step)
    while (end := boundary if ended_on is None else min(boundary, ended_on)) <= last and start < end:
        periods.append(Period(start=start, end=end))
        start, boundary = end, _first_of_month(boundary, plus_months=step)
    return tuple(periods)


def _share(monthly: Decimal, days: int, days_in_month: int) -> Decimal:
    if days == days_in_month:
        return monthly
    return (monthly * days / days_in_month).quantize(MILLI, rounding=ROUND_HALF_UP)


def consumption_for(
    *, annual: int | None, commodity: Commodity, customer_kind: CustomerKind, period: Period
) -> Decimal:
    """kWh or Smc consumed in ``period`` (3 decimals), by the seasonal profile.

    ``annual`` None means the default for the kind (``DEFAULT_ANNUAL_CONSUMPTION``). Raises
    ``InvalidBillingInput`` for a negative or non-integer annual figure.
    """
    commodity, kind = Commodity(commodity), CustomerKind(customer_kind)
    yearly = DEFAULT_ANNUAL_CONSUMPTION[(commodity, kind)] if annual is None else annual
    if isinstance(yearly, bool) or not isinstance(yearly, int) or yearly < 0:
        raise InvalidBillingInput(f"annual consumption must be a non-negative integer, got {annual!r}")
    profile, total = SEASONAL_PROFILE[commodity], Decimal("0.000")
    for first, following, start, end in _months(period):
        monthly, length = yearly * profile[first.month - 1], (following - first).days
        total += _share(monthly, (end - first).days, length) - _share(monthly, (start - first).days, length)
    return total.quantize(MILLI)


@_frozen
class InvoiceLineDraft:
    component: InvoiceComponent
    description_it: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    amount: Decimal  # quantity x unit price, rounded half-up to the cent


def _months_in(period: Period) -> Decimal:
    """Months covered, a partial month by its share of days (3 decimals)."""
    fraction = sum((Decimal((end - start).days) / (following - first).days
                    for first, following, start, end in _months(period)), Decimal(0))
    return fraction.quantize(MILLI, rounding=ROUND_HALF_UP)


def _line(component: InvoiceComponent, text: str, quantity: Decimal, unit: str, price: Decimal) -> InvoiceLineDraft:
    return InvoiceLineDraft(component=component, description_it=text, quantity=quantity, unit=unit,
                            unit_price=price, amount=_money(quantity * price))


def invoice_lines(
    *,
    commodity: Commodity,
    customer_kind: CustomerKind,
    consumption: Decimal,
    period: Period,
    energy_price: Decimal,
    retail_fee_per_month: Decimal,
    charges: ChargeTable,
    vat_rates: Mapping[CustomerKind, Decimal] = DEFAULT_VAT_RATES,
) -> tuple[InvoiceLineDraft, ...]:
    """The lines of one bill: energy, retail fee, network, system charges, excise, VAT.

    Raises ``InvalidBillingInput`` for a negative or float amount, ``MissingCharges`` when
    the table lacks the commodity and kind, ``KeyError`` when ``vat_rates`` lacks the kind.
    """
    commodity, kind = Commodity(commodity), CustomerKind(customer_kind)
    quantity = _non_negative("consumption", consumption).quantize(MILLI, rounding=ROUND_HALF_UP)
    unit, unit_charges = UNITS[commodity], charges.for_customer(commodity=commodity, customer_kind=kind)
    gas = commodity is Commodity.GAS
    lines = (
        _line(InvoiceComponent.ENERGY, "Spesa per la materia gas naturale" if gas else "Spesa per la materia energia",
              quantity, unit, _non_negative("energy_price", energy_price)),
        _line(InvoiceComponent.RETAIL_FEE, "Quota fissa di commercializzazione e vendita", _months_in(period),
              "mese", _non_negative("retail_fee_per_month", retail_fee_per_month)),
        _line(InvoiceComponent.NETWORK, "Spesa per il trasporto e la gestione del contatore", quantity, unit,
              unit_charges.network),
        _line(InvoiceComponent.SYSTEM_CHARGES, "Spesa per oneri di sistema", quantity, unit,
              unit_charges.system_charges),
        _line(InvoiceComponent.EXCISE, "Accisa e addizionale regionale" if gas else "Accisa sull'energia elettrica",
              quantity, unit, unit_charges.excise),
    )
    rate = _non_negative("VAT rate", vat_rates[kind])
    vat = _line(InvoiceComponent.VAT, f"IVA {(rate * 100).normalize():f}%", invoice_total(lines), "€", rate)
    return (*lines, vat)


def invoice_total(lines: Iterable[InvoiceLineDraft]) -> Decimal:
    """The sum of the lines' amounts, in cents."""
    return _money(sum((line.amount for line in lines), Decimal("0.00")))


def due_on(*, issued_on: date, rules: BillingRules | RuleSet, calendar: WorkingCalendar) -> date:
    """The due date: ``payment_term_calendar_days`` after issue, rolled to a working day when
    the calendar's rule says so (§9 default: it does). Raises ``OutOfCalendarRangeError``.
    """
    section = rules.billing if isinstance(rules, RuleSet) else rules
    return calendar.window_end(start=issued_on, days=section.payment_term_calendar_days, kind=DayKind.CALENDAR)
