"""Navigation, timers and pause/resume: events recorded, timers persisted, remaining time from the clock."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from chefmentor.actor import Actor
from chefmentor.clock import FrozenClock
from chefmentor.context import AppContext
from chefmentor.cooking.models import CookingSession, CookingStepEvent
from chefmentor.cooking.navigation import (
    cancel_cooking_timer,
    check_timers,
    get_guidance,
    get_timer,
    goto_step,
    list_timers,
    next_step,
    pause_cooking,
    previous_step,
    resume_cooking,
    start_timer,
)
from chefmentor.cooking.service import complete_cooking_session, record_step_event, start_cooking
from chefmentor.errors import ConflictError, NotFoundError, ValidationError
from tests.services.owners import clock, cook_ctx, db_settings, make_recipe, make_user, record_event

__all__ = ["clock", "cook_ctx", "db_settings"]


async def _setup(ctx: AppContext, steps: int = 4) -> tuple[Actor, uuid.UUID]:
    ada = await make_user(ctx)
    recipe_id = await make_recipe(ctx, steps=steps)
    async with ctx.session() as session:
        started = await start_cooking(session, actor=ada, recipe_id=recipe_id, cache=ctx.cache, clock=ctx.clock)
    return ada, started.id


async def _events(ctx: AppContext, session_id: uuid.UUID) -> list[tuple[int, str]]:
    async with ctx.session() as session:
        rows = await session.scalars(
            select(CookingStepEvent)
            .where(CookingStepEvent.session_id == session_id)
            .order_by(CookingStepEvent.created_at, CookingStepEvent.step_number)
        )
        return [(r.step_number, r.event.value) for r in rows]


async def _stored_timers(ctx: AppContext, session_id: uuid.UUID) -> list[dict[str, object]]:
    async with ctx.session() as session:
        row = await session.get(CookingSession, session_id)
        assert row is not None
        return row.timers


async def test_next_previous_goto_record_events(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, sid = await _setup(cook_ctx, steps=5)
    kw = {"actor": ada, "session_id": sid, "cache": cook_ctx.cache, "clock": clock}
    async with cook_ctx.session() as session:
        with pytest.raises(ConflictError, match="first step"):
            await previous_step(session, **kw)  # type: ignore[arg-type]
        g = await next_step(session, **kw)  # type: ignore[arg-type]
        assert g.current_step.step_number == 2 and g.next_step is not None and g.next_step.step_number == 3
        clock.advance(seconds=1)
        g = await previous_step(session, **kw)  # type: ignore[arg-type]
        assert g.current_step.step_number == 1
        clock.advance(seconds=1)
        g = await goto_step(session, step_number=4, **kw)  # type: ignore[arg-type]
        assert g.current_step.step_number == 4 and g.expected_state == "state 4"
        with pytest.raises(ValidationError, match="out of range"):
            await goto_step(session, step_number=6, **kw)  # type: ignore[arg-type]
        repeat = await get_guidance(session, **kw)  # type: ignore[arg-type]
        assert repeat.current_step.step_number == 4 and repeat.event is None
    # Step 1 was already completed by `next`, so jumping from 1 to 4 skips only the never-finished 2 and 3.
    assert await _events(cook_ctx, sid) == [
        (1, "completed"),
        (2, "started"),
        (1, "started"),
        (2, "skipped"),
        (3, "skipped"),
        (4, "started"),
    ]
    async with cook_ctx.session() as session:
        row = await session.get(CookingSession, sid)
        assert row is not None and row.current_step == 4


async def test_next_on_the_last_step_completes_it_and_says_all_done(cook_ctx: AppContext) -> None:
    ada, sid = await _setup(cook_ctx, steps=2)
    kw = {"actor": ada, "session_id": sid, "cache": cook_ctx.cache, "clock": cook_ctx.clock}
    async with cook_ctx.session() as session:
        await next_step(session, **kw)  # type: ignore[arg-type]
        last = await next_step(session, **kw)  # type: ignore[arg-type]
    assert last.all_steps_done and last.current_step.step_number == 2 and last.next_step is None
    assert await _events(cook_ctx, sid) == [(1, "completed"), (2, "started"), (2, "completed")]


async def test_timers_persist_and_count_down_with_the_clock(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, sid = await _setup(cook_ctx)
    kw = {"actor": ada, "session_id": sid, "cache": cook_ctx.cache, "clock": clock}
    async with cook_ctx.session() as session:
        rice = await start_timer(session, seconds=600, name="Rice", **kw)  # type: ignore[arg-type]
        assert rice.remaining_seconds == 600 and rice.status == "running" and rice.step_number == 1
        eggs = await start_timer(session, seconds=120, **kw)  # type: ignore[arg-type]
        assert eggs.name == "timer"
        clock.advance(seconds=90)
        views = {t.name: t for t in await list_timers(session, **kw)}  # type: ignore[arg-type]
        assert views["Rice"].remaining_seconds == 510 and views["timer"].remaining_seconds == 30
        with pytest.raises(ValidationError, match="Several timers"):
            await get_timer(session, **kw)  # type: ignore[arg-type]
        assert (await get_timer(session, name="rice", **kw)).remaining_seconds == 510  # type: ignore[arg-type]
    stored = await _stored_timers(cook_ctx, sid)
    assert [(t["name"], t["seconds"], t["status"]) for t in stored] == [
        ("Rice", 600, "running"),
        ("timer", 120, "running"),
    ]

    async with cook_ctx.session() as session:
        assert await check_timers(session, **kw) == []  # type: ignore[arg-type]
        clock.advance(seconds=31)
        rang = await check_timers(session, **kw)  # type: ignore[arg-type]
        assert [t.name for t in rang] == ["timer"] and rang[0].status == "finished"
        assert await check_timers(session, **kw) == []  # type: ignore[arg-type]
        cancelled = await cancel_cooking_timer(session, **kw)  # type: ignore[arg-type]
        assert cancelled.name == "Rice" and cancelled.status == "cancelled"
        with pytest.raises(NotFoundError):
            await cancel_cooking_timer(session, **kw)  # type: ignore[arg-type]
    assert [t["status"] for t in await _stored_timers(cook_ctx, sid)] == ["cancelled", "finished"]
    assert await _events(cook_ctx, sid) == [(1, "timer_started"), (1, "timer_started"), (1, "timer_finished")]


async def test_restarting_a_timer_by_name_and_bounds(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, sid = await _setup(cook_ctx)
    kw = {"actor": ada, "session_id": sid, "cache": cook_ctx.cache, "clock": clock}
    async with cook_ctx.session() as session:
        await start_timer(session, seconds=60, name="pasta", **kw)  # type: ignore[arg-type]
        clock.advance(seconds=30)
        again = await start_timer(session, seconds=60, name="PASTA", **kw)  # type: ignore[arg-type]
        assert again.remaining_seconds == 60
        assert [t.name for t in await list_timers(session, **kw)] == ["PASTA"]  # type: ignore[arg-type]
        for bad in (
            {"seconds": 0},
            {"seconds": 86_401},
            {"seconds": 5, "name": "x" * 41},
            {"seconds": 5, "name": "a\x00"},
        ):
            with pytest.raises(ValidationError):
                await start_timer(session, **bad, **kw)  # type: ignore[arg-type]
        for n in range(9):
            await start_timer(session, seconds=60, name=f"t{n}", **kw)  # type: ignore[arg-type]
        with pytest.raises(ConflictError, match="At most 10"):
            await start_timer(session, seconds=60, name="one too many", **kw)  # type: ignore[arg-type]


async def test_pause_freezes_timers_and_resume_shifts_them(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, sid = await _setup(cook_ctx)
    kw = {"actor": ada, "session_id": sid, "cache": cook_ctx.cache, "clock": clock}
    async with cook_ctx.session() as session:
        await start_timer(session, seconds=300, name="sauce", **kw)  # type: ignore[arg-type]
        clock.advance(seconds=100)
        paused = await pause_cooking(session, **kw)  # type: ignore[arg-type]
        assert paused.paused_at == clock.now() and paused.timers[0].status == "paused"
        again = await pause_cooking(session, **kw)  # type: ignore[arg-type]
        assert again.paused_at == paused.paused_at
        clock.advance(seconds=1000)
        (frozen,) = await list_timers(session, **kw)  # type: ignore[arg-type]
        assert frozen.remaining_seconds == 200
        assert await check_timers(session, **kw) == []  # type: ignore[arg-type]
        resumed = await resume_cooking(session, **kw)  # type: ignore[arg-type]
        assert resumed.paused_at is None and resumed.timers[0].remaining_seconds == 200
        clock.advance(seconds=150)
        (left,) = await list_timers(session, **kw)  # type: ignore[arg-type]
        assert left.remaining_seconds == 50 and left.status == "running"
    async with cook_ctx.session() as session:
        row = await session.get(CookingSession, sid)
        assert row is not None and row.paused_at is None


async def test_step_event_timer_started_with_seconds_creates_a_timer(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, sid = await _setup(cook_ctx)
    async with cook_ctx.session() as session:
        g = await record_event(cook_ctx, session, ada, sid, 2, "timer_started", data={"seconds": 240, "name": "simmer"})
        assert [(t.name, t.remaining_seconds) for t in g.timers] == [("simmer", 240)]
        clock.advance(seconds=40)
        g = await record_event(cook_ctx, session, ada, sid, 2, "timer_finished", data={"name": "simmer"})
        assert g.timers[0].status == "finished"
    assert [t["status"] for t in await _stored_timers(cook_ctx, sid)] == ["finished"]


async def test_navigation_on_ended_or_foreign_sessions(cook_ctx: AppContext) -> None:
    ada, sid = await _setup(cook_ctx)
    bob = await make_user(cook_ctx, "Bob")
    async with cook_ctx.session() as session:
        with pytest.raises(NotFoundError):
            await next_step(session, actor=bob, session_id=sid, cache=cook_ctx.cache, clock=cook_ctx.clock)
        with pytest.raises(NotFoundError):
            await list_timers(session, actor=bob, session_id=sid, cache=cook_ctx.cache, clock=cook_ctx.clock)
        await complete_cooking_session(session, actor=ada, session_id=sid, cache=cook_ctx.cache, clock=cook_ctx.clock)
        with pytest.raises(ConflictError):
            await next_step(session, actor=ada, session_id=sid, cache=cook_ctx.cache, clock=cook_ctx.clock)
        with pytest.raises(ConflictError):
            await start_timer(session, actor=ada, session_id=sid, seconds=5, cache=cook_ctx.cache, clock=cook_ctx.clock)
        with pytest.raises(ConflictError):
            await pause_cooking(session, actor=ada, session_id=sid, cache=cook_ctx.cache, clock=cook_ctx.clock)
    assert await _events(cook_ctx, sid) == []


async def test_two_workers_with_stale_caches_never_lose_a_timer(cook_ctx: AppContext, clock: FrozenClock) -> None:
    """Worker A starts a timer; worker B (its cache still holds the old snapshot) records a step change."""
    from chefmentor.cache import MemoryCache
    from chefmentor.cooking.state import load_state

    ada, sid = await _setup(cook_ctx)
    worker_a, worker_b = MemoryCache(), MemoryCache()
    async with cook_ctx.session() as session:
        for cache in (worker_a, worker_b):
            await load_state(session, cache=cache, session_id=sid)
    clock.advance(seconds=5)
    async with cook_ctx.session() as session:
        await start_timer(session, actor=ada, session_id=sid, seconds=300, name="oven", cache=worker_a, clock=clock)
    clock.advance(seconds=5)
    async with cook_ctx.session() as session:
        guidance = await record_step_event(
            session, actor=ada, session_id=sid, step_number=1, event="completed", cache=worker_b, clock=clock
        )
    assert guidance.current_step.step_number == 2 and [t.name for t in guidance.timers] == ["oven"]
    stored = await _stored_timers(cook_ctx, sid)
    assert [t["name"] for t in stored] == ["oven"]
    async with cook_ctx.session() as session:
        row = await session.get(CookingSession, sid)
        assert row is not None and row.current_step == 2
        refreshed = await load_state(session, cache=worker_b, session_id=sid)
    assert refreshed is not None and [t["name"] for t in refreshed.timers] == ["oven"]
