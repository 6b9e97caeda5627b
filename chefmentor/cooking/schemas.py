"""API/CLI shapes for cooking sessions, step events, guidance and timers (camelCase on the wire)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, Field

from chefmentor.cooking.models import SessionStatus, StepEventKind
from chefmentor.recipes.schemas import RecipeStepRead
from chefmentor.schemas import CamelModel, StrictCamelModel

MAX_STEP_NUMBER = 1000
CLIENT_EVENT_ID_PATTERN = r"^[A-Za-z0-9._:\-]{1,64}$"
TIMER_NAME_MAX = 40
TIMER_MAX_SECONDS = 24 * 3600

TimerStatus = Literal["running", "paused", "finished", "cancelled"]


class TimerRead(CamelModel):
    name: str
    seconds: int
    step_number: int | None = None
    started_at: datetime
    ends_at: datetime
    remaining_seconds: float
    status: TimerStatus


class StepEventRead(CamelModel):
    id: uuid.UUID
    step_number: int
    event: StepEventKind
    at: datetime
    event_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)


class CookingSessionRead(CamelModel):
    """A cooking session with where the cook is now (the current step) and its timers."""

    id: uuid.UUID
    recipe_id: uuid.UUID
    recipe_name: str
    status: SessionStatus
    current_step: int
    total_steps: int
    started_at: datetime
    completed_at: datetime | None = None
    paused_at: datetime | None = None
    updated_at: datetime
    step: RecipeStepRead | None = None
    next_step: RecipeStepRead | None = None
    timers: list[TimerRead] = Field(default_factory=list)


class CookingSessionSummary(CamelModel):
    id: uuid.UUID
    recipe_id: uuid.UUID
    recipe_name: str
    status: SessionStatus
    current_step: int
    total_steps: int
    started_at: datetime
    completed_at: datetime | None = None


class CookingSessionPage(CamelModel):
    items: list[CookingSessionSummary]
    total: int
    limit: int
    offset: int


class GuidanceRead(CamelModel):
    """What to do now: the step the cook is on, how it should look, and what comes next."""

    session_id: uuid.UUID
    status: SessionStatus
    event: StepEventRead | None = None
    current_step: RecipeStepRead
    expected_state: str | None = None
    next_step: RecipeStepRead | None = None
    total_steps: int
    all_steps_done: bool = False
    paused: bool = False
    timers: list[TimerRead] = Field(default_factory=list)


class CookingStart(StrictCamelModel):
    recipe_id: uuid.UUID


class StepEventCreate(StrictCamelModel):
    session_id: uuid.UUID
    step_number: int = Field(ge=1, le=MAX_STEP_NUMBER)
    event: StepEventKind
    at: AwareDatetime | None = None
    data: dict[str, Any] | None = Field(default=None, max_length=16)
    event_id: str | None = Field(default=None, pattern=CLIENT_EVENT_ID_PATTERN)


class TimerCreate(StrictCamelModel):
    name: str | None = Field(default=None, min_length=1, max_length=TIMER_NAME_MAX)
    seconds: int = Field(ge=1, le=TIMER_MAX_SECONDS)
    step_number: int | None = Field(default=None, ge=1, le=MAX_STEP_NUMBER)


class GotoStep(StrictCamelModel):
    step_number: int = Field(ge=1, le=MAX_STEP_NUMBER)
