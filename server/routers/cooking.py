"""Cooking sessions: start, step events with guidance, history, complete/abandon, navigation, timers, pause.

Every route needs an actor (a signed-in user or a demo session); another actor's session is a 404.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Path, Query

from chefmentor.cooking import history, navigation, service
from chefmentor.cooking.models import SessionStatus
from chefmentor.cooking.schemas import (
    TIMER_NAME_MAX,
    CookingSessionPage,
    CookingSessionRead,
    CookingStart,
    GotoStep,
    GuidanceRead,
    StepEventCreate,
    StepEventRead,
    TimerCreate,
    TimerRead,
)
from chefmentor.observability.analytics import COOKING_ABANDONED, COOKING_COMPLETED, COOKING_STARTED
from chefmentor.paging import MAX_PAGE_SIZE
from server import side_effects
from server.deps import ActorDep, CtxDep, DbDep, RequestIdDep
from server.openapi_errors import errors

router = APIRouter(prefix="/api/cooking", tags=["cooking"])

READ_ERRORS = errors("NOT_FOUND")
SESSION_ERRORS = errors("NOT_FOUND", "CONFLICT")
SessionId = Annotated[uuid.UUID, Path(description="Cooking session id")]


@router.post(
    "/start", operation_id="cooking_start", response_model=CookingSessionRead, status_code=201, responses=SESSION_ERRORS
)
async def start_cooking(
    body: CookingStart,
    background: BackgroundTasks,
    db: DbDep,
    ctx: CtxDep,
    actor: ActorDep,
    request_id: RequestIdDep,
) -> CookingSessionRead:
    """Start cooking a recipe: the session comes back on step 1 with its instruction and expected state."""
    started = await service.start_cooking(
        db,
        actor=actor,
        recipe_id=body.recipe_id,
        cache=ctx.cache,
        clock=ctx.clock,
        request_id=request_id,
        started_at=body.started_at,
    )
    side_effects.cooking_changed(background, ctx, COOKING_STARTED, actor, started)
    return started


@router.post("/step-event", operation_id="cooking_step_event", response_model=GuidanceRead, responses=SESSION_ERRORS)
async def record_step_event(body: StepEventCreate, db: DbDep, ctx: CtxDep, actor: ActorDep) -> GuidanceRead:
    """Record a step boundary (started/completed/skipped/timer/note) and get guidance: the current step, its
    expected state and the next step. Repeating an `eventId` returns the first answer and writes nothing."""
    return await service.record_step_event(
        db,
        actor=actor,
        session_id=body.session_id,
        step_number=body.step_number,
        event=body.event,
        at=body.at,
        data=body.data,
        client_event_id=body.event_id,
        cache=ctx.cache,
        clock=ctx.clock,
    )


@router.get("/sessions", operation_id="cooking_sessions_list", response_model=CookingSessionPage)
async def list_cooking_sessions(
    db: DbDep,
    ctx: CtxDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    status: SessionStatus | None = None,
) -> CookingSessionPage:
    """Your cooking history, newest first."""
    page = await service.list_cooking_sessions(
        db, actor=actor, cache=ctx.cache, limit=limit, offset=offset, status=status
    )
    return page


@router.get(
    "/sessions/{session_id}",
    operation_id="cooking_session_get",
    response_model=CookingSessionRead,
    responses=READ_ERRORS,
)
async def get_cooking_session(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> CookingSessionRead:
    """One of your sessions with its current step and timers."""
    return await service.get_cooking_session(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)


@router.get(
    "/sessions/{session_id}/events",
    operation_id="cooking_events_list",
    response_model=list[StepEventRead],
    responses=READ_ERRORS,
)
async def list_step_events(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> list[StepEventRead]:
    """The step events recorded on one of your sessions, in time order."""
    events = await history.list_step_events(db, actor=actor, session_id=session_id, cache=ctx.cache)
    return events


@router.get(
    "/sessions/{session_id}/guidance",
    operation_id="cooking_guidance_get",
    response_model=GuidanceRead,
    responses=READ_ERRORS,
)
async def get_guidance(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> GuidanceRead:
    """Where you are (current step, expected state, next step) without recording anything."""
    return await navigation.get_guidance(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)


def _end_session_route(status: SessionStatus, summary: str, event: str) -> Callable[..., Awaitable[CookingSessionRead]]:
    async def end_session(
        session_id: SessionId,
        background: BackgroundTasks,
        db: DbDep,
        ctx: CtxDep,
        actor: ActorDep,
        request_id: RequestIdDep,
    ) -> CookingSessionRead:
        ended = await service.end_cooking_session(
            db,
            actor=actor,
            session_id=session_id,
            cache=ctx.cache,
            clock=ctx.clock,
            status=status,
            request_id=request_id,
        )
        side_effects.cooking_changed(background, ctx, event, actor, ended)
        return ended

    end_session.__doc__ = summary + "; a session that already ended answers 409."
    return end_session


for _path, _status, _summary, _event in (
    ("complete", SessionStatus.COMPLETED, "Finish the session as completed", COOKING_COMPLETED),
    ("abandon", SessionStatus.ABANDONED, "Stop the session as abandoned", COOKING_ABANDONED),
):
    router.post(
        f"/sessions/{{session_id}}/{_path}",
        name=f"{_path}_cooking_session",
        operation_id=f"cooking_{_path}",
        response_model=CookingSessionRead,
        responses=SESSION_ERRORS,
    )(_end_session_route(_status, _summary, _event))


@router.post(
    "/sessions/{session_id}/next", operation_id="cooking_next", response_model=GuidanceRead, responses=SESSION_ERRORS
)
async def next_step(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> GuidanceRead:
    """Complete the current step and start the next one (on the last step: allStepsDone)."""
    return await navigation.next_step(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)


@router.post(
    "/sessions/{session_id}/previous",
    operation_id="cooking_previous",
    response_model=GuidanceRead,
    responses=SESSION_ERRORS,
)
async def previous_step(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> GuidanceRead:
    """Go back one step."""
    return await navigation.previous_step(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)


@router.post(
    "/sessions/{session_id}/goto", operation_id="cooking_goto", response_model=GuidanceRead, responses=SESSION_ERRORS
)
async def goto_step(session_id: SessionId, body: GotoStep, db: DbDep, ctx: CtxDep, actor: ActorDep) -> GuidanceRead:
    """Jump to a step; unfinished steps jumped over are recorded as skipped."""
    guidance = await navigation.goto_step(
        db, actor=actor, session_id=session_id, step_number=body.step_number, cache=ctx.cache, clock=ctx.clock
    )
    return guidance


@router.post(
    "/sessions/{session_id}/pause",
    operation_id="cooking_pause",
    response_model=CookingSessionRead,
    responses=SESSION_ERRORS,
)
async def pause_cooking(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> CookingSessionRead:
    """Pause the session: timers stop counting down until it resumes."""
    return await navigation.pause_cooking(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)


@router.post(
    "/sessions/{session_id}/resume",
    operation_id="cooking_resume",
    response_model=CookingSessionRead,
    responses=SESSION_ERRORS,
)
async def resume_cooking(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> CookingSessionRead:
    """Resume a paused session."""
    return await navigation.resume_cooking(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)


@router.get(
    "/sessions/{session_id}/timers",
    operation_id="cooking_timers_list",
    response_model=list[TimerRead],
    responses=READ_ERRORS,
)
async def list_timers(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> list[TimerRead]:
    """The session's timers with the seconds remaining now."""
    timers = await navigation.list_timers(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)
    return timers


