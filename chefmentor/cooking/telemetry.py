"""Per-step telemetry of a cook (actual vs expected minutes and heat) for the diagnosis engine.

Actual minutes of a step run from its first `started` event (or, when the app never sent one, the end
of the previous step / the session start) to its last `completed` event; when the cook moved on
without completing, the first `started` of a later step closes it. Time spent paused (the pause/resume
marks that pause_cooking/resume_cooking record as `note` events) is subtracted.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.ai.types import StepTelemetry
from chefmentor.cooking.models import CookingSession, CookingStepEvent, StepEventKind
from chefmentor.cooking.state import SESSION_NOT_FOUND
from chefmentor.errors import NotFoundError
from chefmentor.recipes.service import load_recipe_steps

MAX_NOTES_PER_STEP = 10
PAUSE = "pause"
RESUME = "resume"


def _pauses(events: list[CookingStepEvent], ended_at: datetime | None) -> list[tuple[datetime, datetime]]:
    """Paused intervals from the pause/resume marks; a pause never resumed lasts until the session ended."""
    intervals: list[tuple[datetime, datetime]] = []
    opened: datetime | None = None
    for event in events:
        action = event.data.get("action") if isinstance(event.data, dict) else None
        if StepEventKind(event.event) is not StepEventKind.NOTE or action not in (PAUSE, RESUME):
            continue
        if action == PAUSE and opened is None:
            opened = event.at
        elif action == RESUME and opened is not None:
            intervals.append((opened, event.at))
            opened = None
    if opened is not None and ended_at is not None:
        intervals.append((opened, ended_at))
    return intervals


def _minutes(start: datetime, end: datetime, pauses: list[tuple[datetime, datetime]]) -> float:
    paused = sum(max(0.0, (min(end, stop) - max(start, begin)).total_seconds()) for begin, stop in pauses)
    return round(max(0.0, (end - start).total_seconds() - paused) / 60.0, 2)


async def load_step_telemetry(
    session: AsyncSession, *, cooking_session_id: uuid.UUID, actor: Actor
) -> list[StepTelemetry]:
    """One StepTelemetry per recipe step of the actor's session; another actor's session is NOT_FOUND."""
    cook = (
        await session.execute(
            select(CookingSession).where(
                col(CookingSession.id) == cooking_session_id, actor.owner_filter(CookingSession)
            )
        )
    ).scalar_one_or_none()
    if cook is None:
        raise NotFoundError(SESSION_NOT_FOUND)
    steps = await load_recipe_steps(session, cook.recipe_id)
    events = list(
        await session.scalars(
            select(CookingStepEvent)
            .where(col(CookingStepEvent.session_id) == cook.id)
            .order_by(col(CookingStepEvent.at), col(CookingStepEvent.created_at))
        )
    )
    return build_step_telemetry(
        [(s.step_number, s.instruction, s.expected_state, s.expected_minutes, s.heat) for s in steps],
        events,
        started_at=cook.started_at,
        ended_at=cook.completed_at,
    )


def build_step_telemetry(
    steps: list[tuple[int, str, str | None, float | None, object]],
    events: list[CookingStepEvent],
    *,
    started_at: datetime,
    ended_at: datetime | None,
) -> list[StepTelemetry]:
    """Pure part of load_step_telemetry: events must be sorted by time."""
    by_step: dict[int, list[CookingStepEvent]] = defaultdict(list)
    for event in events:
        by_step[event.step_number].append(event)
    starts = [(e.at, e.step_number) for e in events if StepEventKind(e.event) is StepEventKind.STARTED]
    pauses = _pauses(events, ended_at)
    out: list[StepTelemetry] = []
    previous_end: datetime | None = started_at
    for number, instruction, expected_state, expected_minutes, heat in steps:
        own = by_step.get(number, [])
        kinds = [StepEventKind(e.event) for e in own]
        began = next((e.at for e, k in zip(own, kinds, strict=True) if k is StepEventKind.STARTED), None)
        finished = [e.at for e, k in zip(own, kinds, strict=True) if k is StepEventKind.COMPLETED]
        skipped = StepEventKind.SKIPPED in kinds and not finished
        start = began or (previous_end if finished else None)
        end: datetime | None = None
        if finished and start is not None:
            end = max(finished)
        elif start is not None and not skipped:
            end = next((at for at, other in starts if other != number and at > start), None) or ended_at
        actual = _minutes(start, end, pauses) if start is not None and end is not None and not skipped else None
        heats = [e.data["heat"] for e in own if isinstance(e.data, dict) and isinstance(e.data.get("heat"), str)]
        notes = tuple(
            str(e.data["text"])
            for e in own
            if isinstance(e.data, dict) and isinstance(e.data.get("text"), str) and e.data["text"].strip()
        )[:MAX_NOTES_PER_STEP]
        out.append(
            StepTelemetry(
                step_number=number,
                instruction=instruction,
                expected_state=expected_state,
                expected_minutes=expected_minutes,
                actual_minutes=actual,
                expected_heat=getattr(heat, "value", heat) if heat is not None else None,  # type: ignore[arg-type]
                actual_heat=heats[-1] if heats else None,
                skipped=skipped,
                notes=notes,
            )
        )
        if end is not None:
            previous_end = end
        elif skipped:
            previous_end = max(e.at for e in own)
    return out
