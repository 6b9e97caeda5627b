"""Cooking sessions: start, step events with guidance, history, complete/abandon.

Public API used by the server, the CLI `cook` command, the voice loop and the TUI. Navigation, timers
and pause/resume live in chefmentor.cooking.navigation on top of `apply_change` below.

`record_step_event` decides on the cached snapshot and the cached recipe, then writes in one transaction
guarded by the snapshot's version (chefmentor/cooking/state.py): a stale snapshot writes nothing and is
decided again from the database. Every answer is given after the commit returned.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.audit.service import record_audit
from chefmentor.cache import Cache
from chefmentor.clock import Clock
from chefmentor.cooking.changes import (
    MAX_ATTEMPTS,
    Change,
    NewEvent,
    apply_change,
    event_kind,
    event_row,
    load_recipe,
)
from chefmentor.cooking.guidance import (
    CLOCK_SKEW,
    build_guidance,
    check_event_time,
    check_step_number,
    clean_event_data,
    session_read,
    step_after_event,
)
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus, StepEventKind
from chefmentor.cooking.schemas import (
    CLIENT_EVENT_ID_PATTERN,
    CookingSessionPage,
    CookingSessionRead,
    CookingSessionSummary,
    GuidanceRead,
)
from chefmentor.cooking.state import (
    SessionState,
    StaleSessionError,
    owned_state,
    remember,
    require_in_progress,
    save_event,
    write_lock,
)
from chefmentor.cooking.timers import add_timer, cancel_all, finish_timer
from chefmentor.errors import ConflictError, ValidationError
from chefmentor.paging import check_page
from chefmentor.recipes.schemas import RecipeRead

MAX_ACTIVE_SESSIONS = 20
MAX_REPLAY_AGE = timedelta(days=7)


def _start_time(started_at: datetime | None, now: datetime) -> datetime:
    """A cook recorded offline starts when it really began (up to a week back), so its events' times fit."""
    if started_at is None:
        return now
    if started_at.tzinfo is None or started_at.utcoffset() is None:
        raise ValidationError("startedAt must include a timezone, e.g. 2026-01-01T12:00:00Z")
    if started_at > now + CLOCK_SKEW:
        raise ValidationError("startedAt is in the future")
    if started_at < now - MAX_REPLAY_AGE:
        raise ValidationError(f"startedAt is at most {MAX_REPLAY_AGE.days} days ago")
    return min(started_at, now)


_EVENT_ID_RE = re.compile(CLIENT_EVENT_ID_PATTERN)


async def start_cooking(
    session: AsyncSession,
    *,
    actor: Actor,
    recipe_id: uuid.UUID,
    cache: Cache,
    clock: Clock,
    request_id: str | None = None,
    started_at: datetime | None = None,
) -> CookingSessionRead:
    """Start a session on an existing recipe at step 1; an actor keeps at most 20 sessions in progress.

    `started_at` (default now) lets an app that cooked offline replay the cook with each event's own time."""
    recipe = await load_recipe(session, recipe_id, cache=cache)
    if not recipe.steps:
        raise ValidationError("This recipe has no steps to cook")
    active = await session.scalar(
        select(func.count())
        .select_from(CookingSession)
        .where(actor.owner_filter(CookingSession), col(CookingSession.status) == SessionStatus.IN_PROGRESS)
    )
    if int(active or 0) >= MAX_ACTIVE_SESSIONS:
        raise ConflictError(
            f"You already have {MAX_ACTIVE_SESSIONS} sessions in progress: complete or abandon one first"
        )
    now = clock.now()
    row = CookingSession(
        user_id=actor.user_id,
        demo_session_id=actor.demo_session_id,
        recipe_id=recipe.id,
        started_at=_start_time(started_at, now),
        updated_at=now,
        status=SessionStatus.IN_PROGRESS,
        current_step=recipe.steps[0].step_number,
        timers=[],
    )
    session.add(row)
    record_audit(
        session,
        entity="cooking_session",
        action="started",
        entity_id=row.id,
        actor=actor,
        request_id=request_id,
        details={"recipeId": str(recipe.id)},
    )
    await session.commit()
    state = SessionState.from_row(row)
    await remember(cache, state)
    return session_read(state, recipe, now=now)


