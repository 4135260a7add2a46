"""Letter kinds as data, context checks and the supplier's identity file."""

from __future__ import annotations

from pathlib import Path

import pytest

from letters.context import withdrawal_methods
from letters.errors import (
    LetterContextIncomplete,
    SupplierFileError,
    UnknownCode,
    UnknownLetterKind,
)
from letters.kinds import COMMON_KEYS, LETTER_KINDS, check_context, get_letter_kind
from letters.render import TEMPLATES_DIR
from letters.samples import sample_context
from letters.supplier import PACKAGED_SUPPLIER, load_supplier, parse_supplier

EXPECTED_KINDS = {
    "confirmation", "withdrawal_accepted", "withdrawal_too_late", "withdrawal_incomplete",
    "withdrawal_channel_not_accepted", "activation_stopped",
}


def test_the_registry_holds_every_kind_the_use_cases_send() -> None:
    assert EXPECTED_KINDS <= set(LETTER_KINDS)


@pytest.mark.parametrize("code", sorted(LETTER_KINDS))
def test_every_kind_has_its_template_and_requires_the_common_keys(code: str) -> None:
    kind = LETTER_KINDS[code]
    assert kind.code == code
    assert (TEMPLATES_DIR / kind.template).is_file()
    assert COMMON_KEYS <= kind.required_keys
    assert not kind.required_keys & kind.optional_keys
    assert kind.subject_it


@pytest.mark.parametrize("code", sorted(LETTER_KINDS))
def test_every_sample_context_is_complete_and_uses_only_known_keys(code: str) -> None:
    kind = LETTER_KINDS[code]
    context = sample_context(kind=code)
    assert check_context(kind=code, context=context) is kind
    assert set(context) <= kind.required_keys | kind.optional_keys


def test_the_confirmation_requires_what_the_rulebook_lists() -> None:
    required = LETTER_KINDS["confirmation"].required_keys
    assert {"offer_name", "prices", "supply_point", "supply_address", "channel",
            "switch_date", "withdrawal_deadline", "reference"} <= required
    assert {"agency_name", "agent_badge"} <= LETTER_KINDS["confirmation"].optional_keys


def test_the_confirmation_lists_the_materials_of_the_carta() -> None:
    enclosures = " | ".join(LETTER_KINDS["confirmation"].enclosures)
    for material in ("Condizioni generali di contratto", "Condizioni economiche",
                     "Modulo di ripensamento", "Carta della responsabilità", "ARERA"):
        assert material in enclosures


def test_an_unknown_kind_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UnknownLetterKind, match="'sollecito'") as raised:
        get_letter_kind("sollecito")
    assert set(raised.value.known) == set(LETTER_KINDS)
    assert isinstance(raised.value, ValueError)


def test_a_context_missing_keys_is_refused_naming_every_one() -> None:
    context = sample_context(kind="confirmation")
    for key in ("supply_point", "withdrawal_deadline", "prices"):
        del context[key]
    with pytest.raises(LetterContextIncomplete) as raised:
        check_context(kind="confirmation", context=context)
    assert raised.value.missing == ("prices", "supply_point", "withdrawal_deadline")
    assert "prices, supply_point, withdrawal_deadline" in str(raised.value)


def test_a_missing_optional_key_is_not_an_error() -> None:
    context = sample_context(kind="confirmation")
    del context["agency_name"], context["agent_badge"], context["offer_notes"]
    check_context(kind="confirmation", context=context)


@pytest.mark.parametrize(("key", "value"), [
    ("customer_kind", "famiglia"), ("commodity", "water"),
])
def test_a_common_code_outside_its_table_is_refused(key: str, value: str) -> None:
    context = sample_context(kind="withdrawal_accepted") | {key: value}
    with pytest.raises(UnknownCode, match=key):
        check_context(kind="withdrawal_accepted", context=context)


def test_an_activation_can_only_be_stopped_by_an_audit_or_a_disownment() -> None:
    context = sample_context(kind="activation_stopped") | {"reason": "whim"}
    with pytest.raises(UnknownCode, match="reason"):
        check_context(kind="activation_stopped", context=context)


def test_the_packaged_supplier_is_fictional_and_complete() -> None:
    supplier = load_supplier()
    assert supplier.name == "Sentinella Energia S.p.A."
    assert supplier.customer_service.free_number.startswith("800")
    assert supplier.withdrawal.email.endswith(".example")
    assert supplier.disownment.pec.endswith(".example")
    assert any("Casella Postale" in line for line in supplier.withdrawal.postal_address)
    assert load_supplier() is load_supplier(path=PACKAGED_SUPPLIER)


def test_domestic_customers_may_withdraw_four_ways_others_only_by_raccomandata() -> None:
    supplier = load_supplier()
    assert [m.code for m in withdrawal_methods(supplier=supplier, domestic=True)] == [
        "raccomandata", "letter", "fax", "email"]
    assert [m.code for m in withdrawal_methods(supplier=supplier, domestic=False)] == [
        "raccomandata"]


def test_a_broken_supplier_file_lists_every_problem(tmp_path: Path) -> None:
    text = PACKAGED_SUPPLIER.read_text(encoding="utf-8")
    text = text.replace('fax = "800 153 155"', "fax = 800153155")
    text = text.replace('website = "www.sentinella-energia.example"', 'webseite = "x"')
    with pytest.raises(SupplierFileError) as raised:
        parse_supplier(text=text, source="broken.toml")
    assert raised.value.problems == (
        "webseite: unknown key", "website: missing",
        "withdrawal.fax: expected a non-empty string",
    )


def test_an_unreadable_supplier_file_is_a_supplier_file_error(tmp_path: Path) -> None:
    with pytest.raises(SupplierFileError, match="missing.toml"):
        load_supplier(path=tmp_path / "missing.toml")
