"""The whole domain's tables; importing this package registers every model on ``Base``."""

from db.models.audits import AgencyEvent, Audit, AuditBatch, CorrectiveAction, Nonconformity, Penalty
from db.models.base import Base
from db.models.billing import (
    BillingRun,
    CreditNote,
    DocumentSequence,
    DunningAction,
    Invoice,
    InvoiceLine,
    Payment,
    RegulatedPrice,
    SepaCollection,
)
from db.models.cases import Case, CaseDocument, Hold, Indemnity, Restoration, User
from db.models.contracts import (
    Contract,
    ContractEvent,
    ImportReject,
    RuleSetVersion,
    SwitchRequest,
    SyntheticTruth,
)
from db.models.letters import Letter, PrintRun
from db.models.operations import DailyRunStep, OutboxMessage
from db.models.parties import Customer, SupplyPoint
from db.models.sales import Agency, Agent, Mandate, Offer, OfferPrice, OptOutNumber

__all__ = [
    "AgencyEvent", "Agency", "Agent", "Audit", "AuditBatch", "Base", "BillingRun", "Case",
    "CaseDocument", "Contract", "ContractEvent", "CorrectiveAction", "CreditNote", "Customer",
    "DailyRunStep", "DocumentSequence", "DunningAction", "Hold", "ImportReject", "Indemnity",
    "Invoice", "InvoiceLine", "Letter", "Mandate", "Nonconformity", "Offer", "OfferPrice",
    "OptOutNumber", "OutboxMessage", "Payment", "Penalty", "PrintRun", "RegulatedPrice",
    "Restoration", "RuleSetVersion", "SepaCollection", "SupplyPoint", "SwitchRequest",
    "SyntheticTruth", "User",
]
