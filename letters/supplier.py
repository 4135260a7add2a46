"""The supplier's identity as data: ``letters/supplier.toml`` loaded into frozen dataclasses.

``load_supplier()`` reads the packaged file (or ``path``) and returns a ``Supplier``; a file
that is unreadable, lacks a key, has an unknown key or a value of the wrong type raises
``SupplierFileError`` listing every problem with its dotted key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

from letters.errors import SupplierFileError

PACKAGED_SUPPLIER = Path(__file__).with_name("supplier.toml")
_frozen = dataclass(frozen=True, kw_only=True, slots=True)
Lines = tuple[str, ...]


@_frozen
class CustomerService:
    free_number: str
    free_number_business: str
    hours: str
    email: str


@_frozen
class WithdrawalChannels:
    """Where a ripensamento is sent: raccomandata A/R to ``postal_address`` (everyone);
    simple letter to the same address, ``fax`` and ``email`` (domestic customers only)."""

    postal_address: Lines
    fax: str
    email: str


@_frozen
class DisownmentChannels:
    """Free channels to say "non ho richiesto questo contratto"."""

    free_number: str
    email: str
    pec: str
    postal_address: Lines


@_frozen
class Supplier:
    name: str
    brand: str
    tagline: str
    legal_form_details: str
    registered_office: Lines
    vat_number: str
    tax_code: str
    rea: str
    share_capital: str
    website: str
    letter_place: str
    signatory: str
    customer_service: CustomerService
    withdrawal: WithdrawalChannels
    disownment: DisownmentChannels


def _convert(cls: type, table: Any, prefix: str, problems: list[str]) -> Any:
    if not isinstance(table, dict):
        problems.append(f"{prefix or '<root>'}: expected a table")
        return None
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for unknown in sorted(set(table) - {f.name for f in fields(cls)}):
        problems.append(f"{prefix}{unknown}: unknown key")
    for f in fields(cls):
        key, expected = f"{prefix}{f.name}", hints[f.name]
        if f.name not in table:
            problems.append(f"{key}: missing")
            continue
        value = table[f.name]
        if expected is str:
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{key}: expected a non-empty string")
            values[f.name] = value
        elif expected == Lines:
            if not (isinstance(value, list) and value
                    and all(isinstance(line, str) and line.strip() for line in value)):
                problems.append(f"{key}: expected a non-empty list of non-empty strings")
                continue
            values[f.name] = tuple(value)
        else:
            values[f.name] = _convert(expected, value, f"{key}.", problems)
    return None if problems else cls(**values)


def parse_supplier(*, text: str, source: str = "<string>") -> Supplier:
    """Parse supplier TOML text. Raises ``SupplierFileError`` listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SupplierFileError(source=source, problems=[f"not valid TOML: {error}"]) from None
    problems: list[str] = []
    supplier = _convert(Supplier, data, "", problems)
    if problems:
        raise SupplierFileError(source=source, problems=problems)
    return supplier


@cache
def _load_cached(path: Path) -> Supplier:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SupplierFileError(source=str(path), problems=[str(error)]) from None
    return parse_supplier(text=text, source=str(path))


def load_supplier(*, path: Path | None = None) -> Supplier:
    """The supplier of ``path`` (default: the packaged ``letters/supplier.toml``), cached.

    Raises ``SupplierFileError``.
    """
    return _load_cached(Path(path or PACKAGED_SUPPLIER).resolve())
