from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chefmentor.db.base import created_at_field, enum_field, fk_field, json_field, ts_field, uuid_pk


class SessionStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class StepEventKind(enum.StrEnum):
    STARTED = "started"
    COMPLETED = "completed"
    SKIPPED = "skipped"
    TIMER_STARTED = "timer_started"
    TIMER_FINISHED = "timer_finished"
    NOTE = "note"


class CookingSession(SQLModel, table=True):
    __tablename__ = "cooking_sessions"

    id: uuid.UUID = uuid_pk()
    user_id: uuid.UUID | None = fk_field("users.id")
    demo_session_id: uuid.UUID | None = fk_field("demo_sessions.id")
    recipe_id: uuid.UUID = fk_field("recipes.id", nullable=False)
    started_at: datetime = created_at_field()
    completed_at: datetime | None = ts_field()
    status: SessionStatus = enum_field(SessionStatus, "cooking_status", default=SessionStatus.IN_PROGRESS)
    current_step: int = Field(default=1)
    paused_at: datetime | None = ts_field()
    timers: list[dict[str, Any]] = json_field(default_factory=list)
    updated_at: datetime = created_at_field()


class CookingStepEvent(SQLModel, table=True):
    """Step telemetry: what happened when, so a later diagnosis can compare actual with expected."""

    __tablename__ = "cooking_step_events"
    __table_args__ = (
        sa.UniqueConstraint("session_id", "client_event_id", name="uq_cooking_step_events_session_client"),
        sa.Index("ix_cooking_step_events_session_step", "session_id", "step_number"),
    )

    id: uuid.UUID = uuid_pk()
    session_id: uuid.UUID = fk_field("cooking_sessions.id", nullable=False, index=False)
    step_number: int
    event: StepEventKind = enum_field(StepEventKind, "step_event_kind")
    at: datetime = created_at_field()
    client_event_id: str | None = Field(default=None, max_length=64)
    data: dict[str, Any] = json_field()
    created_at: datetime = created_at_field()
    # The guidance answered when the event was first recorded: a repeated eventId answers it again verbatim.
    answer: dict[str, Any] | None = json_field(default_factory=lambda: None, nullable=True)
