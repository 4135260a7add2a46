"""Realistic, fixed sample contexts for every letter kind (tests, benchmark, documentation).

The business sample's name, ``D'Angelo & Figli <srl>``, holds characters HTML must escape.
All dates are fixed: the contract is signed on 22 April 2026 (14 working days end on
13 May), the switch is planned for 1 July 2026, so activation can be stopped until the
cut-off of 10 June 2026, which is the withdrawal deadline the letter prints.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from letters.values import PriceLine

SIGNED_ON = date(2026, 4, 22)
LETTER_DATE = date(2026, 4, 23)
STATUTORY_WINDOW_END = date(2026, 5, 13)
WITHDRAWAL_DEADLINE = date(2026, 6, 10)
SWITCH_DATE = date(2026, 7, 1)

_CUSTOMERS = {
    "domestic": ("Niccolò Dell'Acqua", ("Via Saragozza 12", "40123 Bologna (BO)")),
    "business": ("D'Angelo & Figli <srl>", ("Viale Ceccarini 88", "47838 Riccione (RN)")),
}
_SUPPLY_POINTS = {"electricity": "IT001E12345678", "gas": "00881234567890"}
_PRICES = {
    "electricity": (
        PriceLine(label="Prezzo dell'energia, monorario (F0)", amount=Decimal("0.123456"),
                  unit="kWh"),
        PriceLine(label="Quota fissa di commercializzazione", amount=Decimal("12.00"),
                  unit="mese"),
        PriceLine(label="Sconto di benvenuto, nella prima bolletta", amount=Decimal("-30.00")),
    ),
    "gas": (
        PriceLine(label="Prezzo della materia prima gas", amount=Decimal("0.4875"), unit="Smc"),
        PriceLine(label="Quota fissa di commercializzazione", amount=Decimal("9.50"),
                  unit="mese"),
        PriceLine(label="Sconto di benvenuto, nella prima bolletta", amount=Decimal("-30.00")),
    ),
}
_OFFERS = {"electricity": "Luce Sicura 12", "gas": "Gas Sicuro 12"}


def _customer_key(kind_of_customer: str) -> str:
    return "domestic" if kind_of_customer == "domestic" else "business"


def sample_common_context(*, kind_of_customer: str = "domestic",
                          commodity: str = "electricity", number: int = 123) -> dict[str, Any]:
    """The keys every letter kind needs (``letters.kinds.COMMON_KEYS``)."""
    name, address = _CUSTOMERS[_customer_key(kind_of_customer)]
    return {
        "letter_date": LETTER_DATE,
        "reference": f"PR-2026-{number:06d}",
        "contract_number": f"HC-2026-{number:06d}",
        "recipient_name": name,
        "address_lines": address,
        "customer_kind": kind_of_customer,
        "commodity": commodity,
        "supply_point": _SUPPLY_POINTS[commodity],
        "supply_address": ", ".join(address),
    }


def sample_confirmation_context(*, kind_of_customer: str = "domestic",
                                commodity: str = "electricity", channel: str = "door_to_door",
                                with_agency: bool = True, number: int = 123) -> dict[str, Any]:
    """A full context of a confirmation letter (rulebook 2.2)."""
    context = sample_common_context(kind_of_customer=kind_of_customer, commodity=commodity,
                                    number=number)
    context.update(
        signed_on=SIGNED_ON,
        channel=channel,
        offer_name=_OFFERS[commodity],
        prices=_PRICES[commodity],
        offer_notes="Prezzi fissi per 12 mesi dall'attivazione, IVA e imposte escluse. "
                    "Restano dovuti i corrispettivi di rete e gli oneri di sistema "
                    "stabiliti da ARERA.",
        switch_date=SWITCH_DATE,
        withdrawal_deadline=WITHDRAWAL_DEADLINE,
        agency_name="Energia & Casa Agenzia S.r.l." if with_agency else None,
        agent_badge="AG-0153-027" if with_agency else None,
    )
    return context


def _sample_extra(kind: str) -> dict[str, Any]:
    received, answered = date(2026, 5, 6), date(2026, 5, 7)
    return {
        "withdrawal_accepted": {
            "letter_date": answered, "request_received_on": received,
            "request_channel": "email", "switch_was_requested": True,
        },
        "withdrawal_too_late": {
            "letter_date": date(2026, 6, 16), "request_received_on": date(2026, 6, 15),
            "request_channel": "raccomandata", "switch_date": SWITCH_DATE,
            "withdrawal_deadline": WITHDRAWAL_DEADLINE,
        },
        "withdrawal_incomplete": {
            "letter_date": answered, "request_received_on": received,
            "request_channel": "letter", "missing_items": ("supply_point", "phone"),
            "complete_by": WITHDRAWAL_DEADLINE,
        },
        "withdrawal_channel_not_accepted": {
            "letter_date": answered, "request_received_on": received,
            "request_channel": "email", "withdrawal_deadline": WITHDRAWAL_DEADLINE,
        },
        "disownment_rejected": {
            "letter_date": date(2026, 6, 1), "request_received_on": received, "channel": "phone",
            "decision_reason": "La registrazione della telefonata del 22 aprile 2026 contiene il Suo "
                               "consenso esplicito all'offerta e la conferma dei Suoi dati.",
        },
        "disownment_accepted": {
            "letter_date": date(2026, 6, 1), "request_received_on": received,
            "opt_in_due_on": date(2026, 6, 21), "previous_supplier": "Enel Energia",
        },
        "restoration_completed": {
            "letter_date": date(2026, 7, 2), "request_received_on": received, "return_on": date(2026, 7, 1),
            "previous_supplier": "Enel Energia",
            "rebilled": [
                {"period_start": date(2026, 2, 1), "period_end": date(2026, 4, 1), "cancelled": "FT-2026-00000012",
                 "number": "FT-2026-00000981", "total": Decimal("120.02"), "due_on": date(2026, 7, 22), "owed": False},
                {"period_start": date(2026, 6, 1), "period_end": date(2026, 7, 1), "cancelled": None,
                 "number": "FT-2026-00000982", "total": Decimal("41.37"), "due_on": date(2026, 7, 22), "owed": True},
            ],
            "refund_total": Decimal("38.44"), "owed_total": Decimal("41.37"),
            "indemnity_note": "NCP-2026-00000003", "indemnity_amount": Decimal("25.00"),
        },
        "activation_stopped": {
            "letter_date": date(2026, 4, 30), "signed_on": SIGNED_ON, "reason": "audit",
            "switch_was_requested": False, "agency_name": "Energia & Casa Agenzia S.r.l.",
        },
    }[kind]


def sample_context(*, kind: str, kind_of_customer: str | None = None,
                   commodity: str = "electricity", number: int = 123) -> dict[str, Any]:
    """A full context of any kind of ``letters.kinds.LETTER_KINDS``.

    ``kind_of_customer`` defaults to ``"domestic"``, except for
    ``withdrawal_channel_not_accepted`` (a non-domestic customer's letter: ``"business"``).
    Raises ``KeyError`` for an unknown kind.
    """
    if kind_of_customer is None:
        kind_of_customer = "business" if kind == "withdrawal_channel_not_accepted" else "domestic"
    if kind == "confirmation":
        return sample_confirmation_context(kind_of_customer=kind_of_customer,
                                           commodity=commodity, number=number)
    context = sample_common_context(kind_of_customer=kind_of_customer, commodity=commodity,
                                    number=number)
    context.update(_sample_extra(kind))
    return context
