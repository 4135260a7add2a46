"""Synthetic contracts in the import format, and deliberately broken variants of them.

Used to write the example import file (``make demo``, the README) and by the tests of the
import: every way a record can be wrong has a named corruption here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from flows.synthetic import SyntheticBook, generate_book
from protocol.iban_check import italian_cin


def import_records(book: SyntheticBook, *, id_prefix: str = "") -> Iterator[dict[str, Any]]:
    """Each contract of ``book`` as one import record (a dict of JSON values)."""
    customers = {c.id: c for c in book.customers}
    points = {p.id: p for p in book.supply_points}
    for contract in book.contracts:
        customer, point = customers[contract.customer_id], points[contract.supply_point_id]
        yield {
            "external_id": id_prefix + contract.external_id,
            "signed_on": contract.signed_on.isoformat(),
            "channel": contract.channel.value,
            "commodity": contract.commodity.value,
            "supply_point": point.code,
            "offer_code": contract.offer_code,
            "previous_supplier": contract.previous_supplier,
            "agency_code": contract.agency_code,
            "agent_badge": contract.agent_badge,
            "early_execution": contract.early_execution,
            "annual_consumption": contract.annual_consumption,
            "customer": {
                "kind": customer.kind.value,
                "first_name": customer.first_name,
                "last_name": customer.last_name,
                "company_name": customer.company_name,
                "fiscal_code": customer.fiscal_code,
                "vat_number": customer.vat_number,
                "phone": customer.phone_e164,
                "email": customer.email,
                "vulnerable": customer.vulnerable,
                "employees": customer.employees,
                "turnover_eur": customer.turnover_eur,
                "address": {"street": customer.street, "postcode": customer.postcode,
                            "city": customer.city, "province": customer.province},
            },
            "payment": {"method": contract.payment_method.value, "iban": contract.iban},
        }


def _bad_fiscal_code(record: dict) -> tuple[dict, str]:
    code = record["customer"]["fiscal_code"]
    last = "A" if code[-1] != "A" else "B"
    record["customer"]["fiscal_code"] = code[:-1] + (last if len(code) == 16 else str((int(code[-1]) + 1) % 10))
    return record, "customer.fiscal_code"


def _bad_supply_point(record: dict) -> tuple[dict, str]:
    record["supply_point"] = "IT00E1234" if record["commodity"] == "electricity" else "1234567"
    return record, "supply_point"


def _bad_phone(record: dict) -> tuple[dict, str]:
    record["customer"]["phone"] = "+39 12"
    return record, "customer.phone"


def _bad_iban_cin(record: dict) -> tuple[dict, str]:
    record["payment"] = {"method": "sepa", "iban": wrong_cin_iban(_valid_iban_for(record))}
    return record, "payment.iban"


def _missing_field(record: dict) -> tuple[dict, str]:
    del record["signed_on"]
    return record, "signed_on"


def _unknown_channel(record: dict) -> tuple[dict, str]:
    record["channel"] = "telemarketing"
    return record, "channel"


CORRUPTIONS: dict[str, Callable[[dict], tuple[dict, str]]] = {
    "bad fiscal code": _bad_fiscal_code,
    "bad POD/PDR": _bad_supply_point,
    "bad phone": _bad_phone,
    "bad IBAN CIN": _bad_iban_cin,
    "missing field": _missing_field,
    "unknown channel": _unknown_channel,
}
MALFORMED_JSON = "malformed JSON"


def _valid_iban_for(record: dict) -> str:
    if record["payment"]["iban"]:
        return record["payment"]["iban"]
    return "IT60X0542811101000000123456"


def wrong_cin_iban(iban: str) -> str:
    """The same Italian IBAN with a wrong CIN but correct mod-97 check digits."""
    bban = iban[4:]
    right = italian_cin(abi=bban[1:6], cab=bban[6:11], account=bban[11:])
    wrong = "A" if right != "A" else "B"
    new_bban = wrong + bban[1:]
    digits = "".join(str(int(ch, 36)) for ch in new_bban + "IT00")
    check = 98 - int(digits) % 97
    return f"IT{check:02d}{new_bban}"


def import_file_lines(
    *, valid: int, invalid_each: int, seed: int, start: date, id_prefix: str = "IMP-"
) -> tuple[list[str], dict[int, str]]:
    """``valid`` good lines plus ``invalid_each`` lines broken in each known way.

    Returns the lines and, for each broken one (1-based line number), the field expected to
    be named in its reject (``(line)`` for malformed JSON).
    """
    kinds = list(CORRUPTIONS) + [MALFORMED_JSON]
    total = valid + invalid_each * len(kinds)
    records = list(import_records(generate_book(contracts=total, start=start, days=60, seed=seed),
                                  id_prefix=id_prefix))
    lines, expected = [], {}
    broken_every = max(1, total // (invalid_each * len(kinds))) if invalid_each else 0
    broken = 0
    for index, record in enumerate(records):
        line_no = index + 1
        if invalid_each and index % broken_every == broken_every - 1 and broken < invalid_each * len(kinds):
            kind = kinds[broken % len(kinds)]
            broken += 1
            if kind == MALFORMED_JSON:
                text = record_line(record)
                lines.append(text[: len(text) // 2])
                expected[line_no] = "(line)"
                continue
            record, field = CORRUPTIONS[kind](record)
            expected[line_no] = field
        lines.append(record_line(record))
    return lines, expected


def write_import_example(*, path: Path, seed: int, start: date, valid: int = 20, invalid_each: int = 1) -> Path:
    """Write an import file of new contracts, a few of them invalid on purpose."""
    lines, _ = import_file_lines(valid=valid, invalid_each=invalid_each, seed=seed + 1, start=start)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


_DECIMAL_MARK = "\u0000decimal:"
_DECIMAL_TOKEN = re.compile(r'"\\u0000decimal:(-?[0-9.]+)"')


def record_line(record: dict[str, Any]) -> str:
    """One record as a JSON line; Decimals are written as exact JSON numbers, never floats."""

    def mark(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, Decimal):
            return f"{_DECIMAL_MARK}{value}"
        return value

    return _DECIMAL_TOKEN.sub(r"\1", json.dumps(mark(record), ensure_ascii=False))
