from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chefmentor.db.base import created_at_field, enum_field, fk_field, ts_field, uuid_pk


class UserRole(enum.StrEnum):
    USER = "user"
    ADMIN = "admin"


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.Index("idx_users_email", "email"),
    )

    id: uuid.UUID = uuid_pk()
    email: str = Field(max_length=255, nullable=False)
    name: str = Field(max_length=100, nullable=False)
    role: UserRole = enum_field(UserRole, "user_role", default=UserRole.USER)
    google_sub: str | None = Field(default=None, max_length=255, unique=True)
    picture_url: str | None = Field(default=None, max_length=1024)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class DemoSession(SQLModel, table=True):
    __tablename__ = "demo_sessions"

    id: uuid.UUID = uuid_pk()
    created_at: datetime = created_at_field()
    expires_at: datetime = ts_field(nullable=False, index=True)


class RefreshToken(SQLModel, table=True):
    """Hashed refresh tokens in rotation families (RFC 9700 §4.14.2): reuse revokes the family."""

    __tablename__ = "refresh_tokens"

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID = fk_field("users.id", nullable=False)
    family_id: uuid.UUID = Field(index=True)
    parent_id: uuid.UUID | None = Field(default=None)
    token_hash: str = Field(max_length=64, unique=True)
    issued_at: datetime = created_at_field()
    expires_at: datetime = ts_field(nullable=False)
    used_at: datetime | None = ts_field()
    revoked_at: datetime | None = ts_field()
