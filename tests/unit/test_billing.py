"""Billing (rulebook §2.5): periods, seasonal consumption, invoice lines, due dates.

Every expected figure is computed by hand in the comments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.billing import (
    InvalidBillingInput,
    InvalidPeriod,
    InvoiceLineDraft,
    Period,
    billing_frequency,
    billing_periods,
    consumption_for,
    due_on,
    invoice_lines,
    invoice_total,
)
from protocol.billing_prices import (
    DEFAULT_ANNUAL_CONSUMPTION,
    DEFAULT_CHARGE_TABLE,
    DEFAULT_VAT_RATES,
    SEASONAL_PROFILE,
    ChargeTable,
    MissingCharges,
)
from protocol.calendar import WorkingCalendar
from protocol.codes import Commodity, CustomerKind, InvoiceComponent
from protocol.errors import SentinellaError
from protocol.ruleset import BillingFrequency, load_rule_set

D = dt.date
P = Decimal
RULES = load_rule_set()
ITALY = WorkingCalendar()
NO_ROLL = WorkingCalendar(roll_calendar_deadlines=False)
E, G = Commodity.ELECTRICITY, Commodity.GAS
K = CustomerKind
MONTHLY, BIMONTHLY = BillingFrequency.MONTHLY, BillingFrequency.BIMONTHLY
C = InvoiceComponent


def period(start: dt.date, end: dt.date) -> Period:
    return Period(start=start, end=end)


def periods(active_from: dt.date, until: dt.date, frequency=MONTHLY, ended_on: dt.date | None = None):
    return billing_periods(active_from=active_from, until=until, frequency=frequency, ended_on=ended_on)


def consumption(p: Period, annual: int | None = 2700, commodity=E, kind=K.DOMESTIC) -> Decimal:
    return consumption_for(annual=annual, commodity=commodity, customer_kind=kind, period=p)


# -- periods ---------------------------------------------------------------------------------


def test_monthly_periods_are_the_calendar_months_that_are_over() -> None:
    # Active from 1 Feb 2026; on 1 May, February, March and April are over; May is not.
    assert periods(D(2026, 2, 1), D(2026, 5, 1)) == (
        period(D(2026, 2, 1), D(2026, 3, 1)), period(D(2026, 3, 1), D(2026, 4, 1)),
        period(D(2026, 4, 1), D(2026, 5, 1)),
    )
    assert periods(D(2026, 2, 1), D(2026, 4, 30))[-1] == period(D(2026, 3, 1), D(2026, 4, 1))


def test_a_period_is_billed_from_its_half_open_end_not_its_last_day() -> None:
    assert periods(D(2026, 2, 1), D(2026, 2, 28)) == ()  # the 28th itself is still being supplied
    assert periods(D(2026, 2, 1), D(2026, 3, 1)) == (period(D(2026, 2, 1), D(2026, 3, 1)),)


def test_bimonthly_periods_are_aligned_on_the_activation_month() -> None:
    # Activated in February: February-March, April-May; June-July is not over on 31 July.
    assert periods(D(2026, 2, 1), D(2026, 7, 31), BIMONTHLY) == (
        period(D(2026, 2, 1), D(2026, 4, 1)), period(D(2026, 4, 1), D(2026, 6, 1)),
    )
    # Activated in January: January-February, March-April.
    assert periods(D(2026, 1, 1), D(2026, 5, 1), BIMONTHLY) == (
        period(D(2026, 1, 1), D(2026, 3, 1)), period(D(2026, 3, 1), D(2026, 5, 1)),
    )


def test_bimonthly_periods_run_across_the_new_year() -> None:
    assert periods(D(2026, 11, 1), D(2027, 3, 1), BIMONTHLY) == (
        period(D(2026, 11, 1), D(2027, 1, 1)), period(D(2027, 1, 1), D(2027, 3, 1)),
    )


def test_an_activation_after_the_first_makes_the_first_period_partial() -> None:
    assert periods(D(2026, 2, 15), D(2026, 4, 1)) == (
        period(D(2026, 2, 15), D(2026, 3, 1)), period(D(2026, 3, 1), D(2026, 4, 1)),
    )
    # Bimonthly: the first period still ends with the month after activation.
    assert periods(D(2026, 2, 15), D(2026, 4, 1), BIMONTHLY) == (period(D(2026, 2, 15), D(2026, 4, 1)),)


def test_an_activation_on_the_last_day_of_a_month_gives_a_one_day_first_period() -> None:
    assert periods(D(2026, 1, 31), D(2026, 3, 1)) == (
        period(D(2026, 1, 31), D(2026, 2, 1)), period(D(2026, 2, 1), D(2026, 3, 1)),
    )


def test_the_end_of_supply_makes_a_final_partial_period_and_nothing_after_it() -> None:
    # Supplied until 15 June 2026 included (ended_on 16 June, the first day not supplied).
    assert periods(D(2026, 3, 1), D(2026, 12, 31), BIMONTHLY, ended_on=D(2026, 6, 16)) == (
        period(D(2026, 3, 1), D(2026, 5, 1)), period(D(2026, 5, 1), D(2026, 6, 16)),
    )
    # The final period is billed once it is over, like any other.
    assert periods(D(2026, 3, 1), D(2026, 6, 15), BIMONTHLY, ended_on=D(2026, 6, 16)) == (
        period(D(2026, 3, 1), D(2026, 5, 1)),
    )


def test_an_end_of_supply_on_a_period_boundary_adds_no_empty_period() -> None:
    assert periods(D(2026, 3, 1), D(2027, 1, 1), BIMONTHLY, ended_on=D(2026, 7, 1)) == (
        period(D(2026, 3, 1), D(2026, 5, 1)), period(D(2026, 5, 1), D(2026, 7, 1)),
    )


def test_a_contract_ended_within_its_first_month_has_one_partial_period() -> None:
    assert periods(D(2026, 3, 10), D(2026, 12, 1), ended_on=D(2026, 3, 20)) == (period(D(2026, 3, 10), D(2026, 3, 20)),)


def test_a_contract_that_ended_on_its_activation_day_has_nothing_to_bill() -> None:
    assert periods(D(2026, 3, 1), D(2026, 12, 1), ended_on=D(2026, 3, 1)) == ()


def test_nothing_is_billed_before_activation() -> None:
    assert periods(D(2026, 3, 1), D(2026, 2, 1)) == ()


def test_february_of_a_leap_year_is_a_29_day_period() -> None:
    (feb,) = periods(D(2028, 2, 1), D(2028, 3, 1))
    assert feb == period(D(2028, 2, 1), D(2028, 3, 1)) and feb.days == 29
    # Activated in January 2028, bimonthly: January-February holds 31 + 29 = 60 days.
    (jan_feb,) = periods(D(2028, 1, 1), D(2028, 3, 1), BIMONTHLY)
    assert jan_feb.days == 60


def test_impossible_periods_and_dates_are_refused() -> None:
    with pytest.raises(InvalidPeriod):
        period(D(2026, 3, 1), D(2026, 3, 1))
    with pytest.raises(InvalidPeriod):
        periods(D(2026, 3, 1), D(2026, 6, 1), ended_on=D(2026, 2, 1))
    with pytest.raises(InvalidBillingInput) as raised:
        periods(D(2026, 3, 1), D(2026, 6, 1), frequency="weekly")
    assert isinstance(raised.value, SentinellaError)


def test_the_frequency_comes_from_the_rule_set_by_customer_group() -> None:
    assert billing_frequency(customer_kind=K.DOMESTIC, commodity=G, rules=RULES) is BIMONTHLY
    assert billing_frequency(customer_kind=K.CONDOMINIUM, commodity=E, rules=RULES.billing) is MONTHLY


# -- consumption -----------------------------------------------------------------------------


def test_every_seasonal_profile_has_twelve_three_decimal_weights_summing_to_exactly_one() -> None:
    for commodity, weights in SEASONAL_PROFILE.items():
        assert len(weights) == 12, commodity
        assert sum(weights) == Decimal(1), commodity
        assert all(w > 0 and w == w.quantize(Decimal("0.001")) for w in weights), commodity


def test_gas_is_strongly_winter_weighted_and_electricity_mild() -> None:
    gas, power = SEASONAL_PROFILE[G], SEASONAL_PROFILE[E]
    winter = [0, 1, 2, 10, 11]  # January-March, November-December
    assert sum(gas[m] for m in winter) >= Decimal("0.75")
    assert max(gas) / min(gas) >= 5
    assert max(power) / min(power) <= Decimal("1.5")


def test_february_and_march_2026_take_17_percent_of_a_domestic_electricity_year() -> None:
    # 2,700 kWh x (0.085 February + 0.085 March) = 2,700 x 0.170 = 459.000 kWh.
    assert consumption(period(D(2026, 2, 1), D(2026, 4, 1))) == P("459.000")


def test_a_partial_month_gets_its_share_of_days() -> None:
    # February 2026: 2,700 x 0.085 = 229.500 kWh over 28 days; 15-28 Feb is 14 days = half.
    assert consumption(period(D(2026, 2, 15), D(2026, 3, 1))) == P("114.750")
    # February 2028 has 29 days: 15-29 Feb is 15 days: 229.5 x 15 / 29 = 118.7068... -> 118.707.
    assert consumption(period(D(2028, 2, 15), D(2028, 3, 1))) == P("118.707")


def test_the_days_of_a_leap_february_add_up_to_the_whole_month() -> None:
    # 1-28 Feb 2028: cumulative share at day 28 of 29: 229.5 x 28 / 29 = 221.5862... -> 221.586;
    # 29 Feb alone is the rest of the month: 229.500 - 221.586 = 7.914.
    assert consumption(period(D(2028, 2, 1), D(2028, 2, 29))) == P("221.586")
    assert consumption(period(D(2028, 2, 29), D(2028, 3, 1))) == P("7.914")


def test_a_missing_annual_figure_uses_the_default_for_the_kind() -> None:
    # Domestic gas default 1,400 Smc; December + January = 1,400 x (0.180 + 0.190) = 518.000 Smc.
    assert DEFAULT_ANNUAL_CONSUMPTION[(G, K.DOMESTIC)] == 1400
    assert consumption(period(D(2025, 12, 1), D(2026, 2, 1)), annual=None, commodity=G) == P("518.000")
    # Domestic gas in August: 1,400 x 0.020 = 28.000 Smc.
    assert consumption(period(D(2026, 8, 1), D(2026, 9, 1)), annual=None, commodity=G) == P("28.000")


def test_a_zero_consumption_is_allowed_and_a_negative_one_is_refused() -> None:
    assert consumption(period(D(2026, 1, 1), D(2026, 2, 1)), annual=0) == P("0.000")
    for bad in (-1, True, 2700.0):
        with pytest.raises(InvalidBillingInput):
            consumption(period(D(2026, 1, 1), D(2026, 2, 1)), annual=bad)  # type: ignore[arg-type]


@given(
    year=st.integers(min_value=2000, max_value=2099),
    annual=st.integers(min_value=0, max_value=10**8),
    commodity=st.sampled_from(Commodity),
    kind=st.sampled_from(CustomerKind),
)
def test_the_twelve_months_of_any_year_add_up_exactly_to_the_annual_figure(
    year: int, annual: int, commodity: Commodity, kind: CustomerKind
) -> None:
    months = [period(D(year, m, 1), D(year + m // 12, m % 12 + 1, 1)) for m in range(1, 13)]
    assert sum(consumption(p, annual, commodity, kind) for p in months) == annual
    assert consumption(period(D(year, 1, 1), D(year + 1, 1, 1)), annual, commodity, kind) == annual


@settings(max_examples=200)
@given(
    start=st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31)),
    cuts=st.lists(st.integers(min_value=1, max_value=800), min_size=1, max_size=8, unique=True),
    annual=st.integers(min_value=1, max_value=5_000_000),
    commodity=st.sampled_from(Commodity),
)
def test_consumption_is_additive_over_any_split_of_a_span(
    start: dt.date, cuts: list[int], annual: int, commodity: Commodity
) -> None:
    bounds = [start, *(start + dt.timedelta(days=c) for c in sorted(cuts))]
    pieces = [period(a, b) for a, b in zip(bounds, bounds[1:])]
    whole = period(bounds[0], bounds[-1]) if len(bounds) > 1 else None
    parts = [consumption(p, annual, commodity) for p in pieces]
    assert all(q >= 0 and q == q.quantize(Decimal("0.001")) for q in parts)
    if whole is not None:
        assert sum(parts) == consumption(whole, annual, commodity)


@settings(max_examples=200)
@given(
    active_from=st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31)),
    span=st.integers(min_value=0, max_value=900),
    ends_after=st.none() | st.integers(min_value=0, max_value=900),
    frequency=st.sampled_from(BillingFrequency),
)
def test_billing_periods_tile_the_supply_without_gaps_and_only_once_over(
    active_from: dt.date, span: int, ends_after: int | None, frequency: BillingFrequency
) -> None:
    until = active_from + dt.timedelta(days=span)
    ended_on = None if ends_after is None else active_from + dt.timedelta(days=ends_after)
    found = periods(active_from, until, frequency, ended_on)
    limit = until if ended_on is None else min(until, ended_on)
    months = 1 if frequency is MONTHLY else 2
    if found:
        assert found[0].start == active_from
        assert all(a.end == b.start for a, b in zip(found, found[1:]))
        assert found[-1].end <= limit
    for p in found:
        assert p.end.day == 1 or p.end == ended_on
        assert (p.end.year * 12 + p.end.month) - (p.start.year * 12 + p.start.month) <= months
    # Exactly the periods that are over: looking further ahead only adds periods ending after `until`.
    later = periods(active_from, until + dt.timedelta(days=62), frequency, ended_on)
    assert found == tuple(p for p in later if p.end <= until)
    # Once supply has ended and been billed, the periods cover it exactly.
    if ended_on is not None and ended_on <= until and ended_on > active_from:
        assert found[-1].end == ended_on


# -- invoice lines ---------------------------------------------------------------------------


def feb_mar_2026_domestic_lines() -> tuple[InvoiceLineDraft, ...]:
    return invoice_lines(
        commodity=E, customer_kind=K.DOMESTIC, consumption=P("459.000"),
        period=period(D(2026, 2, 1), D(2026, 4, 1)), energy_price=P("0.115"),
        retail_fee_per_month=P("8.50"), charges=DEFAULT_CHARGE_TABLE,
    )


def test_a_bimonthly_domestic_electricity_bill_for_2700_kwh_a_year_matches_the_hand_computation() -> None:
    # 2,700 kWh/year, February-March 2026: 459.000 kWh (see above). Default charges for
    # domestic electricity: network 0.045, system charges 0.030, excise 0.0227 €/kWh.
    #   energy      459 x 0.115  = 52.785  -> 52.79 (half-up; half-even would give 52.78)
    #   retail fee  2 months x 8.50 = 17.00
    #   network     459 x 0.045  = 20.655  -> 20.66
    #   system      459 x 0.030  = 13.770  -> 13.77
    #   excise      459 x 0.0227 = 10.4193 -> 10.42
    #   taxable     52.79 + 17.00 + 20.66 + 13.77 + 10.42 = 114.64
    #   VAT 10%     114.64 x 0.10 = 11.464 -> 11.46
    #   total       114.64 + 11.46 = 126.10
    lines = feb_mar_2026_domestic_lines()
    assert [(l.component, l.quantity, l.unit, l.unit_price, l.amount) for l in lines] == [
        (C.ENERGY, P("459.000"), "kWh", P("0.115"), P("52.79")),
        (C.RETAIL_FEE, P("2.000"), "mese", P("8.50"), P("17.00")),
        (C.NETWORK, P("459.000"), "kWh", P("0.045"), P("20.66")),
        (C.SYSTEM_CHARGES, P("459.000"), "kWh", P("0.030"), P("13.77")),
        (C.EXCISE, P("459.000"), "kWh", P("0.0227"), P("10.42")),
        (C.VAT, P("114.64"), "€", P("0.10"), P("11.46")),
    ]
    assert invoice_total(lines) == P("126.10")


def test_every_line_has_an_italian_description() -> None:
    descriptions = {l.component: l.description_it for l in feb_mar_2026_domestic_lines()}
    assert descriptions[C.ENERGY] == "Spesa per la materia energia"
    assert descriptions[C.VAT] == "IVA 10%"
    assert all(descriptions.values())


def test_a_small_business_pays_22_percent_vat_and_the_non_domestic_charges() -> None:
    # Default 15,000 kWh/year; March 2026: 15,000 x 0.085 = 1,275.000 kWh.
    #   energy 1275 x 0.13 = 165.75; retail fee 1 x 12.00 = 12.00; network 1275 x 0.040 = 51.00;
    #   system 1275 x 0.050 = 63.75; excise 1275 x 0.0125 = 15.9375 -> 15.94
    #   taxable 165.75 + 12.00 + 51.00 + 63.75 + 15.94 = 308.44; VAT 22% = 67.8568 -> 67.86
    #   total 376.30
    march = period(D(2026, 3, 1), D(2026, 4, 1))
    quantity = consumption(march, annual=None, kind=K.SMALL_BUSINESS)
    assert quantity == P("1275.000")
    lines = invoice_lines(
        commodity=E, customer_kind=K.SMALL_BUSINESS, consumption=quantity, period=march,
        energy_price=P("0.13"), retail_fee_per_month=P("12.00"), charges=DEFAULT_CHARGE_TABLE,
    )
    assert [l.amount for l in lines] == [P(x) for x in ("165.75", "12.00", "51.00", "63.75", "15.94", "67.86")]
    assert lines[-1].description_it == "IVA 22%"
    assert invoice_total(lines) == P("376.30")


def test_a_domestic_gas_bill_uses_smc_and_the_civil_use_excise() -> None:
    # December 2025 + January 2026, 1,400 Smc/year: 518.000 Smc.
    #   energy 518 x 0.45 = 233.10; retail fee 2 x 7.00 = 14.00; network 518 x 0.200 = 103.60;
    #   system 518 x 0.040 = 20.72; excise 518 x 0.180 = 93.24
    #   taxable 233.10 + 14.00 + 103.60 + 20.72 + 93.24 = 464.66; VAT 10% = 46.466 -> 46.47
    #   total 511.13
    lines = invoice_lines(
        commodity=G, customer_kind=K.DOMESTIC, consumption=P("518.000"),
        period=period(D(2025, 12, 1), D(2026, 2, 1)), energy_price=P("0.45"),
        retail_fee_per_month=P("7.00"), charges=DEFAULT_CHARGE_TABLE,
    )
    assert {l.unit for l in lines[:1] + lines[2:5]} == {"Smc"}
    assert lines[0].description_it == "Spesa per la materia gas naturale"
    assert [l.amount for l in lines] == [P(x) for x in ("233.10", "14.00", "103.60", "20.72", "93.24", "46.47")]
    assert invoice_total(lines) == P("511.13")


def test_a_partial_period_charges_the_retail_fee_by_its_share_of_days() -> None:
    # 15 Feb - 1 Mar 2026: 14 of 28 days = 0.500 month; 0.5 x 8.50 = 4.25.
    # 15 Feb - 1 Mar 2028: 15 of 29 days = 0.51724... -> 0.517 month; 0.517 x 8.50 = 4.3945 -> 4.39.
    for start, months, fee in ((D(2026, 2, 15), "0.500", "4.25"), (D(2028, 2, 15), "0.517", "4.39")):
        lines = invoice_lines(
            commodity=E, customer_kind=K.DOMESTIC, consumption=P("100"),
            period=period(start, D(start.year, 3, 1)), energy_price=P("0.10"),
            retail_fee_per_month=P("8.50"), charges=DEFAULT_CHARGE_TABLE,
        )
        fee_line = next(l for l in lines if l.component is C.RETAIL_FEE)
        assert (fee_line.quantity, fee_line.amount) == (P(months), P(fee))


def test_vat_rates_are_10_percent_for_domestic_and_22_for_every_other_kind() -> None:
    assert DEFAULT_VAT_RATES[K.DOMESTIC] == P("0.10")
    assert {DEFAULT_VAT_RATES[k] for k in K if k is not K.DOMESTIC} == {P("0.22")}


def test_the_charge_table_covers_every_commodity_and_kind() -> None:
    for commodity in Commodity:
        for kind in CustomerKind:
            assert DEFAULT_CHARGE_TABLE.for_customer(commodity=commodity, customer_kind=kind).excise > 0


def test_a_charge_table_without_the_customer_is_refused_by_name() -> None:
    empty = dataclasses.replace(DEFAULT_CHARGE_TABLE, charges={})
    assert isinstance(empty, ChargeTable)
    with pytest.raises(MissingCharges):
        invoice_lines(
            commodity=E, customer_kind=K.DOMESTIC, consumption=P("1"), period=period(D(2026, 1, 1), D(2026, 2, 1)),
            energy_price=P("0.1"), retail_fee_per_month=P("1"), charges=empty,
        )


@pytest.mark.parametrize("field", ["consumption", "energy_price", "retail_fee_per_month"])
@pytest.mark.parametrize("bad", [P("-0.01"), 0.1])
def test_negative_or_float_amounts_are_refused(field: str, bad: object) -> None:
    arguments = dict(consumption=P("10"), energy_price=P("0.1"), retail_fee_per_month=P("5"))
    arguments[field] = bad  # type: ignore[assignment]
    with pytest.raises(InvalidBillingInput):
        invoice_lines(
            commodity=E, customer_kind=K.DOMESTIC, period=period(D(2026, 1, 1), D(2026, 2, 1)),
            charges=DEFAULT_CHARGE_TABLE, **arguments,  # type: ignore[arg-type]
        )


@given(
    quantity=st.decimals(min_value=0, max_value=10**6, places=3),
    price=st.decimals(min_value=0, max_value=2, places=6),
    fee=st.decimals(min_value=0, max_value=100, places=2),
    commodity=st.sampled_from(Commodity),
    kind=st.sampled_from(CustomerKind),
)
def test_every_amount_is_in_cents_and_the_vat_is_on_the_sum_of_the_other_lines(
    quantity: Decimal, price: Decimal, fee: Decimal, commodity: Commodity, kind: CustomerKind
) -> None:
    lines = invoice_lines(
        commodity=commodity, customer_kind=kind, consumption=quantity, period=period(D(2026, 1, 1), D(2026, 3, 1)),
        energy_price=price, retail_fee_per_month=fee, charges=DEFAULT_CHARGE_TABLE,
    )
    assert [l.component for l in lines] == [C.ENERGY, C.RETAIL_FEE, C.NETWORK, C.SYSTEM_CHARGES, C.EXCISE, C.VAT]
    assert all(l.amount == l.amount.quantize(P("0.01")) for l in lines)
    assert all(abs(l.amount - l.quantity * l.unit_price) <= P("0.005") for l in lines)
    assert lines[-1].quantity == sum(l.amount for l in lines[:-1])
    assert invoice_total(lines) == sum(l.amount for l in lines)


def test_the_total_of_no_lines_is_zero_euros() -> None:
    assert invoice_total(()) == P("0.00")


# -- due date --------------------------------------------------------------------------------


def test_a_bill_is_due_20_calendar_days_after_issue() -> None:
    # Issued Wed 1 April 2026 + 20 days = Tue 21 April 2026, a working day.
    assert due_on(issued_on=D(2026, 4, 1), rules=RULES.billing, calendar=ITALY) == D(2026, 4, 21)


def test_a_due_date_on_liberation_day_rolls_to_the_next_working_day() -> None:
    # Issued Sun 5 April 2026 (Easter) + 20 = Sat 25 April (Liberation Day) -> Mon 27 April.
    assert due_on(issued_on=D(2026, 4, 5), rules=RULES, calendar=ITALY) == D(2026, 4, 27)
    assert due_on(issued_on=D(2026, 4, 5), rules=RULES, calendar=NO_ROLL) == D(2026, 4, 25)


def test_a_due_date_on_san_francesco_2026_rolls_too() -> None:
    # Issued Mon 14 September 2026 + 20 = Sun 4 October (national holiday from 2026) -> Mon 5 October.
    assert due_on(issued_on=D(2026, 9, 14), rules=RULES, calendar=ITALY) == D(2026, 10, 5)