@router.post(
    "/sessions/{session_id}/timers",
    operation_id="cooking_timer_start",
    response_model=TimerRead,
    status_code=201,
    responses=SESSION_ERRORS,
)
async def start_timer(session_id: SessionId, body: TimerCreate, db: DbDep, ctx: CtxDep, actor: ActorDep) -> TimerRead:
    """Start a named timer (a running timer with the same name restarts); at most 10 run at once."""
    timer = await navigation.start_timer(
        db,
        actor=actor,
        session_id=session_id,
        seconds=body.seconds,
        name=body.name,
        step_number=body.step_number,
        cache=ctx.cache,
        clock=ctx.clock,
    )
    return timer


@router.post(
    "/sessions/{session_id}/timers/check",
    operation_id="cooking_timers_check",
    response_model=list[TimerRead],
    responses=SESSION_ERRORS,
)
async def check_timers(session_id: SessionId, db: DbDep, ctx: CtxDep, actor: ActorDep) -> list[TimerRead]:
    """Mark timers whose time is up as finished and return them (empty when none rang)."""
    rang = await navigation.check_timers(db, actor=actor, session_id=session_id, cache=ctx.cache, clock=ctx.clock)
    return rang


@router.delete(
    "/sessions/{session_id}/timers/{name}",
    operation_id="cooking_timer_cancel",
    response_model=TimerRead,
    responses=SESSION_ERRORS,
)
async def cancel_timer(
    session_id: SessionId,
    name: Annotated[str, Path(min_length=1, max_length=TIMER_NAME_MAX, pattern=r"^[^\x00-\x1f\x7f]+$")],
    db: DbDep,
    ctx: CtxDep,
    actor: ActorDep,
) -> TimerRead:
    """Cancel a running timer by name (case-insensitive)."""
    timer = await navigation.cancel_cooking_timer(
        db, actor=actor, session_id=session_id, name=name, cache=ctx.cache, clock=ctx.clock
    )
    return timer
