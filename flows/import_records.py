"""Write one validated import record: customer, supply point and contract, with its event."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.events import record_event
from db.models import Agency, Agent, Contract, Customer, ImportReject, Offer, SupplyPoint
from protocol.codes import ContractState
from protocol.contract_record import ContractRecord
from protocol.field_errors import Problem


class WriteOutcome(Enum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


class RecordWriter:
    """Saves records in the caller's transaction; lookups of code tables are cached."""

    def __init__(self, session: Session, *, now: datetime, actor: str, rule_set_version: str, source: str) -> None:
        self.session = session
        self.now = now
        self.actor = actor
        self.rule_set_version = rule_set_version
        self.source = source
        self._ids: dict[tuple[type, str], int | None] = {}

    def write(self, *, record: ContractRecord, record_sha256: str, line_no: int) -> WriteOutcome | tuple[Problem, ...]:
        """Save ``record``; returns the outcome, or the problems that make it a reject."""
        existing = self.session.execute(
            select(Contract).where(Contract.external_id == record.external_id)
        ).scalar_one_or_none()
        if existing is not None and existing.source_sha256 == record_sha256:
            return WriteOutcome.UNCHANGED
        if existing is not None and not existing.state.correctable_by_import:
            return (Problem(
                field="external_id",
                reason=f"contract {record.external_id} is already {existing.state.value}; "
                "a correction now goes through customer service",
            ),)
        supply_point = self.session.execute(
            select(SupplyPoint).where(SupplyPoint.code == record.supply_point)
        ).scalar_one_or_none()
        clash = self._live_contract_on(supply_point, other_than=record.external_id)
        if clash is not None:
            return (Problem(
                field="supply_point",
                reason=f"{record.supply_point} already has a live contract {clash.external_id} "
                f"({clash.state.value})",
            ),)
        customer = self._customer(record)
        supply_point = self._supply_point(record, supply_point, customer)
        if existing is None:
            contract = self._create(record, record_sha256, customer, supply_point)
            record_event(self.session, contract=contract, kind="received", actor=self.actor,
                         reason=f"imported from {self.source} line {line_no}", occurred_at=self.now,
                         effective_on=record.signed_on, to_state=ContractState.RECEIVED.value,
                         payload={"source": self.source, "line": line_no}, rule_set_version=self.rule_set_version)
            outcome = WriteOutcome.CREATED
        else:
            contract = existing
            previous_state = contract.state
            self._apply(contract, record, record_sha256, customer, supply_point)
            contract.state = ContractState.RECEIVED
            self.session.flush()
            record_event(self.session, contract=contract, kind="corrected", actor=self.actor,
                         reason=f"corrected record re-imported from {self.source} line {line_no}; "
                         "intake will check it again", occurred_at=self.now, effective_on=record.signed_on,
                         from_state=previous_state.value, to_state=ContractState.RECEIVED.value,
                         payload={"source": self.source, "line": line_no}, rule_set_version=self.rule_set_version)
            outcome = WriteOutcome.UPDATED
        self.session.execute(
            update(ImportReject)
            .where(ImportReject.external_id == record.external_id, ImportReject.resolved_at.is_(None))
            .values(resolved_at=self.now, resolved_by_contract_id=contract.id)
        )
        return outcome

    def _live_contract_on(self, supply_point: SupplyPoint | None, *, other_than: str) -> Contract | None:
        if supply_point is None:
            return None
        for contract in self.session.execute(
            select(Contract).where(Contract.supply_point_id == supply_point.id, Contract.external_id != other_than)
        ).scalars():
            if not contract.state.is_final:
                return contract
        return None

    def _customer(self, record: ContractRecord) -> Customer:
        data = record.customer
        customer = self.session.execute(
            select(Customer).where(Customer.fiscal_code == data.fiscal_code, Customer.kind == data.kind)
            .order_by(Customer.id.desc()).limit(1)
        ).scalar_one_or_none()
        if customer is None:
            customer = Customer(kind=data.kind, fiscal_code=data.fiscal_code, created_at=self.now)
            self.session.add(customer)
        customer.first_name, customer.last_name = data.first_name, data.last_name
        customer.company_name, customer.vat_number = data.company_name, data.vat_number
        customer.phone_e164, customer.email, customer.vulnerable = data.phone, data.email, data.vulnerable
        customer.employees, customer.turnover_eur = data.employees, data.turnover_eur
        customer.street, customer.postcode = data.address.street, data.address.postcode
        customer.city, customer.province = data.address.city, data.address.province
        self.session.flush()
        return customer

    def _supply_point(self, record: ContractRecord, supply_point: SupplyPoint | None, customer: Customer) -> SupplyPoint:
        address = record.customer.address
        if supply_point is None:
            supply_point = SupplyPoint(code=record.supply_point, commodity=record.commodity)
            self.session.add(supply_point)
        supply_point.customer_id = customer.id
        supply_point.street, supply_point.postcode = address.street, address.postcode
        supply_point.city, supply_point.province = address.city, address.province
        self.session.flush()
        return supply_point

    def _create(self, record, record_sha256, customer, supply_point) -> Contract:
        contract = Contract(external_id=record.external_id, state=ContractState.RECEIVED, on_hold=False,
                            rule_set_version=self.rule_set_version, created_at=self.now)
        self._apply(contract, record, record_sha256, customer, supply_point)
        self.session.add(contract)
        self.session.flush()
        return contract

    def _apply(self, contract: Contract, record: ContractRecord, record_sha256: str, customer, supply_point) -> None:
        contract.customer_id, contract.supply_point_id = customer.id, supply_point.id
        contract.offer_code, contract.offer_id = record.offer_code, self._id(Offer, Offer.code, record.offer_code)
        contract.agency_code = record.agency_code
        contract.agency_id = self._id(Agency, Agency.code, record.agency_code)
        contract.agent_badge = record.agent_badge
        contract.agent_id = self._id(Agent, Agent.badge, record.agent_badge)
        contract.channel, contract.commodity = record.channel, record.commodity
        contract.signed_on, contract.early_execution = record.signed_on, record.early_execution
        contract.annual_consumption, contract.previous_supplier = record.annual_consumption, record.previous_supplier
        contract.payment_method, contract.iban = record.payment.method, record.payment.iban
        contract.source_sha256, contract.updated_at = record_sha256, self.now

    def _id(self, model: type, column, value: str | None) -> int | None:
        if value is None:
            return None
        key = (model, value)
        if key not in self._ids:
            self._ids[key] = self.session.execute(select(model.id).where(column == value)).scalar_one_or_none()
        return self._ids[key]
