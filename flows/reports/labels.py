"""Italian descriptions of the reports' figures (CSV ``label_it`` column, HTML/PDF headings)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from flows.scorecard_render import NONCONFORMITIES_IT

__all__ = ["LABELS_IT", "NONCONFORMITIES_IT", "label_it"]

_GROUPS = {"in_scope": "nell'ambito della Delibera 153/2012", "out_of_scope": "fuori ambito 153/2012",
           "total": "in totale"}
_STATES = {"received": "ricevuti", "accepted": "accolti", "rejected": "respinti", "pending": "in istruttoria"}
_KINDS = {"protocol_153": "indennizzo del Protocollo (25 €)", "tiqv_late_reply": "indennizzo automatico TIQV"}
_AMOUNTS = {"owed": "dovuti (numero)", "owed_eur": "dovuti (euro)", "paid": "pagati (numero)",
            "paid_eur": "pagati (euro)"}

LABELS_IT: Mapping[str, str] = MappingProxyType({
    **{f"disownments.{g}.{s}": f"Disconoscimenti {_STATES[s]} {_GROUPS[g]}" for g in _GROUPS for s in _STATES},
    "outcomes.activation_stopped": "Accolti: attivazione bloccata",
    "outcomes.restored": "Accolti: ripristino presso il precedente fornitore completato",
    "outcomes.restoration_in_progress": "Accolti: ripristino in corso",
    "outcomes.restoration_declined": "Accolti: ripristino non richiesto dal cliente",
    "outcomes.no_restoration": "Accolti: ripristino non dovuto (fuori dai termini TIRV)",
    **{f"indemnities.{k}.{a}": f"{_KINDS[k][0].upper()}{_KINDS[k][1:]}: {_AMOUNTS[a]}" for k in _KINDS for a in _AMOUNTS},
    "reply_times.replies": "Risposte motivate inviate",
    "reply_times.median_days": "Tempo di risposta mediano (giorni)",
    "reply_times.p95_days": "Tempo di risposta al 95° percentile (giorni)",
    "reply_times.within_standard": "Risposte entro 30 giorni",
    "reply_times.within_standard_share": "Quota di risposte entro 30 giorni",
    "withdrawals.received": "Ripensamenti ricevuti", "withdrawals.accepted": "Ripensamenti accolti",
    "withdrawals.late": "Ripensamenti tardivi", "withdrawals.rejected": "Ripensamenti fuori termine o non ammessi",
    "withdrawals.pending": "Ripensamenti incompleti o in istruttoria",
    "audits.concluded": "Controlli a campione conclusi", "audits.nonconforming": "Controlli con esito non conforme",
    "audits.nonconformity_rate": "Tasso di non conformità dei controlli",
    **{f"nonconformities.{code}": f"Non conformità: {text}" for code, text in NONCONFORMITIES_IT.items()},
    "agencies.penalties": "Penali applicate alle agenzie (numero)",
    "agencies.penalties_eur": "Penali applicate alle agenzie (euro)",
    "agencies.warnings": "Agenzie richiamate formalmente", "agencies.revocations": "Mandati revocati",
    "escalations.sportello": "Pratiche portate allo Sportello per il Consumatore",
    "escalations.sportello_unfounded": "di cui con rigetto ritenuto infondato dallo Sportello",
    "escalations.conciliation": "Pratiche portate in conciliazione",
    "months.disownments_received": "Disconoscimenti ricevuti nel mese",
    "months.disownments_accepted": "Disconoscimenti ricevuti nel mese e accolti",
    "months.disownments_rejected": "Disconoscimenti ricevuti nel mese e respinti",
    "months.withdrawals_received": "Ripensamenti ricevuti nel mese",
    "months.audits": "Controlli conclusi nel mese", "months.audits_nonconforming": "Controlli non conformi nel mese",
    "months.replies": "Risposte inviate nel mese", "months.replies_within_standard": "Risposte del mese entro 30 giorni",
})


def label_it(section: str, indicator: str) -> str:
    """The Italian description of ``section.indicator``; a figure without one is a bug (``KeyError``)."""
    return LABELS_IT[f"{section}.{indicator}"]
