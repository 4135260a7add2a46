"""Italian labels for the codes the console shows (states, events, case kinds, statuses...).

An unknown code is shown as it is rather than failing the page: the event log grows new kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

STATES_IT: Mapping[str, str] = MappingProxyType({
    "received": "ricevuto", "validated": "validato", "confirmed": "confermato", "cooling_off": "in ripensamento",
    "switch_requested": "switching richiesto", "irrevocable": "irrevocabile", "active": "attivo",
    "returned": "restituito al precedente fornitore", "cancelled": "annullato", "withdrawn": "receduto (ripensamento)",
    "terminated": "cessato", "rejected_at_intake": "respinto in accettazione", "blocked_by_audit": "bloccato da controllo",
})
EVENTS_IT: Mapping[str, str] = MappingProxyType({
    "imported": "contratto acquisito", "received": "contratto ricevuto", "corrected": "dati corretti",
    "validated": "contratto validato", "confirmed": "lettera di conferma inviata", "cooling_off": "periodo di ripensamento",
    "switch_requested": "richiesta di switching inviata", "irrevocable": "punto di non ritorno superato",
    "active": "fornitura attiva", "cancelled": "contratto annullato", "blocked_by_audit": "bloccato dal controllo",
    "rejected_at_intake": "respinto in accettazione", "switch_revocation": "revoca dello switching",
    "restoration_request": "richiesta di ripristino", "tiqv_indemnity_credited": "indennizzo TIQV accreditato", "disowned": "disconoscimento ricevuto: blocco applicato",
    "hold_released": "blocco rimosso", "disownment_accepted": "disconoscimento accolto",
    "disownment_rejected": "disconoscimento respinto", "sportello_finding": "esito dello Sportello",
    "withdrawn": "ripensamento accolto", "withdrawal_too_late": "ripensamento fuori termine",
    "withdrawal_not_covered": "ripensamento non applicabile", "withdrawal_incomplete": "ripensamento incompleto",
    "withdrawal_channel_not_accepted": "ripensamento con canale non ammesso",
})
CASE_KINDS_IT: Mapping[str, str] = MappingProxyType({"withdrawal": "ripensamento", "disownment": "disconoscimento"})
CASE_STATUSES_IT: Mapping[str, str] = MappingProxyType({
    "open": "aperto", "incomplete": "incompleto", "decided": "deciso", "closed": "chiuso",
})
OUTCOMES_IT: Mapping[str, str] = MappingProxyType({
    "accepted": "accolto", "rejected": "respinto", "late": "fuori termine", "in_time": "nei termini",
    "too_late": "fuori termine", "not_covered": "non applicabile", "incomplete": "incompleto",
    "channel_not_accepted": "canale non ammesso",
})
RESTORATION_STATUSES_IT: Mapping[str, str] = MappingProxyType({
    "awaiting_opt_in": "in attesa dell'adesione del cliente", "declined": "non richiesto: nessuna adesione nei termini",
    "to_request": "da richiedere al precedente fornitore", "requested": "richiesto al precedente fornitore",
    "completed": "completato",
})
SPORTELLO_FINDINGS_IT: Mapping[str, str] = MappingProxyType({
    "unfounded": "rigetto infondato: pratica riaperta come accolta", "founded": "rigetto fondato: la decisione resta",
})
OUTBOX_STATUSES_IT: Mapping[str, str] = MappingProxyType({
    "pending": "in coda", "sent": "inviato", "acknowledged": "confermato dal destinatario", "failed": "errore",
    "cancelled": "annullato",
})
INVOICE_STATUSES_IT: Mapping[str, str] = MappingProxyType({"issued": "emessa", "paid": "pagata", "cancelled": "stornata"})
CREDIT_NOTE_KINDS_IT: Mapping[str, str] = MappingProxyType({
    "storno": "storno di fattura", "protocol_indemnity": "indennizzo del Protocollo (25 €)",
    "tiqv_indemnity": "indennizzo automatico TIQV", "refund": "rimborso",
})
LETTER_KINDS_IT: Mapping[str, str] = MappingProxyType({
    "confirmation": "lettera di conferma", "withdrawal_accepted": "conferma del ripensamento",
    "withdrawal_too_late": "ripensamento fuori termine", "withdrawal_incomplete": "richiesta di integrazione",
    "withdrawal_channel_not_accepted": "canale non ammesso", "disownment_accepted": "disconoscimento accolto",
    "disownment_rejected": "disconoscimento respinto", "activation_stopped": "attivazione fermata",
    "activation_not_stoppable": "attivazione non più fermabile",
})
CUSTOMER_KINDS_IT: Mapping[str, str] = MappingProxyType({
    "domestic": "domestico", "small_business": "piccola impresa", "business": "impresa", "condominium": "condominio",
    "public_service": "servizio pubblico",
})


def label(table: Mapping[str, str], code: object) -> str:
    """The Italian label of ``code`` (an enum or its value); the code itself when unknown."""
    key = str(getattr(code, "value", code))
    return table.get(key, key.replace("_", " "))
