"""One contract import record: parsed, validated and normalised, or rejected with every reason.

The import format is one JSON object per line, with ``null`` where a field does not apply; an
optional field may also be left out. Always required: ``external_id``, ``signed_on``,
``channel``, ``commodity``, ``supply_point``, ``offer_code``, ``early_execution``, ``customer``
(``kind``, ``fiscal_code``, ``phone``, ``vulnerable``, ``address`` with ``street``,
``postcode``, ``city``, ``province``) and ``payment`` (``method``); the others are optional or
required by the rules between fields (see :mod:`protocol.record_rules`). :func:`parse_record_line`
and :func:`parse_record` return a :class:`ContractRecord` of typed, normalised values, or raise
:class:`RecordRejected` listing **all** the record's problems, each naming its field by dotted
path (``"customer.address.postcode"``).

Decisions taken here:

- all-or-nothing per record: nothing partial is returned;
- numbers are never floats: JSON is decoded with ``parse_float=Decimal``; ``turnover_eur`` is a
  ``Decimal`` with cents; a float handed to :func:`parse_record` is read through its repr;
- a postal-slip payment must not carry an IBAN (it is rejected, not ignored: the customer may
  have meant a direct debit, and customer service should ask);
- phone, door-to-door and stand sales need both ``agency_code`` and ``agent_badge``; web and
  shop sales may have neither; in every channel the two are given together or not at all;
- ``signed_on`` is only checked to be a real ``YYYY-MM-DD`` date: the domain never reads the
  clock, so "not in the future" is the caller's check against its ``as_of``;
- the agent's badge and the agency's mandate are checked by the intake use case (they need the
  database), not here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from protocol.codes import Channel, Commodity, CustomerKind, PaymentMethod
from protocol.errors import SentinellaError
from protocol.field_errors import Problem
from protocol.record_fields import FieldReader, JsonObject, describe_type
from protocol.record_rules import ANNUAL_CONSUMPTION_CEILING, read_record
from protocol.validators import AddressData

__all__ = [
    "ANNUAL_CONSUMPTION_CEILING",
    "AddressData",
    "ContractRecord",
    "CustomerData",
    "PaymentData",
    "Problem",
    "RecordRejected",
    "parse_record",
    "parse_record_line",
]


@dataclass(frozen=True, slots=True)
class CustomerData:
    """The customer of a contract, normalised."""

    kind: CustomerKind
    first_name: str | None
    last_name: str | None
    company_name: str | None
    fiscal_code: str
    """16 characters (a person) or 11 digits (company, condominium, public body)."""
    vat_number: str | None
    """11 digits, no ``IT`` prefix."""
    phone: str
    """E.164, e.g. ``"+393471234567"``."""
    email: str | None
    vulnerable: bool
    employees: int | None
    turnover_eur: Decimal | None
    """Annual turnover in euro, two decimals."""
    address: AddressData


@dataclass(frozen=True, slots=True)
class PaymentData:
    method: PaymentMethod
    iban: str | None
    """Compact upper-case IBAN for ``sepa``; always ``None`` for ``postal_slip``."""


@dataclass(frozen=True, slots=True)
class ContractRecord:
    """A valid import record with typed, normalised values."""

    external_id: str
    signed_on: date
    channel: Channel
    commodity: Commodity
    supply_point: str
    """POD (electricity) or PDR (gas, 14 digits with leading zeros)."""
    offer_code: str
    previous_supplier: str | None
    agency_code: str | None
    agent_badge: str | None
    early_execution: bool
    annual_consumption: int | None
    """kWh a year for electricity, Smc a year for gas."""
    customer: CustomerData
    payment: PaymentData

    def to_data(self) -> dict[str, Any]:
        """The record back in the import format (``parse_record(data=...)`` gives it back).

        Dates become ISO strings and enumerations their values; ``turnover_eur`` stays a
        ``Decimal`` (exact), so encode it yourself if you need JSON text.
        """
        customer, address = self.customer, self.customer.address
        return {
            "external_id": self.external_id,
            "signed_on": self.signed_on.isoformat(),
            "channel": self.channel.value,
            "commodity": self.commodity.value,
            "supply_point": self.supply_point,
            "offer_code": self.offer_code,
            "previous_supplier": self.previous_supplier,
            "agency_code": self.agency_code,
            "agent_badge": self.agent_badge,
            "early_execution": self.early_execution,
            "annual_consumption": self.annual_consumption,
            "customer": {
                "kind": customer.kind.value,
                "first_name": customer.first_name,
                "last_name": customer.last_name,
                "company_name": customer.company_name,
                "fiscal_code": customer.fiscal_code,
                "vat_number": customer.vat_number,
                "phone": customer.phone,
                "email": customer.email,
                "vulnerable": customer.vulnerable,
                "employees": customer.employees,
                "turnover_eur": customer.turnover_eur,
                "address": {
                    "street": address.street,
                    "postcode": address.postcode,
                    "city": address.city,
                    "province": address.province,
                },
            },
            "payment": {"method": self.payment.method.value, "iban": self.payment.iban},
        }


class RecordRejected(SentinellaError, ValueError):
    """An import record failed validation.

    Attributes:
        problems: every problem found (never empty, no duplicates), roughly in the order of
            the record's fields, unknown fields last within each object.
        external_id: the record's ``external_id`` when it could be read, else ``None``.
    """

    def __init__(self, *, problems: Iterable[Problem], external_id: str | None) -> None:
        self.problems: tuple[Problem, ...] = tuple(dict.fromkeys(problems))
        self.external_id = external_id
        if not self.problems:
            raise ValueError("RecordRejected needs at least one problem")
        label = f"record {external_id}" if external_id else "record"
        listed = "; ".join(str(problem) for problem in self.problems)
        super().__init__(f"{label} rejected: {listed}")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def parse_record_line(*, line: str) -> ContractRecord:
    """Parse one line of the import file (one JSON object).

    Raises:
        RecordRejected: the line is not valid JSON, not an object, or the record is invalid;
            unreadable lines carry a single problem on the field ``"(line)"``.
    """
    text = line.removeprefix("\ufeff")  # not stripped further: columns stay the line's own
    if not text.strip():
        raise _unreadable("is empty")
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=JsonObject.from_pairs,
        )
    except json.JSONDecodeError as error:
        where = f"column {error.colno}"
        if error.lineno > 1:
            where = f"line {error.lineno} {where}"
        raise _unreadable(f"is not valid JSON: {error.msg} at {where}") from None
    except (ValueError, RecursionError) as error:  # NaN/Infinity, huge integers, deep nesting
        raise _unreadable(f"is not valid JSON: {error}") from None
    return _parse(data=data, whole="(line)")


def _unreadable(reason: str) -> RecordRejected:
    return RecordRejected(problems=[Problem(field="(line)", reason=reason)], external_id=None)


def parse_record(*, data: Mapping[str, Any]) -> ContractRecord:
    """Validate an already decoded record (a mapping in the import format).

    Raises:
        RecordRejected: with every problem of the record.
    """
    return _parse(data=data, whole="(record)")


def _parse(*, data: object, whole: str) -> ContractRecord:
    if not isinstance(data, Mapping):
        reason = f"must be a JSON object, not {describe_type(data)}"
        raise RecordRejected(problems=[Problem(field=whole, reason=reason)], external_id=None)
    problems: list[Problem] = []
    values = read_record(reader=FieldReader(data=data, path="", problems=problems))
    if problems:
        raise RecordRejected(problems=problems, external_id=_external_id(data))
    customer = CustomerData(**values.pop("customer"))
    payment = PaymentData(**values.pop("payment"))
    return ContractRecord(**values, customer=customer, payment=payment)


def _external_id(data: Mapping[str, Any]) -> str | None:
    value = data.get("external_id")
    return (" ".join(value.split()) or None) if isinstance(value, str) else None
