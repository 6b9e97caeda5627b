"""Step telemetry for the diagnosis: actual vs expected minutes and heat from recorded events."""

from __future__ import annotations

import uuid

import pytest

from chefmentor.actor import Actor
from chefmentor.clock import FrozenClock
from chefmentor.context import AppContext
from chefmentor.cooking.navigation import pause_cooking, resume_cooking
from chefmentor.cooking.service import (
    abandon_cooking_session,
    complete_cooking_session,
    record_step_event,
    start_cooking,
)
from chefmentor.cooking.telemetry import load_step_telemetry
from chefmentor.errors import NotFoundError
from tests.services.owners import clock, cook_ctx, db_settings, make_recipe, make_user

__all__ = ["clock", "cook_ctx", "db_settings"]


async def _event(ctx: AppContext, actor: Actor, sid: uuid.UUID, step: int, event: str, **data: object) -> None:
    async with ctx.session() as session:
        await record_step_event(
            session,
            actor=actor,
            session_id=sid,
            step_number=step,
            event=event,
            data=data or None,
            cache=ctx.cache,
            clock=ctx.clock,
        )


async def test_actual_minutes_and_heat_per_step(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    recipe_id = await make_recipe(cook_ctx, steps=5)
    async with cook_ctx.session() as session:
        sid = (await start_cooking(session, actor=ada, recipe_id=recipe_id, cache=cook_ctx.cache, clock=clock)).id
    clock.advance(minutes=1)
    await _event(cook_ctx, ada, sid, 1, "started")
    clock.advance(minutes=3)
    await _event(cook_ctx, ada, sid, 1, "completed")
    # Step 2 never gets `started`: it begins where step 1 ended.
    clock.advance(minutes=1)
    await _event(cook_ctx, ada, sid, 2, "note", heat="HIGH", text="smoking a lot")
    clock.advance(minutes=6.5)
    await _event(cook_ctx, ada, sid, 2, "completed")
    await _event(cook_ctx, ada, sid, 3, "skipped")
    await _event(cook_ctx, ada, sid, 4, "started", heat="medium low")
    clock.advance(minutes=2)
    # Step 4 is never completed: moving on to step 5 closes it.
    await _event(cook_ctx, ada, sid, 5, "started")
    clock.advance(minutes=4)
    async with cook_ctx.session() as session:
        await complete_cooking_session(session, actor=ada, session_id=sid, cache=cook_ctx.cache, clock=clock)
        steps = await load_step_telemetry(session, cooking_session_id=sid, actor=ada)

    assert [s.step_number for s in steps] == [1, 2, 3, 4, 5]
    one, two, three, four, five = steps
    assert (one.actual_minutes, one.expected_minutes, one.expected_heat) == (3.0, 1.0, "low")
    assert two.actual_minutes == 7.5 and two.actual_heat == "high" and two.expected_heat == "high"
    assert two.notes == ("smoking a lot",) and two.instruction == "Do step 2" and two.expected_state == "state 2"
    assert three.skipped and three.actual_minutes is None
    assert four.actual_minutes == 2.0 and four.actual_heat == "medium_low"
    assert five.actual_minutes == 4.0  # closed by the session's completion


async def test_telemetry_of_someone_elses_session_is_not_found(cook_ctx: AppContext) -> None:
    ada, bob = await make_user(cook_ctx, "Ada"), await make_user(cook_ctx, "Bob")
    recipe_id = await make_recipe(cook_ctx)
    async with cook_ctx.session() as session:
        sid = (
            await start_cooking(session, actor=ada, recipe_id=recipe_id, cache=cook_ctx.cache, clock=cook_ctx.clock)
        ).id
        with pytest.raises(NotFoundError):
            await load_step_telemetry(session, cooking_session_id=sid, actor=bob)
        with pytest.raises(NotFoundError):
            await load_step_telemetry(session, cooking_session_id=uuid.uuid4(), actor=ada)
        untouched = await load_step_telemetry(session, cooking_session_id=sid, actor=ada)
    assert [s.actual_minutes for s in untouched] == [None] * 4


async def test_time_spent_paused_is_not_counted(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    recipe_id = await make_recipe(cook_ctx, steps=2)
    kw = {"actor": ada, "cache": cook_ctx.cache, "clock": clock}
    async with cook_ctx.session() as session:
        sid = (await start_cooking(session, recipe_id=recipe_id, **kw)).id  # type: ignore[arg-type]
    await _event(cook_ctx, ada, sid, 1, "started")
    clock.advance(minutes=2)
    async with cook_ctx.session() as session:
        await pause_cooking(session, session_id=sid, **kw)  # type: ignore[arg-type]
        clock.advance(minutes=30)
        await resume_cooking(session, session_id=sid, **kw)  # type: ignore[arg-type]
    clock.advance(minutes=1)
    await _event(cook_ctx, ada, sid, 1, "completed")
    await _event(cook_ctx, ada, sid, 2, "started")
    clock.advance(minutes=4)
    async with cook_ctx.session() as session:
        await pause_cooking(session, session_id=sid, **kw)  # type: ignore[arg-type]
        clock.advance(minutes=60)
        # Abandoned while paused: the open pause ends with the session.
        await abandon_cooking_session(session, session_id=sid, **kw)  # type: ignore[arg-type]
        one, two = await load_step_telemetry(session, cooking_session_id=sid, actor=ada)
    assert one.actual_minutes == 3.0 and one.notes == ()
    assert two.actual_minutes == 4.0
