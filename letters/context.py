"""From a caller's context to the template's: checked keys, defaults and derived values.

The templates receive the caller's keys plus:

- every optional key of the kind that was not given, as ``None``;
- ``supplier`` (the renderer's unless given), ``place`` (the supplier's ``letter_place``
  unless given), ``enclosures`` (the kind's list unless given);
- ``kind`` (the ``LetterKind``), ``is_domestic`` (``customer_kind == "domestic"``),
  ``salutation`` and ``withdrawal_methods`` (the ways to withdraw accepted for this customer,
  rulebook 2.3: raccomandata A/R for everyone; simple letter, fax, e-mail for domestic ones).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from letters.kinds import LetterKind, check_context
from letters.supplier import Supplier


@dataclass(frozen=True, slots=True, kw_only=True)
class WithdrawalMethod:
    """One way to send a ripensamento: ``code`` is a ``RequestChannel`` value."""

    code: str
    label_it: str
    detail_it: str


def withdrawal_methods(*, supplier: Supplier, domestic: bool) -> tuple[WithdrawalMethod, ...]:
    """The accepted ways to withdraw: raccomandata A/R; for domestic customers also a simple
    letter, fax and e-mail."""
    address = ", ".join(supplier.withdrawal.postal_address)
    registered = WithdrawalMethod(
        code="raccomandata", label_it="raccomandata con ricevuta di ritorno",
        detail_it=f"indirizzata a {address}",
    )
    if not domestic:
        return (registered,)
    return (
        registered,
        WithdrawalMethod(code="letter", label_it="lettera semplice",
                         detail_it="allo stesso indirizzo"),
        WithdrawalMethod(code="fax", label_it="fax",
                         detail_it=f"al numero verde {supplier.withdrawal.fax}"),
        WithdrawalMethod(code="email", label_it="e-mail",
                         detail_it=f"all'indirizzo {supplier.withdrawal.email}"),
    )


def prepare_context(*, kind: str, context: Mapping[str, Any],
                    supplier: Supplier) -> tuple[LetterKind, dict[str, Any]]:
    """The kind and the template context. Raises what ``check_context`` raises."""
    letter_kind = check_context(kind=kind, context=context)
    values: dict[str, Any] = dict.fromkeys(letter_kind.optional_keys)
    values.update(context)
    values["supplier"] = values["supplier"] or supplier
    values["place"] = values["place"] or values["supplier"].letter_place
    if values["enclosures"] is None:
        values["enclosures"] = letter_kind.enclosures
    is_domestic = context["customer_kind"] == "domestic"
    values.update(
        kind=letter_kind,
        is_domestic=is_domestic,
        salutation=f"{'Gentile' if is_domestic else 'Spettabile'} {context['recipient_name']},",
        withdrawal_methods=withdrawal_methods(supplier=values["supplier"], domestic=is_domestic),
    )
    return letter_kind, values
