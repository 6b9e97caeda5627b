from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chefmentor.db.base import created_at_field, enum_field, fk_field, json_field, ts_field, uuid_pk


class AnalysisStatus(enum.StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"


class FailureAnalysis(SQLModel, table=True):
    """One diagnosis. The AI part (category .. attempts) is written once and never updated."""

    __tablename__ = "failure_analyses"

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID | None = fk_field("users.id")
    demo_session_id: uuid.UUID | None = fk_field("demo_sessions.id")
    cooking_session_id: uuid.UUID | None = fk_field("cooking_sessions.id", ondelete="SET NULL")
    media_url: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    media_kind: str | None = Field(default=None, max_length=16)
    media_meta: dict[str, Any] = json_field()
    dish: str | None = Field(default=None, max_length=150)
    cook_notes: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    status: AnalysisStatus = enum_field(AnalysisStatus, "analysis_status", default=AnalysisStatus.PENDING)
    category: str | None = Field(default=None, max_length=32, index=True)
    confidence: float | None = None
    root_cause: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    explanation: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))
    diagnosis: dict[str, Any] = json_field()
    provider: str | None = Field(default=None, max_length=32)
    model: str | None = Field(default=None, max_length=100)
    attempts: list[dict[str, Any]] = json_field(default_factory=list)
    created_at: datetime = created_at_field(index=True)
    diagnosed_at: datetime | None = ts_field()


class AnalysisNote(SQLModel, table=True):
    __tablename__ = "analysis_notes"

    id: uuid.UUID = uuid_pk()
    analysis_id: uuid.UUID = fk_field("failure_analyses.id", nullable=False)
    text: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()
