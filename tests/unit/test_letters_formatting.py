"""Italian formatting of dates, money and codes (letters.formatting)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from letters.errors import UnknownCode
from letters.formatting import (
    format_channel_it,
    format_commodity_it,
    format_date_it,
    format_euro,
    format_missing_item_it,
    format_request_channel_it,
    format_supply_point_label,
    format_unit_price,
)
from protocol.codes import Channel, Commodity, RequestChannel

MONTHS = ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
          "settembre", "ottobre", "novembre", "dicembre")


@pytest.mark.parametrize("month", range(1, 13))
def test_the_first_of_every_month_is_written_out_in_italian(month: int) -> None:
    assert format_date_it(date(2026, month, 1)) == f"1 {MONTHS[month - 1]} 2026"


def test_a_withdrawal_deadline_reads_as_in_the_letter() -> None:
    assert format_date_it(date(2026, 5, 13)) == "13 maggio 2026"
    assert format_date_it(date(2026, 12, 31)) == "31 dicembre 2026"


def test_a_datetime_is_formatted_by_its_date() -> None:
    assert format_date_it(datetime(2026, 5, 13, 23, 59)) == "13 maggio 2026"


def test_a_date_given_as_text_is_refused() -> None:
    with pytest.raises(TypeError):
        format_date_it("2026-05-13")  # type: ignore[arg-type]


@pytest.mark.parametrize(("amount", "text"), [
    (Decimal("12"), "12,00 €"),
    (Decimal("0.5"), "0,50 €"),
    (Decimal("1234.56"), "1.234,56 €"),
    (Decimal("1234567.89"), "1.234.567,89 €"),
    (Decimal("-30"), "-30,00 €"),
    (Decimal("-1234.5"), "-1.234,50 €"),
    (Decimal("0.005"), "0,01 €"),         # half-up, not Babel's half-even
    (Decimal("2.675"), "2,68 €"),
    (Decimal("-0.004"), "0,00 €"),        # never "-0,00 €"
    (25, "25,00 €"),                      # an int is exact
])
def test_euro_amounts_have_italian_separators_and_two_decimals(amount, text) -> None:
    assert format_euro(amount) == text


def test_euro_amounts_use_a_plain_space_before_the_sign() -> None:
    assert "\u00a0" not in format_euro(Decimal("1")) and "\u202f" not in format_euro(Decimal("1"))


@pytest.mark.parametrize(("amount", "unit", "text"), [
    (Decimal("0.123456"), "kWh", "0,123456 €/kWh"),
    (Decimal("0.1234565"), "kWh", "0,123457 €/kWh"),
    (Decimal("0.4875"), "Smc", "0,4875 €/Smc"),
    (Decimal("0.1"), "Smc", "0,10 €/Smc"),
    (Decimal("12"), "mese", "12,00 €/mese"),
    (Decimal("1234.5"), "/anno", "1.234,50 €/anno"),
    (Decimal("-0.01"), "kWh", "-0,01 €/kWh"),
])
def test_unit_prices_keep_two_to_six_decimals(amount, unit, text) -> None:
    assert format_unit_price(amount, unit) == text


@pytest.mark.parametrize("call", [
    lambda: format_euro(12.0),
    lambda: format_euro(0.1),
    lambda: format_unit_price(0.123456, "kWh"),
    lambda: format_euro("12,00"),
    lambda: format_euro(True),
    lambda: format_unit_price(Decimal("1"), ""),
])
def test_floats_and_other_non_decimals_are_refused(call) -> None:
    with pytest.raises(TypeError):
        call()


def test_every_sales_channel_and_commodity_of_the_domain_has_italian_wording() -> None:
    assert {format_channel_it(c) for c in Channel} == {
        "telefono", "porta a porta", "stand", "web", "negozio"}
    assert format_commodity_it(Commodity.ELECTRICITY) == "energia elettrica"
    assert format_commodity_it("gas") == "gas naturale"
    assert format_supply_point_label("electricity") == "POD"
    assert format_supply_point_label("gas") == "PDR"
    assert all(format_request_channel_it(c) for c in RequestChannel)


def test_an_unknown_code_names_the_table_and_the_valid_codes() -> None:
    with pytest.raises(UnknownCode, match="unknown sales channel 'fax'") as raised:
        format_channel_it("fax")
    assert "door_to_door" in raised.value.known
    assert isinstance(raised.value, ValueError)


def test_missing_items_are_worded_from_their_code_or_printed_as_given() -> None:
    assert format_missing_item_it("phone") == "recapito telefonico"
    assert format_missing_item_it("firma del cointestatario") == "firma del cointestatario"
