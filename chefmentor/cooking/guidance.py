"""Step guidance: where an event leaves the cook, and what the app or voice loop should say next."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from typing import Any

import orjson

from chefmentor.cooking.models import StepEventKind
from chefmentor.cooking.schemas import CookingSessionRead, GuidanceRead, StepEventRead
from chefmentor.cooking.state import SessionState
from chefmentor.cooking.timers import timer_views
from chefmentor.errors import ValidationError
from chefmentor.recipes.models import Heat
from chefmentor.recipes.schemas import RecipeRead, RecipeStepRead

MAX_EVENT_DATA_BYTES = 4096
MAX_NOTE_CHARS = 500
CLOCK_SKEW = timedelta(minutes=5)
STEP_EVENTS = frozenset({StepEventKind.STARTED, StepEventKind.COMPLETED, StepEventKind.SKIPPED})


def step_at(recipe: RecipeRead, number: int) -> RecipeStepRead | None:
    if 1 <= number <= len(recipe.steps):
        step = recipe.steps[number - 1]
        if step.step_number == number:
            return step
    return next((s for s in recipe.steps if s.step_number == number), None)


def check_step_number(recipe: RecipeRead, number: int) -> RecipeStepRead:
    """Steps are numbered 1..N; anything else is a validation error, not a silent clamp."""
    step = step_at(recipe, number)
    if step is None:
        raise ValidationError(f"Step {number} is out of range: this recipe has steps 1 to {len(recipe.steps)}")
    return step


def step_after_event(event: StepEventKind, step_number: int, current: int, total: int) -> int:
    """started N → on N; completed/skipped N → on N+1 (stays on the last step); other events → unchanged."""
    if event is StepEventKind.STARTED:
        return step_number
    if event in (StepEventKind.COMPLETED, StepEventKind.SKIPPED):
        return min(step_number + 1, total)
    return current


def all_done(event: StepEventKind | None, step_number: int, total: int) -> bool:
    return event in (StepEventKind.COMPLETED, StepEventKind.SKIPPED) and step_number >= total


_HEAT_WORDS = {
    "off": Heat.OFF,
    "low": Heat.LOW,
    "medium low": Heat.MEDIUM_LOW,
    "medium": Heat.MEDIUM,
    "med": Heat.MEDIUM,
    "medium high": Heat.MEDIUM_HIGH,
    "high": Heat.HIGH,
    "oven": Heat.OVEN,
}


def normalize_heat(value: Any) -> str:
    """Accept "medium-high", "Medium High", "medium_high"; refuse anything outside the Heat scale."""
    if not isinstance(value, str):
        raise ValidationError("data.heat must be a string like 'low', 'medium' or 'high'")
    words = re.sub(r"[\s_\-]+", " ", value.strip().lower())
    heat = _HEAT_WORDS.get(words)
    if heat is None:
        allowed = ", ".join(h.value for h in Heat)
        raise ValidationError(f"data.heat {value[:20]!r} is not one of: {allowed}")
    return heat.value


def _reject_nul(value: Any, depth: int = 0) -> None:
    # PostgreSQL JSONB cannot store \u0000 and deep nesting is a resource-consumption vector (API4).
    if depth > 4:
        raise ValidationError("data is nested too deeply")
    if isinstance(value, str):
        if "\x00" in value:
            raise ValidationError("data cannot contain NUL characters")
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key, depth + 1)
            _reject_nul(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _reject_nul(item, depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValidationError("data numbers must be finite")


def clean_event_data(event: StepEventKind, data: dict[str, Any] | None) -> dict[str, Any]:
    """Bound and normalise the free-form event data (size, NUL, heat scale, note and timer fields)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationError("data must be an object")
    _reject_nul(data)
    try:
        size = len(orjson.dumps(data))
    except (TypeError, orjson.JSONEncodeError):
        raise ValidationError("data must be plain JSON") from None
    if size > MAX_EVENT_DATA_BYTES:
        raise ValidationError(f"data is at most {MAX_EVENT_DATA_BYTES} bytes of JSON")
    clean = dict(data)
    if "heat" in clean and clean["heat"] is not None:
        clean["heat"] = normalize_heat(clean["heat"])
    text = clean.get("text")
    if text is not None and (not isinstance(text, str) or len(text) > MAX_NOTE_CHARS):
        raise ValidationError(f"data.text must be a string of at most {MAX_NOTE_CHARS} characters")
    if event is StepEventKind.TIMER_STARTED and "seconds" in clean:
        seconds = clean["seconds"]
        if isinstance(seconds, bool) or not isinstance(seconds, int):
            raise ValidationError("data.seconds must be a whole number of seconds")
    name = clean.get("name")
    if name is not None and not isinstance(name, str):
        raise ValidationError("data.name must be a string")
    return clean


def check_event_time(at: datetime | None, *, now: datetime, started_at: datetime) -> datetime:
    """Client times are accepted within the session's life (plus clock skew); naive times are refused."""
    if at is None:
        return now
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError("at must include a timezone, e.g. 2026-01-01T12:00:00Z")
    if at > now + CLOCK_SKEW:
        raise ValidationError("at is in the future")
    if at < started_at - CLOCK_SKEW:
        raise ValidationError("at is before the session started")
    return at


def build_guidance(
    state: SessionState,
    recipe: RecipeRead,
    *,
    now: datetime,
    event: StepEventRead | None = None,
) -> GuidanceRead:
    """The cook's current step, how it should look, the next step and the timers."""
    total = len(recipe.steps)
    current = step_at(recipe, state.current_step) or recipe.steps[-1]
    done = event is not None and all_done(event.event, event.step_number, total)
    return GuidanceRead(
        session_id=state.id,
        status=state.status,
        event=event,
        current_step=current,
        expected_state=current.expected_state,
        next_step=step_at(recipe, current.step_number + 1),
        total_steps=total,
        all_steps_done=done,
        paused=state.paused_at is not None,
        timers=timer_views(state.timers, now=now, paused_at=state.paused_at),
    )


def session_read(state: SessionState, recipe: RecipeRead, *, now: datetime) -> CookingSessionRead:
    step = step_at(recipe, state.current_step)
    return CookingSessionRead(
        id=state.id,
        recipe_id=state.recipe_id,
        recipe_name=recipe.name,
        status=state.status,
        current_step=state.current_step,
        total_steps=len(recipe.steps),
        started_at=state.started_at,
        completed_at=state.completed_at,
        paused_at=state.paused_at,
        updated_at=state.updated_at,
        step=step,
        next_step=step_at(recipe, state.current_step + 1) if step else None,
        timers=timer_views(state.timers, now=now, paused_at=state.paused_at),
    )
