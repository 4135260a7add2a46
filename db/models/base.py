"""Declarative base, naming convention and the column helpers every model uses."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Date, Enum, MetaData, String
from sqlalchemy.orm import DeclarativeBase, mapped_column

from db.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        date: Date(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
        str: String(255),
    }


def code_column(enum: type[StrEnum], *, name: str, **kwargs: Any) -> Any:
    """A column holding one value of a code table, as VARCHAR with a CHECK constraint.

    Portable across SQLite and PostgreSQL and cheap to extend (no ALTER TYPE).
    """
    return mapped_column(
        Enum(
            enum,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(len(v.value) for v in enum) + 8,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        **kwargs,
    )
