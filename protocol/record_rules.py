"""The fields of an import record and the rules between them (internal to contract_record).

Each ``read_*`` function reads one JSON object of the record through a
:class:`~protocol.record_fields.FieldReader`, validates every field and the cross-field rules,
reports problems on the reader, and returns the normalised values as a dict keyed like the
dataclasses of :mod:`protocol.contract_record`. The dict is complete only when no problem was
reported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from protocol.codes import Channel, Commodity, CustomerKind, PaymentMethod
from protocol.field_errors import InvalidField, InvalidFields
from protocol.record_fields import FieldReader
from protocol.validators import (
    AddressData,
    validate_address,
    validate_email,
    validate_fiscal_code,
    validate_iban,
    validate_pdr,
    validate_phone,
    validate_pod,
    validate_supply_point,
    validate_vat_number,
)

__all__ = ["ANNUAL_CONSUMPTION_CEILING", "read_record"]

RECORD_FIELDS = (
    "external_id", "signed_on", "channel", "commodity", "supply_point", "offer_code",
    "previous_supplier", "agency_code", "agent_badge", "early_execution",
    "annual_consumption", "customer", "payment",
)
CUSTOMER_FIELDS = (
    "kind", "first_name", "last_name", "company_name", "fiscal_code", "vat_number", "phone",
    "email", "vulnerable", "employees", "turnover_eur", "address",
)
ADDRESS_FIELDS = ("street", "postcode", "city", "province")
PAYMENT_FIELDS = ("method", "iban")

ANNUAL_CONSUMPTION_CEILING: Mapping[tuple[bool, Commodity], int] = MappingProxyType({
    (True, Commodity.ELECTRICITY): 100_000,  # domestic, kWh
    (True, Commodity.GAS): 50_000,  # domestic, Smc
    (False, Commodity.ELECTRICITY): 200_000_000,  # everyone else, kWh
    (False, Commodity.GAS): 100_000_000,  # everyone else, Smc
})
"""Plausibility ceilings for ``annual_consumption``, keyed by (is domestic, commodity)."""

_UNIT = {Commodity.ELECTRICITY: "kWh", Commodity.GAS: "Smc"}
_AGENCY_CHANNELS = {
    Channel.PHONE: "a phone sale",
    Channel.DOOR_TO_DOOR: "a door-to-door sale",
    Channel.STAND: "a sale at a stand",
}
_NEEDS_VAT_NUMBER = frozenset(
    {CustomerKind.SMALL_BUSINESS, CustomerKind.BUSINESS, CustomerKind.PUBLIC_SERVICE}
)
_KIND_LABEL = {kind: kind.value.replace("_", " ") for kind in CustomerKind}
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CENT = Decimal("0.01")


def read_record(*, reader: FieldReader) -> dict[str, Any]:
    """Read a whole record: top-level fields, ``customer`` and ``payment``."""
    r = reader
    out: dict[str, Any] = {"external_id": r.text("external_id", required=True)}
    out["signed_on"] = _read_date(r, "signed_on")
    channel = out["channel"] = r.choice("channel", among=Channel)
    commodity = out["commodity"] = r.choice("commodity", among=Commodity)
    out["supply_point"] = _read_supply_point(r, commodity)
    out["offer_code"] = r.text("offer_code", required=True)
    out["previous_supplier"] = r.text("previous_supplier", required=False)
    out["agency_code"], out["agent_badge"] = _read_agency(r, channel)
    out["early_execution"] = r.boolean("early_execution", required=True)
    consumption = r.integer("annual_consumption", required=False)
    customer = r.child("customer")
    out["customer"] = read_customer(reader=customer) if customer else None
    kind = out["customer"]["kind"] if out["customer"] else None
    out["annual_consumption"] = _check_consumption(r, consumption, commodity, kind)
    payment = r.child("payment")
    out["payment"] = read_payment(reader=payment) if payment else None
    r.check_keys(known=RECORD_FIELDS)
    return out


def _read_date(r: FieldReader, name: str) -> date | None:
    text = r.text(name, required=True)
    if text is None:
        return None
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    r.report(name, f"'{text}' is not a real date written as YYYY-MM-DD")
    return None


def _read_supply_point(r: FieldReader, commodity: Commodity | None) -> str | None:
    code = r.text("supply_point", required=True)
    if code is None:
        return None
    if commodity is not None:
        return r.checked("supply_point", validate_supply_point, commodity=commodity, code=code)
    for check in (validate_pod, validate_pdr):  # commodity unknown: either format will do
        try:
            return check(code=code, field=r.at("supply_point"))
        except InvalidField:
            pass
    r.report("supply_point", "is neither an electricity POD nor a gas PDR")
    return None


def _read_agency(r: FieldReader, channel: Channel | None) -> tuple[str | None, str | None]:
    agency = r.text("agency_code", required=False)
    badge = r.text("agent_badge", required=False)
    if agency is not None or badge is not None:
        r.require("agency_code", agency, why="required together with agent_badge")
        r.require("agent_badge", badge, why="required together with agency_code")
    elif channel in _AGENCY_CHANNELS:
        why = f"{_AGENCY_CHANNELS[channel]} goes through an agency; only web and shop are direct"
        r.require("agency_code", agency, why=why)
        r.require("agent_badge", badge, why=why)
    return agency, badge


def _check_consumption(
    r: FieldReader, value: int | None, commodity: Commodity | None, kind: CustomerKind | None
) -> int | None:
    if value is None:
        return None
    if value <= 0:
        r.report("annual_consumption", "must be a positive number (kWh or Smc a year)")
        return None
    domestic = kind is CustomerKind.DOMESTIC
    commodities = [commodity] if commodity is not None else list(Commodity)
    ceiling, which = max((ANNUAL_CONSUMPTION_CEILING[domestic, c], c) for c in commodities)
    if value > ceiling:
        whose = "a domestic customer" if domestic else "one supply point"
        r.report(
            "annual_consumption",
            f"is implausible: more than {ceiling:,} {_UNIT[which]} a year for {whose} "
            "(probably a typing error)",
        )
        return None
    return value


def read_customer(*, reader: FieldReader) -> dict[str, Any]:
    """Read ``customer`` with the rules that depend on its kind."""
    r = reader
    kind = r.choice("kind", among=CustomerKind)
    out: dict[str, Any] = {"kind": kind}
    for name in ("first_name", "last_name", "company_name"):
        out[name] = r.text(name, required=False)
    code = r.text("fiscal_code", required=True)
    out["fiscal_code"] = r.checked("fiscal_code", validate_fiscal_code, code=code)
    number = r.text("vat_number", required=False)
    out["vat_number"] = r.checked("vat_number", validate_vat_number, number=number)
    out["phone"] = r.checked("phone", validate_phone, number=r.text("phone", required=True))
    out["email"] = r.checked("email", validate_email, address=r.text("email", required=False))
    out["vulnerable"] = r.boolean("vulnerable", required=True)
    out["employees"] = _non_negative(r, "employees", r.integer("employees", required=False))
    turnover = _non_negative(r, "turnover_eur", r.decimal("turnover_eur", required=False))
    out["turnover_eur"] = _in_cents(r, "turnover_eur", turnover)
    address = r.child("address")
    out["address"] = read_address(reader=address) if address else None
    if kind is not None:
        _check_kind(r, kind, out)
    r.check_keys(known=CUSTOMER_FIELDS)
    return out


def _non_negative(r: FieldReader, name: str, value: Any) -> Any:
    if value is not None and value < 0:
        r.report(name, "must not be negative")
        return None
    return value


def _in_cents(r: FieldReader, name: str, value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    if value.quantize(_CENT) != value:
        r.report(name, "must be in euro with at most 2 decimals")
        return None
    return value.quantize(_CENT)


def _check_kind(r: FieldReader, kind: CustomerKind, out: dict[str, Any]) -> None:
    label = _KIND_LABEL[kind]
    code = out["fiscal_code"]
    if kind is CustomerKind.DOMESTIC:
        for name in ("first_name", "last_name"):
            r.require(name, out[name], why="required for a domestic customer")
        if code is not None and len(code) != 16:
            r.report("fiscal_code", "a domestic customer needs the 16-character personal code")
        return
    r.require("company_name", out["company_name"], why=f"required for a {label} customer")
    if kind is CustomerKind.CONDOMINIUM and code is not None and len(code) != 11:
        r.report("fiscal_code", "a condominium has an 11-digit numeric fiscal code")
    if kind in _NEEDS_VAT_NUMBER:
        r.require("vat_number", out["vat_number"], why=f"required for a {label} customer")
    if kind is CustomerKind.SMALL_BUSINESS:
        why = "required for a small business: it decides the 153/2012 scope"
        r.require("employees", out["employees"], why=why)
        r.require("turnover_eur", out["turnover_eur"], why=why)


def read_address(*, reader: FieldReader) -> AddressData | None:
    """Read ``customer.address``; every part is checked even when another is missing."""
    r = reader
    parts = {name: r.text(name, required=True) for name in ADDRESS_FIELDS}
    address = None
    try:
        address = validate_address(**{k: v or "" for k, v in parts.items()}, field=r.path)
    except InvalidFields as error:
        for problem in error.problems:
            if parts[problem.field.rsplit(".", 1)[-1]] is not None:
                r.problems.append(problem)
    r.check_keys(known=ADDRESS_FIELDS)
    return address


def read_payment(*, reader: FieldReader) -> dict[str, Any]:
    """Read ``payment``: SEPA needs an IBAN, a postal slip must not carry one."""
    r = reader
    method = r.choice("method", among=PaymentMethod)
    text = r.text("iban", required=False)
    iban = None
    if method is PaymentMethod.POSTAL_SLIP and text is not None:
        r.report("iban", "must be empty when paying by postal slip (or choose SEPA)")
    else:
        iban = r.checked("iban", validate_iban, iban=text)
    if method is PaymentMethod.SEPA:
        r.require("iban", iban, why="required for payment by SEPA direct debit")
    r.check_keys(known=PAYMENT_FIELDS)
    return {"method": method, "iban": iban}
