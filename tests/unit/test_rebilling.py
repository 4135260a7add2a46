"""The regulated price table and re-billing at reduced regulated prices (rulebook 6)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocol.billing import Period, consumption_for
from protocol.codes import Commodity, CustomerKind, InvoiceComponent
from protocol.rebilling import regulated_invoice_lines, regulated_prices_on
from protocol.regulated_prices import (InvalidRegulatedPrices, MissingRegulatedPrice, RegulatedPriceTable,
                                       parse_regulated_prices)
from protocol.ruleset import load_rule_set

RULES = load_rule_set()
SHIPPED = Path(__file__).resolve().parents[2] / "db" / "data" / "regulated_prices.csv"
TABLE = RegulatedPriceTable.of(parse_regulated_prices(SHIPPED.read_text(encoding="utf-8")))
HEADER = "commodity,component,unit,amount,valid_from,valid_to,source\n"


def test_the_shipped_table_covers_both_commodities_every_quarter_of_2025_and_2026_and_says_it_is_not_official():
    for commodity, components in (("electricity", ("energy", "pcv")), ("gas", ("cmem", "qvd_fixed", "qvd_variable"))):
        for month in range(1, 25):
            day = date(2025 + (month - 1) // 12, (month - 1) % 12 + 1, 15)
            for component in components:
                assert TABLE.price(commodity=Commodity(commodity), component=component, on=day) >= 0
    assert all(row.source.startswith("(default)") for row in TABLE.rows)


def test_every_problem_of_a_price_file_is_named_with_its_line_and_field_and_nothing_is_returned():
    text = HEADER + ("electricity,energy,eur/kWh,0.1,2026-01-01,2026-04-01,ARERA\n"
                     "electricity,energy,eur/kWh,0.2,2026-03-01,2026-07-01,ARERA\n"
                     "gas,pcv,eur/month,5,2026-01-01,2026-04-01,ARERA\n"
                     "gas,cmem,eur/kWh,0.1234567,2026-04-01,2026-01-01,\n")
    with pytest.raises(InvalidRegulatedPrices) as raised:
        parse_regulated_prices(text, source_name="ufficiali.csv")
    assert raised.value.problems == [
        (3, "valid_from", "electricity energy overlaps line 2"),
        (4, "component", "must be one of cmem, qvd_fixed, qvd_variable, got 'pcv'"),
        (5, "amount", "must be a non-negative number with at most 6 decimals, got '0.1234567'"),
        (5, "source", "is required: say where the figure comes from"),
        (5, "unit", "cmem is in eur/Smc, got 'eur/kWh'"),
        (5, "valid_to", "must be after valid_from (the period is half-open)"),
    ]
    assert str(raised.value).startswith("ufficiali.csv: 6 problem(s), nothing loaded: line 3 valid_from")


def test_a_wrong_header_is_refused():
    with pytest.raises(InvalidRegulatedPrices, match="line 1 header: must be commodity,component"):
        parse_regulated_prices("commodity;component\n")


def test_a_missing_price_says_how_to_load_one():
    with pytest.raises(MissingRegulatedPrice, match="no regulated gas cmem price on 2030-01-01: load the figures"):
        TABLE.price(commodity=Commodity.GAS, component="cmem", on=date(2030, 1, 1))


def test_the_reduced_conditions_zero_the_pcv_and_the_qvd_and_the_full_ones_keep_them():
    day = date(2026, 5, 1)
    assert regulated_prices_on(commodity=Commodity.ELECTRICITY, day=day, prices=TABLE, rules=RULES) == (
        Decimal("0.128500"), Decimal("0"))
    assert regulated_prices_on(commodity=Commodity.GAS, day=day, prices=TABLE, rules=RULES) == (
        Decimal("0.402000"), Decimal("0"))
    full = dataclasses.replace(RULES.restoration, electricity_pcv_zero=False, gas_qvd_zero=False)
    assert regulated_prices_on(commodity=Commodity.ELECTRICITY, day=day, prices=TABLE, rules=full) == (
        Decimal("0.128500"), Decimal("5.620000"))
    assert regulated_prices_on(commodity=Commodity.GAS, day=day, prices=TABLE, rules=full) == (
        Decimal("0.410100"), Decimal("5.120000"))


def test_a_period_across_a_new_quarter_is_priced_in_two_parts_with_vat_once():
    period = Period(start=date(2026, 6, 1), end=date(2026, 8, 1))
    lines = regulated_invoice_lines(commodity=Commodity.GAS, customer_kind=CustomerKind.DOMESTIC, annual=1_400,
                                    period=period, prices=TABLE, rules=RULES)
    energy = [line for line in lines if line.component is InvoiceComponent.ENERGY]
    # June 1,400 x 2% = 28 Smc at 0.402; July 28 Smc at 0.389 (Q3)
    assert [(line.quantity, line.unit_price, line.amount) for line in energy] == [
        (Decimal("28.000"), Decimal("0.402000"), Decimal("11.26")),
        (Decimal("28.000"), Decimal("0.389000"), Decimal("10.89"))]
    assert "dal 01/07/2026 al 01/08/2026 (escluso)" in energy[1].description_it
    assert [line.component for line in lines].count(InvoiceComponent.VAT) == 1
    assert lines[-1].quantity == sum(line.amount for line in lines[:-1])


DAYS = st.integers(min_value=0, max_value=700)


@settings(max_examples=150, deadline=None)
@given(start=DAYS, length=st.integers(min_value=1, max_value=120), commodity=st.sampled_from(list(Commodity)),
       annual=st.integers(min_value=0, max_value=500_000))
def test_splitting_at_price_changes_bills_exactly_the_period_consumption(start, length, commodity, annual):
    first = date(2025, 1, 1) + timedelta(days=start)
    period = Period(start=first, end=min(first + timedelta(days=length), date(2027, 1, 1)))
    lines = regulated_invoice_lines(commodity=commodity, customer_kind=CustomerKind.DOMESTIC, annual=annual,
                                    period=period, prices=TABLE, rules=RULES)
    billed = sum(line.quantity for line in lines if line.component is InvoiceComponent.ENERGY)
    assert billed == consumption_for(annual=annual, commodity=commodity, customer_kind=CustomerKind.DOMESTIC,
                                     period=period)
    assert all(isinstance(line.amount, Decimal) and line.amount >= 0 for line in lines)
    assert sum(line.amount for line in lines if line.component is InvoiceComponent.RETAIL_FEE) == 0
