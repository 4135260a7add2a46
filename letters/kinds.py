"""The letter kinds as data: which template, which subject, which context keys, which enclosures.

Every kind requires ``COMMON_KEYS`` (included in its ``required_keys``) and accepts
``COMMON_OPTIONAL_KEYS`` (included in its ``optional_keys``). An optional key that is absent
is rendered as ``None`` (the template leaves that part out). ``get_letter_kind`` raises
``UnknownLetterKind``; ``check_context`` raises ``LetterContextIncomplete`` naming every
missing key, or ``UnknownCode`` for a value outside the kind's ``choices``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from letters.errors import LetterContextIncomplete, UnknownCode, UnknownLetterKind

COMMON_KEYS = frozenset({
    "letter_date",       # date: the letter's date (also the PDF's creation date)
    "reference",         # str: the code the customer quotes (codice pratica)
    "contract_number",   # str
    "recipient_name",    # str: customer's name or company name, as printed in the address
    "address_lines",     # sequence of str: postal address under the name (1 to 4 lines)
    "customer_kind",     # str: protocol.codes.CustomerKind value ("domestic", "business"...)
    "commodity",         # str: "electricity" | "gas"
    "supply_point",      # str: POD or PDR code
    "supply_address",    # str: the supply address on one line
})
COMMON_OPTIONAL_KEYS = frozenset({
    "place",             # str: place next to the date (default: the supplier's letter_place)
    "supplier",          # Supplier (default: the renderer's, from letters/supplier.toml)
    "enclosures",        # sequence of str: replaces the kind's default list of enclosures
})

COMMON_CHOICES: Mapping[str, frozenset[str]] = MappingProxyType({
    "customer_kind": frozenset(
        {"domestic", "small_business", "business", "condominium", "public_service"}),
    "commodity": frozenset({"electricity", "gas"}),
})

CONFIRMATION_ENCLOSURES = (
    "Copia della richiesta di attivazione della fornitura che ha sottoscritto",
    "Condizioni generali di contratto",
    "Condizioni economiche dell'offerta e scheda sintetica con i prezzi",
    "Modulo di ripensamento",
    "Carta della responsabilità, con il Protocollo di autoregolazione "
    "contro i contratti non richiesti",
    "Nota informativa per il cliente finale (ARERA)",
    "Livelli di qualità commerciale dei servizi di vendita (ARERA)",
    "Informativa sul trattamento dei dati personali",
    "Modulo per segnalazioni, richieste di informazioni e reclami",
)


@dataclass(frozen=True, slots=True)
class LetterKind:
    """One kind of letter.

    ``required_keys`` and ``optional_keys`` include the common ones; ``choices`` maps a key to
    the values it may take (checked by ``check_context``).
    """

    code: str
    template: str
    subject_it: str
    required_keys: frozenset[str]
    optional_keys: frozenset[str] = field(default=frozenset())
    enclosures: tuple[str, ...] = ()
    choices: Mapping[str, frozenset[str]] = field(default_factory=lambda: COMMON_CHOICES,
                                                  hash=False)


def _kind(code: str, subject_it: str, required: set[str], optional: set[str] = frozenset(),
          enclosures: tuple[str, ...] = (),
          choices: Mapping[str, frozenset[str]] | None = None) -> LetterKind:
    return LetterKind(
        code=code, template=f"{code}.html.j2", subject_it=subject_it,
        required_keys=COMMON_KEYS | frozenset(required),
        optional_keys=COMMON_OPTIONAL_KEYS | frozenset(optional),
        enclosures=enclosures,
        choices=MappingProxyType({**COMMON_CHOICES, **(choices or {})}),
    )


_KINDS = (
    _kind("confirmation", "Conferma del Suo contratto di fornitura",
          {"signed_on", "channel", "offer_name", "prices", "switch_date",
           "withdrawal_deadline"},
          {"agency_name", "agent_badge", "offer_notes"},
          CONFIRMATION_ENCLOSURES),
    _kind("withdrawal_accepted", "Conferma del Suo ripensamento",
          {"request_received_on", "switch_was_requested"},
          {"request_channel", "early_execution_return_date", "previous_supplier"}),
    _kind("withdrawal_too_late", "La Sua richiesta di ripensamento è arrivata oltre il termine",
          {"request_received_on", "switch_date"},
          {"request_channel", "withdrawal_deadline"}),
    _kind("withdrawal_incomplete", "La Sua richiesta di ripensamento è incompleta",
          {"request_received_on", "missing_items"},
          {"request_channel", "complete_by"},
          ("Modulo di ripensamento",)),
    _kind("withdrawal_channel_not_accepted",
          "Ripensamento: per i clienti non domestici serve la raccomandata A/R",
          {"request_received_on", "request_channel"},
          {"withdrawal_deadline"},
          ("Modulo di ripensamento",)),
    _kind("disownment_rejected", "Esito della Sua segnalazione di contratto non richiesto",
          {"request_received_on", "decision_reason", "channel"},
          {"tirv_note"}),
    _kind("disownment_accepted", "Il contratto non era stato richiesto: rientro al precedente fornitore",
          {"request_received_on"},
          {"opt_in_due_on", "previous_supplier"}),
    _kind("restoration_completed", "Rientro al precedente fornitore e fatture ricalcolate",
          {"request_received_on", "return_on", "rebilled"},
          {"previous_supplier", "refund_total", "owed_total", "indemnity_note", "indemnity_amount"}),
    _kind("activation_stopped", "Il Suo contratto non sarà attivato",
          {"signed_on", "reason"},
          {"switch_was_requested", "agency_name"},
          choices={"reason": frozenset({"audit", "disowned"})}),
)
LETTER_KINDS: Mapping[str, LetterKind] = MappingProxyType({k.code: k for k in _KINDS})


def get_letter_kind(code: str) -> LetterKind:
    """The kind named ``code``. Raises ``UnknownLetterKind``."""
    try:
        return LETTER_KINDS[code]
    except (KeyError, TypeError):
        raise UnknownLetterKind(code=code, known=LETTER_KINDS) from None


def check_context(*, kind: str, context: Mapping[str, object]) -> LetterKind:
    """The kind, once ``context`` holds all its required keys with allowed values.

    Raises ``UnknownLetterKind``, ``LetterContextIncomplete`` (naming every missing key) or
    ``UnknownCode`` (a key of ``choices`` with a value it may not take).
    """
    letter_kind = get_letter_kind(kind)
    missing = letter_kind.required_keys - set(context)
    if missing:
        raise LetterContextIncomplete(kind=kind, missing=missing)
    for key, allowed in letter_kind.choices.items():
        value = context.get(key)
        if key in context and value not in allowed:
            raise UnknownCode(table=f"{key} of a {kind} letter", code=value, known=allowed)
    return letter_kind
