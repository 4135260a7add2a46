"""Customers and their supply points."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, code_column
from db.types import Money
from protocol.codes import Commodity, CustomerKind


class Customer(Base):
    """A person or organisation that holds (or is said to hold) a supply contract."""

    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CustomerKind] = code_column(CustomerKind, name="customer_kind")
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    company_name: Mapped[str | None] = mapped_column(String(200))
    fiscal_code: Mapped[str] = mapped_column(String(16), index=True)
    vat_number: Mapped[str | None] = mapped_column(String(11))
    phone_e164: Mapped[str] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    vulnerable: Mapped[bool] = mapped_column(default=False)
    employees: Mapped[int | None]
    turnover_eur: Mapped[Decimal | None] = mapped_column(Money())
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(5))
    city: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(2))
    created_at: Mapped[datetime]

    @property
    def display_name(self) -> str:
        if self.company_name:
            return self.company_name
        return f"{self.first_name or ''} {self.last_name or ''}".strip()


class SupplyPoint(Base):
    """A POD (electricity) or PDR (gas): the meter point a contract supplies."""

    __tablename__ = "supply_points"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(15), unique=True)
    commodity: Mapped[Commodity] = code_column(Commodity, name="commodity")
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    street: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(5))
    city: Mapped[str] = mapped_column(String(100))
    province: Mapped[str] = mapped_column(String(2))
    distributor: Mapped[str | None] = mapped_column(String(120))