def _check_client_event_id(client_event_id: str | None) -> None:
    if client_event_id is not None and not _EVENT_ID_RE.fullmatch(client_event_id):
        raise ValidationError("eventId must be 1-64 characters of letters, digits and . _ : -")


async def record_step_event(
    session: AsyncSession,
    *,
    actor: Actor,
    session_id: uuid.UUID,
    step_number: int,
    event: StepEventKind | str,
    at: datetime | None = None,
    data: dict[str, Any] | None = None,
    client_event_id: str | None = None,
    cache: Cache,
    clock: Clock,
) -> GuidanceRead:
    """Record one step event on the actor's in-progress session and return guidance, after the commit; a
    repeated eventId returns the stored event's first answer and writes nothing, however many arrive at once."""
    kind = event_kind(event)
    _check_client_event_id(client_event_id)
    cached = True
    for _attempt in range(MAX_ATTEMPTS):
        state = await owned_state(session, cache=cache, actor=actor, session_id=session_id, cached=cached)
        if client_event_id is not None and state.status is not SessionStatus.IN_PROGRESS:
            replayed = await _stored_answer(session, state.id, client_event_id, kind, step_number)
            if replayed is not None:
                return replayed
        require_in_progress(state)
        recipe = await load_recipe(session, state.recipe_id, cache=cache)
        check_step_number(recipe, step_number)
        now = clock.now()
        when = check_event_time(at, now=now, started_at=state.started_at)
        clean = clean_event_data(kind, data)
        new = state.copy(
            current_step=step_after_event(kind, step_number, state.current_step, len(recipe.steps)),
            updated_at=now,
        )
        timers_changed = _apply_timer_event(new, kind, clean, step_number=step_number, now=now)
        recorded = NewEvent(step_number, kind, when, clean, client_event_id)
        changed = timers_changed or new.current_step != state.current_step
        if not changed:
            new.updated_at = state.updated_at  # nothing but the event changes: no UPDATE, the row stays as is
        guidance = build_guidance(new, recipe, now=now, event=recorded.read())
        row = event_row(state.id, recorded, now)
        if client_event_id is not None:
            row["answer"] = guidance.model_dump(mode="json", by_alias=True)
        try:
            async with write_lock(session):
                await save_event(
                    session, new=new, event_row=row, state_changed=changed, previous_updated_at=state.updated_at
                )
                await session.commit()
        except IntegrityError:
            await session.rollback()
            replayed = None
            if client_event_id is not None:
                replayed = await _stored_answer(session, state.id, client_event_id, kind, step_number)
            if replayed is None:
                raise
            return replayed
        except StaleSessionError:
            await session.rollback()
            cached = False  # the snapshot was older than the database: decide again on the row itself
            continue
        if changed:
            await remember(cache, new)
        return guidance
    raise ConflictError("The cooking session changed while saving: try again")


def _apply_timer_event(
    new: SessionState, kind: StepEventKind, data: dict[str, Any], *, step_number: int, now: datetime
) -> bool:
    """timer_started with data.seconds starts a named timer; timer_finished marks one finished."""
    if kind is StepEventKind.TIMER_STARTED and "seconds" in data:
        new.timers, timer = add_timer(
            new.timers,
            name=data.get("name"),
            seconds=data["seconds"],
            step_number=step_number,
            now=now,
            paused_at=new.paused_at,
        )
        data["name"] = timer["name"]
        return True
    if kind is StepEventKind.TIMER_FINISHED:
        timers, finished = finish_timer(new.timers, name=data.get("name"))
        if finished is not None:
            new.timers = timers
            data["name"] = finished["name"]
            return True
    return False


async def _stored_answer(
    session: AsyncSession, session_id: uuid.UUID, client_event_id: str, kind: StepEventKind, step_number: int
) -> GuidanceRead | None:
    """The answer given when this eventId was first recorded, or None when it was never stored."""
    row = (
        await session.execute(
            select(col(CookingStepEvent.step_number), col(CookingStepEvent.event), col(CookingStepEvent.answer)).where(
                col(CookingStepEvent.session_id) == session_id,
                col(CookingStepEvent.client_event_id) == client_event_id,
            )
        )
    ).first()
    if row is None:
        return None
    # The same key for a different event is a client bug, not a replay.
    if row.step_number != step_number or StepEventKind(row.event) is not kind:
        raise ConflictError(f"eventId {client_event_id!r} was already used for a different event")
    if row.answer is None:
        raise ConflictError(f"eventId {client_event_id!r} was recorded before answers were kept: use a new eventId")
    return GuidanceRead.model_validate(row.answer)


