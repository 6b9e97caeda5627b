"""API/CLI shapes for cooking sessions, step events, guidance and timers (camelCase on the wire)."""

from __future__ import annotations

import enum
import re
import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, ConfigDict, Field, WithJsonSchema
from pydantic.config import JsonDict

from chefmentor.cooking.models import SessionStatus, StepEventKind
from chefmentor.recipes.models import Heat
from chefmentor.recipes.schemas import RecipeStepRead
from chefmentor.schemas import CamelModel, StrictCamelModel

MAX_STEP_NUMBER = 1000
CLIENT_EVENT_ID_PATTERN = r"^[A-Za-z0-9._:\-]{1,64}$"
TIMER_NAME_MAX = 40
TIMER_MAX_SECONDS = 24 * 3600

MAX_EVENT_DATA_KEYS = 16
EVENT_NOTE_MAX = 500


EXAMPLE_STEP: JsonDict = {
    "stepNumber": 1,
    "title": "Heat the pan",
    "instruction": "Heat a non-stick pan over medium-low heat for 2 minutes.",
    "expectedState": "A drop of water sizzles gently",
    "expectedMinutes": 2.0,
    "heat": "medium_low",
    "timerSeconds": 120,
    "tips": [],
}


class TimerStatus(enum.StrEnum):
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    CANCELLED = "cancelled"


EXTRA_KEY_MAX = 40
EXTRA_VALUE_MAX = 200
EXTRA_NUMBER_MAX = 10**15  # integers past 64 bits are not storable JSON
NO_CONTROL = "^[^\\x00-\\x1f\\x7f]*$"
NO_NUL = "^[^\\x00]*$"
PAUSE_ACTIONS = ("pause", "resume")


def _heat_values() -> list[str]:
    return [heat.value for heat in Heat]


# The keys of a step event's `data` that the server reads; other keys are stored as sent. The diagnosis of a
# linked failure analysis compares `heat` with the recipe's heat and quotes `text` notes (chefmentor.cooking.telemetry).
STEP_EVENT_DATA_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "StepEventData",
    # Written inline by pydantic wherever the field is used; the OpenAPI document names it once (server/openapi.py).
    "x-component": "StepEventData",
    "description": (
        "Telemetry of the step. Keys the server reads: `heat` (the heat the cook is using; it feeds the "
        "session-aware diagnosis), `text` (a note about the step, quoted by the diagnosis), and for "
        "`timer_started`/`timer_finished` events `seconds` and `name` (a named timer starts or finishes). The "
        "server records `action: pause|resume` notes itself when a session is paused or resumed. Other keys "
        f"(at most {MAX_EVENT_DATA_KEYS} in all, 4 KB of JSON) hold a short string, a number, a boolean or null."
    ),
    "properties": {
        # The recipe steps' Heat enum, named once in the OpenAPI components.
        "heat": {"$ref": "#/components/schemas/Heat", "description": "Heat used on this step"},
        "text": {
            "type": "string",
            "maxLength": EVENT_NOTE_MAX,
            "pattern": NO_NUL,
            "description": "The cook's note on this step",
        },
        "seconds": {"type": "integer", "minimum": 1, "maximum": TIMER_MAX_SECONDS, "description": "Timer length"},
        "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": TIMER_NAME_MAX,
            "pattern": NO_CONTROL,
            "description": "Timer name",
        },
        "action": {"type": "string", "enum": list(PAUSE_ACTIONS), "description": "Recorded by the server"},
    },
    "propertyNames": {"minLength": 1, "maxLength": EXTRA_KEY_MAX, "pattern": "^[A-Za-z][A-Za-z0-9_]*$"},
    "additionalProperties": {
        "anyOf": [
            {"type": "string", "maxLength": EXTRA_VALUE_MAX, "pattern": NO_NUL},
            {"type": "number", "minimum": -EXTRA_NUMBER_MAX, "maximum": EXTRA_NUMBER_MAX},
            {"type": "boolean"},
            {"type": "null"},
        ]
    },
    "maxProperties": MAX_EVENT_DATA_KEYS,
    "examples": [{"heat": "medium_high", "text": "edges browning fast"}],
}
_KEY = re.compile(STEP_EVENT_DATA_SCHEMA["propertyNames"]["pattern"])


def _string(value: Any, key: str, *, max_chars: int, min_chars: int = 0, controls: bool = True) -> None:
    if not isinstance(value, str) or not min_chars <= len(value) <= max_chars:
        raise ValueError(f"data.{key} must be a string of {min_chars} to {max_chars} characters")
    if "\x00" in value or (not controls and any(ord(ch) < 32 or ch == "\x7f" for ch in value)):
        raise ValueError(f"data.{key} cannot contain control characters")


