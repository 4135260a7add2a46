"""Find contracts by POD/PDR, fiscal code, name, phone or contract id (customer service search)."""

from __future__ import annotations

import phonenumbers
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from db.models import Contract, Customer, SupplyPoint

MAX_RESULTS = 50


def _phone_e164(text: str) -> str | None:
    try:
        number = phonenumbers.parse(text, "IT")
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) \
        if phonenumbers.is_possible_number(number) else None


def search_contracts(session: Session, *, query: str) -> list[dict]:
    """Contracts matching ``query``, newest first, at most ``MAX_RESULTS``.

    Matches exactly a contract id (external id or number), a POD/PDR, a fiscal code or P.IVA, a
    phone number in any Italian format; and, for three letters or more, part of a name.
    """
    text = " ".join(query.split())
    if not text:
        return []
    compact = text.replace(" ", "").upper()
    conditions = [func.upper(Contract.external_id) == compact, SupplyPoint.code == compact,
                  Customer.fiscal_code == compact, Customer.vat_number == compact]
    if compact.isdigit() and int(compact) < 2**31:  # a contract number (an INTEGER column on PostgreSQL)
        conditions.append(Contract.id == int(compact))
    phone = _phone_e164(text) if sum(c.isdigit() for c in text) >= 6 else None
    if phone:
        conditions.append(Customer.phone_e164 == phone)
    if len(text) >= 3 and not compact.isdigit():
        pattern = f"%{text.lower()}%"
        full_name = func.lower(func.coalesce(Customer.first_name, "") + " " + func.coalesce(Customer.last_name, ""))
        reverse_name = func.lower(func.coalesce(Customer.last_name, "") + " " + func.coalesce(Customer.first_name, ""))
        conditions += [full_name.like(pattern), reverse_name.like(pattern),
                       func.lower(func.coalesce(Customer.company_name, "")).like(pattern)]
    rows = session.execute(
        select(Contract, Customer, SupplyPoint.code)
        .join(Customer, Customer.id == Contract.customer_id)
        .join(SupplyPoint, SupplyPoint.id == Contract.supply_point_id)
        .where(or_(*conditions)).order_by(Contract.signed_on.desc(), Contract.id.desc()).limit(MAX_RESULTS)
    ).all()
    return [{"external_id": contract.external_id, "customer": customer.display_name, "supply_point": code,
             "commodity": contract.commodity.value, "state": contract.state.value, "on_hold": contract.on_hold,
             "signed_on": contract.signed_on, "fiscal_code": customer.fiscal_code}
            for contract, customer, code in rows]