async def get_cooking_session(
    session: AsyncSession, *, actor: Actor, session_id: uuid.UUID, cache: Cache, clock: Clock
) -> CookingSessionRead:
    """Return the actor's session (active ones from the cache); another actor's session is NOT_FOUND."""
    state = await owned_state(session, cache=cache, actor=actor, session_id=session_id)
    recipe = await load_recipe(session, state.recipe_id, cache=cache)
    return session_read(state, recipe, now=clock.now())


async def end_cooking_session(
    session: AsyncSession,
    *,
    actor: Actor,
    session_id: uuid.UUID,
    cache: Cache,
    clock: Clock,
    status: SessionStatus,
    request_id: str | None = None,
) -> CookingSessionRead:
    """Mark the actor's in-progress session completed or abandoned (running timers are cancelled); ended → CONFLICT."""
    if status is SessionStatus.IN_PROGRESS:
        raise ValueError("a cooking session ends as completed or abandoned")

    def decide(state: SessionState, _recipe: RecipeRead, now: datetime) -> Change:
        ended = state.copy(
            status=status,
            completed_at=now,
            paused_at=None,
            timers=cancel_all(state.timers),
            updated_at=now,
        )
        return Change(state=ended, audit_action=status.value)

    change, recipe, now = await apply_change(
        session,
        actor=actor,
        session_id=session_id,
        cache=cache,
        clock=clock,
        decide=decide,
        request_id=request_id,
    )
    return session_read(change.state, recipe, now=now)


async def complete_cooking_session(
    session: AsyncSession,
    *,
    actor: Actor,
    session_id: uuid.UUID,
    cache: Cache,
    clock: Clock,
    request_id: str | None = None,
) -> CookingSessionRead:
    """Mark the actor's in-progress session completed; an ended session → CONFLICT."""
    return await end_cooking_session(
        session,
        actor=actor,
        session_id=session_id,
        cache=cache,
        clock=clock,
        status=SessionStatus.COMPLETED,
        request_id=request_id,
    )


async def abandon_cooking_session(
    session: AsyncSession,
    *,
    actor: Actor,
    session_id: uuid.UUID,
    cache: Cache,
    clock: Clock,
    request_id: str | None = None,
) -> CookingSessionRead:
    """Mark the actor's in-progress session abandoned; an ended session → CONFLICT."""
    return await end_cooking_session(
        session,
        actor=actor,
        session_id=session_id,
        cache=cache,
        clock=clock,
        status=SessionStatus.ABANDONED,
        request_id=request_id,
    )


async def list_cooking_sessions(
    session: AsyncSession,
    *,
    actor: Actor,
    cache: Cache,
    limit: int = 20,
    offset: int = 0,
    status: SessionStatus | None = None,
) -> CookingSessionPage:
    """The actor's own cooking history, newest first, in bounded pages."""
    check_page(limit, offset)
    conditions = [actor.owner_filter(CookingSession)]
    if status is not None:
        conditions.append(col(CookingSession.status) == status)
    total = await session.scalar(select(func.count()).select_from(CookingSession).where(*conditions))
    rows: Sequence[CookingSession] = (
        await session.scalars(
            select(CookingSession)
            .where(*conditions)
            .order_by(col(CookingSession.started_at).desc(), col(CookingSession.id))
            .limit(limit)
            .offset(offset)
        )
    ).all()
    recipes: dict[uuid.UUID, RecipeRead] = {}
    for row in rows:
        if row.recipe_id not in recipes:
            recipes[row.recipe_id] = await load_recipe(session, row.recipe_id, cache=cache)
    items = [
        CookingSessionSummary(
            id=row.id,
            recipe_id=row.recipe_id,
            recipe_name=recipes[row.recipe_id].name,
            status=row.status,
            current_step=row.current_step,
            total_steps=len(recipes[row.recipe_id].steps),
            started_at=row.started_at,
            completed_at=row.completed_at,
        )
        for row in rows
    ]
    return CookingSessionPage(items=items, total=int(total or 0), limit=limit, offset=offset)
