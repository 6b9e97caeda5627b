"""What a 2xx promises on cooking sessions (SQLite and PostgreSQL): concurrent duplicate eventIds store one
event and give one answer; a stale cached snapshot never decides; concurrent changes are all kept or refused."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import func, select

from chefmentor.actor import Actor
from chefmentor.clock import FrozenClock
from chefmentor.context import AppContext
from chefmentor.cooking import navigation
from chefmentor.cooking.models import CookingSession, CookingStepEvent
from chefmentor.cooking.service import start_cooking
from chefmentor.cooking.state import cache_key
from chefmentor.errors import ConflictError
from tests.services.owners import clock, cook_ctx, db_settings, make_recipe, make_user, record_event

__all__ = ["clock", "cook_ctx", "db_settings"]


async def _start(ctx: AppContext, actor: Actor, steps: int = 6) -> uuid.UUID:
    recipe_id = await make_recipe(ctx, steps=steps)
    async with ctx.session() as session:
        started = await start_cooking(session, actor=actor, recipe_id=recipe_id, cache=ctx.cache, clock=ctx.clock)
    return started.id


async def _event(ctx: AppContext, actor: Actor, session_id: uuid.UUID, step: int, event: str, **extra: Any) -> Any:
    async with ctx.session() as session:
        return await record_event(ctx, session, actor, session_id, step, event, **extra)


async def _row(ctx: AppContext, session_id: uuid.UUID) -> CookingSession:
    async with ctx.session() as session:
        row = await session.get(CookingSession, session_id)
        assert row is not None
        return row


async def _event_count(ctx: AppContext, session_id: uuid.UUID) -> int:
    async with ctx.session() as session:
        count = await session.scalar(
            select(func.count()).select_from(CookingStepEvent).where(CookingStepEvent.session_id == session_id)
        )
        return int(count or 0)


async def test_concurrent_duplicate_event_ids_store_one_event_and_answer_alike(cook_ctx: AppContext) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada)
    answers = await asyncio.gather(
        *(_event(cook_ctx, ada, session_id, 1, "completed", client_event_id="tap-1") for _ in range(12))
    )
    dumped = {answer.model_dump_json() for answer in answers}
    assert len(dumped) == 1, "every repeat gets the first answer, byte for byte"
    assert await _event_count(cook_ctx, session_id) == 1
    assert (await _row(cook_ctx, session_id)).current_step == 2, "the step advanced once, not twelve times"


async def test_a_repeat_after_the_session_moved_on_gets_the_first_answer(
    cook_ctx: AppContext, clock: FrozenClock
) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada)
    first = await _event(cook_ctx, ada, session_id, 1, "completed", client_event_id="tap-1")
    clock.advance(seconds=30)
    await _event(cook_ctx, ada, session_id, 2, "completed", client_event_id="tap-2")
    again = await _event(cook_ctx, ada, session_id, 1, "completed", client_event_id="tap-1")
    assert again == first


async def test_a_stale_cached_snapshot_never_decides(cook_ctx: AppContext, clock: FrozenClock) -> None:
    """A cache write that failed or landed late leaves an old snapshot: the event is decided on the database."""
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada)
    stale = await cook_ctx.cache.get(cache_key(session_id))
    assert stale is not None
    clock.advance(seconds=10)
    await _event(cook_ctx, ada, session_id, 1, "completed")  # step 1 → 2, written through
    await cook_ctx.cache.set(cache_key(session_id), stale)  # the old snapshot comes back (late write)
    clock.advance(seconds=10)
    noted = await _event(cook_ctx, ada, session_id, 2, "note", data={"text": "smells nutty"})
    assert noted.current_step is not None and noted.current_step.step_number == 2, "not the stale step 1"
    guidance = await _event(cook_ctx, ada, session_id, 2, "completed")
    assert guidance.current_step is not None and guidance.current_step.step_number == 3
    assert (await _row(cook_ctx, session_id)).current_step == 3


async def test_pause_is_decided_on_the_database_not_on_a_stale_cache(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada)
    running = await cook_ctx.cache.get(cache_key(session_id))
    assert running is not None
    async with cook_ctx.session() as session:
        await navigation.pause_cooking(session, actor=ada, session_id=session_id, cache=cook_ctx.cache, clock=clock)
    await cook_ctx.cache.set(cache_key(session_id), running)  # the cache still says "running"
    clock.advance(seconds=5)
    async with cook_ctx.session() as session:
        resumed = await navigation.resume_cooking(
            session, actor=ada, session_id=session_id, cache=cook_ctx.cache, clock=clock
        )
    assert resumed.paused_at is None
    assert (await _row(cook_ctx, session_id)).paused_at is None, "resume acted on the paused row"


async def test_concurrent_changes_are_all_kept_or_refused(cook_ctx: AppContext) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada, steps=30)

    async def next_step() -> bool:
        async with cook_ctx.session() as session:
            try:
                await navigation.next_step(
                    session, actor=ada, session_id=session_id, cache=cook_ctx.cache, clock=cook_ctx.clock
                )
            except ConflictError:
                return False
        return True

    results = await asyncio.gather(*(next_step() for _ in range(15)))
    acknowledged = sum(results)
    assert acknowledged >= 1
    assert (await _row(cook_ctx, session_id)).current_step == 1 + acknowledged, "no acknowledged step was lost"