def _check_known_keys(data: dict[str, Any]) -> dict[str, Any]:
    """What STEP_EVENT_DATA_SCHEMA promises, checked as written (the cooking service then bounds the size)."""
    for key, value in data.items():
        if key == "heat":
            if value not in _heat_values():
                raise ValueError("data.heat must be one of: " + ", ".join(_heat_values()))
        elif key == "text":
            _string(value, key, max_chars=EVENT_NOTE_MAX)
        elif key == "name":
            _string(value, key, max_chars=TIMER_NAME_MAX, min_chars=1, controls=False)
        elif key == "seconds":
            if isinstance(value, float) and value.is_integer():
                value = data[key] = int(value)  # 600.0 is a JSON integer too
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= TIMER_MAX_SECONDS:
                raise ValueError(f"data.seconds must be a whole number from 1 to {TIMER_MAX_SECONDS}")
        elif key == "action":
            if value not in PAUSE_ACTIONS:
                raise ValueError("data.action must be pause or resume")
        elif not _KEY.match(key) or len(key) > EXTRA_KEY_MAX:
            raise ValueError(f"data keys are identifiers of at most {EXTRA_KEY_MAX} characters")
        elif isinstance(value, str):
            _string(value, key, max_chars=EXTRA_VALUE_MAX)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if not -EXTRA_NUMBER_MAX <= value <= EXTRA_NUMBER_MAX:
                raise ValueError(f"data.{key} must be between -{EXTRA_NUMBER_MAX} and {EXTRA_NUMBER_MAX}")
        elif value is not None and not isinstance(value, bool):
            raise ValueError(f"data.{key} must be a string, a number, a boolean or null")
    return data


StepEventData = Annotated[
    dict[str, Any],
    Field(max_length=MAX_EVENT_DATA_KEYS),
    AfterValidator(_check_known_keys),
    WithJsonSchema(STEP_EVENT_DATA_SCHEMA),
]


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
    data: Annotated[dict[str, Any], WithJsonSchema(STEP_EVENT_DATA_SCHEMA)] = Field(default_factory=dict)


class CookingSessionRead(CamelModel):
    """A cooking session with where the cook is now (the current step) and its timers."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b8f5a52-6d1e-4f7a-8c3b-91d2e4f5a6b7",
                    "recipeId": "6f1c2a8e-3b0d-4c55-9a51-2f7e8d9c1a42",
                    "recipeName": "Fluffy Pancakes",
                    "status": "in_progress",
                    "currentStep": 1,
                    "totalSteps": 5,
                    "startedAt": "2026-01-01T12:00:00Z",
                    "completedAt": None,
                    "pausedAt": None,
                    "updatedAt": "2026-01-01T12:00:00Z",
                    "step": EXAMPLE_STEP,
                    "nextStep": None,
                    "timers": [],
                }
            ]
        }
    )

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
    model_config = ConfigDict(json_schema_extra={"examples": [{"recipeId": "6f1c2a8e-3b0d-4c55-9a51-2f7e8d9c1a42"}]})

    recipe_id: uuid.UUID
    started_at: AwareDatetime | None = Field(
        default=None,
        description=(
            "When the cook began (default: now). An app that cooked offline sends the real start, up to 7 days "
            "back, then replays each step event with its own `at`."
        ),
    )


class StepEventCreate(StrictCamelModel):
    """A step boundary seen by the app, with optional telemetry in `data` (see StepEventData)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sessionId": "0b8f5a52-6d1e-4f7a-8c3b-91d2e4f5a6b7",
                    "stepNumber": 1,
                    "event": "completed",
                    "at": "2026-01-01T12:04:30Z",
                    "data": {"heat": "medium_high", "text": "edges browning fast"},
                    "eventId": "evt-1-completed",
                }
            ]
        }
    )

    session_id: uuid.UUID
    step_number: int = Field(ge=1, le=MAX_STEP_NUMBER)
    event: StepEventKind
    at: AwareDatetime | None = Field(
        default=None,
        description=(
            "When it happened (default: when the server receives it), with a timezone. An app that cooked "
            "offline replays the cook by sending each event's own time: any time from the session's startedAt "
            "(5 minutes of clock skew allowed) up to now is accepted, and step durations in the diagnosis "
            "come from these times."
        ),
    )
    data: StepEventData | None = None
    event_id: str | None = Field(
        default=None,
        pattern=CLIENT_EVENT_ID_PATTERN,
        description="Idempotency key chosen by the app: a repeated eventId returns the first answer",
    )


class TimerCreate(StrictCamelModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"name": "pasta", "seconds": 600, "stepNumber": 2}]})

    # Whitespace runs collapse to one space; other control characters are refused (chefmentor.cooking.timers).
    name: str | None = Field(
        default=None, min_length=1, max_length=TIMER_NAME_MAX, pattern=r"^[^\x00-\x08\x0e-\x1b\x7f]*$"
    )
    seconds: int = Field(ge=1, le=TIMER_MAX_SECONDS)
    step_number: int | None = Field(default=None, ge=1, le=MAX_STEP_NUMBER)


class GotoStep(StrictCamelModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"stepNumber": 3}]})

    step_number: int = Field(ge=1, le=MAX_STEP_NUMBER)
