"""Code tables of the domain: the closed sets of values the rulebook names.

They are data shared by every layer (records, rules, the database's CHECK constraints, the
CLI's choices); the values are the stable strings stored and exchanged.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    PHONE = "phone"
    DOOR_TO_DOOR = "door_to_door"
    STAND = "stand"
    WEB = "web"
    SHOP = "shop"

    @property
    def on_premises(self) -> bool:
        """Concluded in the supplier's own premises (the shop); stands are off-premises."""
        return self is Channel.SHOP

    @property
    def audit_group(self) -> "AuditGroup | None":
        """Which sample-audit population an agency contract of this channel belongs to."""
        if self is Channel.PHONE:
            return AuditGroup.TELEPHONE
        if self in (Channel.DOOR_TO_DOOR, Channel.STAND):
            return AuditGroup.PAPER
        return None


class Commodity(StrEnum):
    ELECTRICITY = "electricity"
    GAS = "gas"


class CustomerKind(StrEnum):
    DOMESTIC = "domestic"
    SMALL_BUSINESS = "small_business"
    BUSINESS = "business"
    CONDOMINIUM = "condominium"
    PUBLIC_SERVICE = "public_service"


class PaymentMethod(StrEnum):
    SEPA = "sepa"
    POSTAL_SLIP = "postal_slip"


class ContractState(StrEnum):
    RECEIVED = "received"
    VALIDATED = "validated"
    CONFIRMED = "confirmed"
    COOLING_OFF = "cooling_off"
    SWITCH_REQUESTED = "switch_requested"
    IRREVOCABLE = "irrevocable"
    ACTIVE = "active"
    RETURNED = "returned"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"
    TERMINATED = "terminated"
    REJECTED_AT_INTAKE = "rejected_at_intake"
    BLOCKED_BY_AUDIT = "blocked_by_audit"

    @property
    def is_final(self) -> bool:
        """The contract has ended, or never started: it no longer holds its supply point."""
        return self in FINAL_STATES

    @property
    def correctable_by_import(self) -> bool:
        """A re-imported record may still change the contract (it has not passed intake)."""
        return self in (ContractState.RECEIVED, ContractState.REJECTED_AT_INTAKE)


FINAL_STATES = frozenset({
    ContractState.RETURNED, ContractState.CANCELLED, ContractState.WITHDRAWN,
    ContractState.TERMINATED, ContractState.REJECTED_AT_INTAKE, ContractState.BLOCKED_BY_AUDIT,
})


class AgencyStatus(StrEnum):
    ACTIVE = "active"
    PROBATION = "probation"
    WARNED = "warned"
    REVOKED = "revoked"


class AgentStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


class AuditGroup(StrEnum):
    PAPER = "paper"
    TELEPHONE = "telephone"
    EMPLOYEE = "employee"


class AuditVerdict(StrEnum):
    COMPLIANT = "compliant"
    NONCONFORMING = "nonconforming"


class NonconformityType(StrEnum):
    UNSOLICITED_CONTRACT = "unsolicited_contract"
    FORGED_CONTRACT = "forged_contract"
    MISLEADING_PRACTICE = "misleading_practice"
    MISSING_DOCUMENTS = "missing_documents"
    OPT_OUT_VIOLATION = "opt_out_violation"
    UNAUTHORISED_SUBAGENT = "unauthorised_subagent"


class CaseKind(StrEnum):
    WITHDRAWAL = "withdrawal"
    DISOWNMENT = "disownment"


class CaseStatus(StrEnum):
    OPEN = "open"
    INCOMPLETE = "incomplete"
    DECIDED = "decided"
    CLOSED = "closed"


class CaseOutcome(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    LATE = "late"


class RequestChannel(StrEnum):
    """How a customer's withdrawal or disownment reached us."""

    RACCOMANDATA = "raccomandata"
    LETTER = "letter"
    FAX = "fax"
    EMAIL = "email"
    PHONE = "phone"
    BRANCH = "branch"
    ASSOCIATION = "association"
    SPORTELLO = "sportello"

    @property
    def proves_sending_date(self) -> bool:
        """A postmark, an e-mail or a fax proves when the customer sent it (rulebook 9)."""
        return self in (RequestChannel.RACCOMANDATA, RequestChannel.EMAIL, RequestChannel.FAX)


class InvoiceKind(StrEnum):
    REGULAR = "regular"
    REISSUE = "reissue"


class InvoiceStatus(StrEnum):
    ISSUED = "issued"
    PAID = "paid"
    CANCELLED = "cancelled"


class InvoiceComponent(StrEnum):
    ENERGY = "energy"
    RETAIL_FEE = "retail_fee"
    NETWORK = "network"
    SYSTEM_CHARGES = "system_charges"
    EXCISE = "excise"
    VAT = "vat"
    INDEMNITY = "indemnity"


class DunningStep(StrEnum):
    REMINDER = "reminder"
    FORMAL_NOTICE = "formal_notice"
    SUSPENSION_REQUEST = "suspension_request"
    DEBT_COLLECTION = "debt_collection"


class CreditNoteKind(StrEnum):
    STORNO = "storno"
    PROTOCOL_INDEMNITY = "protocol_indemnity"
    TIQV_INDEMNITY = "tiqv_indemnity"
    REFUND = "refund"


class IndemnityKind(StrEnum):
    PROTOCOL_153 = "protocol_153"
    TIQV_LATE_REPLY = "tiqv_late_reply"


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    ACKNOWLEDGED = "acknowledged"
    FAILED = "failed"
    CANCELLED = "cancelled"


class SwitchStatus(StrEnum):
    PLANNED = "planned"
    REQUESTED = "requested"
    ACKNOWLEDGED = "acknowledged"
    REVOKED = "revoked"
    COMPLETED = "completed"


class RestorationStatus(StrEnum):
    AWAITING_OPT_IN = "awaiting_opt_in"
    DECLINED = "declined"
    TO_REQUEST = "to_request"
    REQUESTED = "requested"
    COMPLETED = "completed"


class Role(StrEnum):
    CUSTOMER_SERVICE = "customer_service"
    SALES_MANAGER = "sales_manager"
    COMPLIANCE = "compliance"
    LIAISON = "liaison"
    ADMINISTRATOR = "administrator"
