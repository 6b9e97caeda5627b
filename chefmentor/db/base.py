"""Shared metadata (with a naming convention so Alembic batch mode can alter SQLite constraints)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chefmentor.db.types import JSONType, UTCDateTime, enum_column, utcnow

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = SQLModel.metadata


def uuid_pk() -> Any:
    return Field(default_factory=uuid.uuid4, primary_key=True)


def created_at_field(*, index: bool = False) -> Any:
    return Field(default_factory=utcnow, sa_column=sa.Column(UTCDateTime, nullable=False, index=index))


def ts_field(*, nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_column=sa.Column(UTCDateTime, nullable=nullable, index=index))


def json_field(*, default_factory: Any = dict, nullable: bool = False) -> Any:
    return Field(default_factory=default_factory, sa_column=sa.Column(JSONType, nullable=nullable))


def enum_field(enum_cls: type[enum.Enum], name: str, *, default: Any = None, nullable: bool = False) -> Any:
    return Field(default=default, sa_column=enum_column(enum_cls, name, nullable=nullable))


def fk_field(target: str, *, nullable: bool = True, ondelete: str = "CASCADE", index: bool = True) -> Any:
    return Field(
        default=None,
        sa_column=sa.Column(sa.Uuid(), sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index),
    )


__all__ = [
    "SQLModel",
    "Field",
    "created_at_field",
    "datetime",
    "enum_field",
    "fk_field",
    "json_field",
    "metadata",
    "ts_field",
    "uuid_pk",
]
