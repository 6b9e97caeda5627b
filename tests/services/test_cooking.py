"""Cooking sessions: start, step events, ownership, conflicts, idempotency, history (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from chefmentor.actor import Actor
from chefmentor.audit.models import AuditLog
from chefmentor.cache import MemoryCache
from chefmentor.clock import FrozenClock
from chefmentor.context import AppContext
from chefmentor.cooking.history import list_step_events
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus
from chefmentor.cooking.service import (
    abandon_cooking_session,
    complete_cooking_session,
    get_cooking_session,
    list_cooking_sessions,
    record_step_event,
    start_cooking,
)
from chefmentor.errors import ConflictError, NotFoundError, ValidationError
from tests.services.owners import clock, cook_ctx, db_settings, make_demo, make_recipe, make_user, record_event

__all__ = ["clock", "cook_ctx", "db_settings"]


async def _events(ctx: AppContext, session_id: uuid.UUID) -> list[CookingStepEvent]:
    async with ctx.session() as session:
        rows = await session.scalars(
            select(CookingStepEvent)
            .where(CookingStepEvent.session_id == session_id)
            .order_by(CookingStepEvent.created_at)
        )
        return list(rows)


async def _row(ctx: AppContext, session_id: uuid.UUID) -> CookingSession:
    async with ctx.session() as session:
        row = await session.get(CookingSession, session_id)
        assert row is not None
        return row


async def _audit(ctx: AppContext, entity_id: uuid.UUID) -> list[str]:
    async with ctx.session() as session:
        rows = await session.scalars(
            select(AuditLog.action).where(AuditLog.entity_id == entity_id).order_by(AuditLog.created_at)
        )
        return list(rows)


async def _start(ctx: AppContext, actor: Actor, recipe_id: uuid.UUID) -> uuid.UUID:
    async with ctx.session() as session:
        started = await start_cooking(session, actor=actor, recipe_id=recipe_id, cache=ctx.cache, clock=ctx.clock)
    return started.id


async def test_start_returns_first_step_and_writes_row_and_audit(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    recipe_id = await make_recipe(cook_ctx, steps=3)
    async with cook_ctx.session() as session:
        started = await start_cooking(session, actor=ada, recipe_id=recipe_id, cache=cook_ctx.cache, clock=clock)
    assert started.status is SessionStatus.IN_PROGRESS
    assert started.current_step == 1 and started.total_steps == 3
    assert started.step is not None and started.step.instruction == "Do step 1"
    assert started.next_step is not None and started.next_step.step_number == 2
    row = await _row(cook_ctx, started.id)
    assert (row.user_id, row.demo_session_id, row.status) == (ada.id, None, SessionStatus.IN_PROGRESS)
    assert row.started_at == clock.now()
    assert await _audit(cook_ctx, started.id) == ["started"]
    body = started.to_json_dict()
    assert body["currentStep"] == 1 and body["recipeName"].startswith("Test dish")


async def test_start_unknown_recipe_is_not_found(cook_ctx: AppContext) -> None:
    ada = await make_user(cook_ctx)
    async with cook_ctx.session() as session:
        with pytest.raises(NotFoundError):
            await start_cooking(session, actor=ada, recipe_id=uuid.uuid4(), cache=cook_ctx.cache, clock=cook_ctx.clock)
        assert await session.scalar(select(func.count()).select_from(CookingSession)) == 0


async def test_step_events_return_guidance_and_move_the_current_step(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada, await make_recipe(cook_ctx, steps=3))
    async with cook_ctx.session() as session:
        started = await record_event(cook_ctx, session, ada, session_id, 1, "started")
        assert started.current_step.step_number == 1
        assert started.expected_state == "state 1"
        assert started.next_step is not None and started.next_step.step_number == 2
        clock.advance(minutes=2)
        done = await record_event(cook_ctx, session, ada, session_id, 1, "completed", data={"heat": "Medium-High"})
    assert done.current_step.step_number == 2 and done.expected_state == "state 2"
    assert done.event is not None and done.event.data == {"heat": "medium_high"}
    assert not done.all_steps_done
    rows = await _events(cook_ctx, session_id)
    assert [(r.step_number, r.event.value) for r in rows] == [(1, "started"), (1, "completed")]
    assert rows[1].at - rows[0].at == timedelta(minutes=2)
    assert (await _row(cook_ctx, session_id)).current_step == 2
    async with cook_ctx.session() as session:
        last = await record_event(cook_ctx, session, ada, session_id, 3, "completed")
        assert last.all_steps_done and last.next_step is None and last.current_step.step_number == 3
        events = await list_step_events(session, actor=ada, session_id=session_id, cache=cook_ctx.cache)
    assert [e.event.value for e in events] == ["started", "completed", "completed"]


async def test_other_actor_gets_not_found_like_an_unknown_id(cook_ctx: AppContext) -> None:
    ada, bob = await make_user(cook_ctx, "Ada"), await make_user(cook_ctx, "Bob")
    demo = await make_demo(cook_ctx)
    session_id = await _start(cook_ctx, ada, await make_recipe(cook_ctx))
    messages = []
    for intruder, target in ((bob, session_id), (demo, session_id), (Actor.local(), session_id), (ada, uuid.uuid4())):
        async with cook_ctx.session() as session:
            with pytest.raises(NotFoundError) as caught:
                await record_event(cook_ctx, session, intruder, target, 1, "started")
            messages.append(caught.value.message)
            with pytest.raises(NotFoundError):
                await get_cooking_session(
                    session, actor=intruder, session_id=target, cache=cook_ctx.cache, clock=cook_ctx.clock
                )
            with pytest.raises(NotFoundError):
                await complete_cooking_session(
                    session, actor=intruder, session_id=target, cache=cook_ctx.cache, clock=cook_ctx.clock
                )
    assert len(set(messages)) == 1
    assert await _events(cook_ctx, session_id) == []
    assert (await _row(cook_ctx, session_id)).status is SessionStatus.IN_PROGRESS


async def test_ended_sessions_refuse_events_with_conflict(cook_ctx: AppContext) -> None:
    ada = await make_user(cook_ctx)
    recipe_id = await make_recipe(cook_ctx)
    done_id, gone_id = await _start(cook_ctx, ada, recipe_id), await _start(cook_ctx, ada, recipe_id)
    async with cook_ctx.session() as session:
        done = await complete_cooking_session(
            session, actor=ada, session_id=done_id, cache=cook_ctx.cache, clock=cook_ctx.clock
        )
        gone = await abandon_cooking_session(
            session, actor=ada, session_id=gone_id, cache=cook_ctx.cache, clock=cook_ctx.clock
        )
    assert done.status is SessionStatus.COMPLETED and done.completed_at == cook_ctx.clock.now()
    assert gone.status is SessionStatus.ABANDONED
    for session_id in (done_id, gone_id):
        async with cook_ctx.session() as session:
            with pytest.raises(ConflictError):
                await record_event(cook_ctx, session, ada, session_id, 1, "started")
            with pytest.raises(ConflictError):
                await complete_cooking_session(
                    session, actor=ada, session_id=session_id, cache=cook_ctx.cache, clock=cook_ctx.clock
                )
            with pytest.raises(ConflictError):
                await abandon_cooking_session(
                    session, actor=ada, session_id=session_id, cache=cook_ctx.cache, clock=cook_ctx.clock
                )
        assert await _events(cook_ctx, session_id) == []
    assert await _audit(cook_ctx, done_id) == ["started", "completed"]
    assert await _audit(cook_ctx, gone_id) == ["started", "abandoned"]
    assert (await _row(cook_ctx, done_id)).status is SessionStatus.COMPLETED


async def test_a_stale_cached_snapshot_cannot_record_on_an_ended_session(cook_ctx: AppContext) -> None:
    """Another worker (its own cache) completed the session: this worker's cache still says in progress."""
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada, await make_recipe(cook_ctx))
    other_worker_cache = MemoryCache()
    async with cook_ctx.session() as session:
        await complete_cooking_session(
            session, actor=ada, session_id=session_id, cache=other_worker_cache, clock=cook_ctx.clock
        )
    async with cook_ctx.session() as session:
        with pytest.raises(ConflictError):
            await record_event(cook_ctx, session, ada, session_id, 2, "started")
    assert await _events(cook_ctx, session_id) == []
    row = await _row(cook_ctx, session_id)
    assert row.status is SessionStatus.COMPLETED and row.current_step == 1


@pytest.mark.parametrize("step", [0, 5, -1, 10_000])
async def test_step_out_of_range_is_a_validation_error(cook_ctx: AppContext, step: int) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada, await make_recipe(cook_ctx, steps=4))
    async with cook_ctx.session() as session:
        with pytest.raises(ValidationError, match="out of range"):
            await record_event(cook_ctx, session, ada, session_id, step, "started")
    assert await _events(cook_ctx, session_id) == []


async def test_duplicate_client_event_id_is_idempotent(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada, await make_recipe(cook_ctx))

    async def send(step: int = 2, event: str = "completed") -> object:
        async with cook_ctx.session() as session:
            return await record_event(cook_ctx, session, ada, session_id, step, event, client_event_id="phone-42:evt-7")

    first = await send()
    clock.advance(seconds=30)
    second = await send()
    assert first == second
    rows = await _events(cook_ctx, session_id)
    assert len(rows) == 1 and rows[0].client_event_id == "phone-42:evt-7"
    with pytest.raises(ConflictError, match="different event"):
        await send(step=3)
    assert len(await _events(cook_ctx, session_id)) == 1
    # The same eventId on another session is a different event.
    other = await _start(cook_ctx, ada, await make_recipe(cook_ctx))
    async with cook_ctx.session() as session:
        await record_event(cook_ctx, session, ada, other, 1, "started", client_event_id="phone-42:evt-7")
    assert len(await _events(cook_ctx, other)) == 1


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"event": "boiled"}, "event must be one of"),
        ({"data": {"text": "a\x00b"}}, "NUL"),
        ({"data": {"heat": "volcanic"}}, "heat"),
        ({"data": {"blob": "x" * 5000}}, "4096 bytes"),
        ({"data": {"a": {"b": {"c": {"d": {"e": {"f": 1}}}}}}}, "nested"),
        ({"client_event_id": "'; DROP TABLE users; --"}, "eventId"),
        ({"client_event_id": "x" * 65}, "eventId"),
        ({"at_offset": timedelta(hours=1)}, "future"),
        ({"at_offset": timedelta(days=-1)}, "before the session started"),
    ],
)
async def test_bad_event_input_is_rejected_and_writes_nothing(
    cook_ctx: AppContext, changes: dict[str, object], fragment: str
) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada, await make_recipe(cook_ctx))
    changes = dict(changes)  # parametrize shares the dict between the SQLite and PostgreSQL runs
    offset = changes.pop("at_offset", None)
    kwargs: dict[str, object] = {"step_number": 1, "event": "note", **changes}
    if isinstance(offset, timedelta):
        kwargs["at"] = cook_ctx.clock.now() + offset
    async with cook_ctx.session() as session:
        with pytest.raises(ValidationError, match=fragment):
            await record_step_event(
                session,
                actor=ada,
                session_id=session_id,
                cache=cook_ctx.cache,
                clock=cook_ctx.clock,
                **kwargs,  # type: ignore[arg-type]
            )
    assert await _events(cook_ctx, session_id) == []


async def test_naive_event_time_is_refused(cook_ctx: AppContext) -> None:
    ada = await make_user(cook_ctx)
    session_id = await _start(cook_ctx, ada, await make_recipe(cook_ctx))
    async with cook_ctx.session() as session:
        with pytest.raises(ValidationError, match="timezone"):
            await record_event(
                cook_ctx, session, ada, session_id, 1, "started", at=cook_ctx.clock.now().replace(tzinfo=None)
            )


async def test_history_is_per_actor_paginated_and_filtered(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, bob = await make_user(cook_ctx, "Ada"), await make_user(cook_ctx, "Bob")
    demo = await make_demo(cook_ctx)
    recipe_id = await make_recipe(cook_ctx, steps=2)
    ids = []
    for _ in range(3):
        ids.append(await _start(cook_ctx, ada, recipe_id))
        clock.advance(minutes=1)
    demo_id = await _start(cook_ctx, demo, recipe_id)
    async with cook_ctx.session() as session:
        await complete_cooking_session(session, actor=ada, session_id=ids[0], cache=cook_ctx.cache, clock=clock)
        page = await list_cooking_sessions(session, actor=ada, cache=cook_ctx.cache, limit=2)
        assert page.total == 3 and [i.id for i in page.items] == [ids[2], ids[1]]
        rest = await list_cooking_sessions(session, actor=ada, cache=cook_ctx.cache, limit=2, offset=2)
        assert [i.id for i in rest.items] == [ids[0]] and rest.items[0].status is SessionStatus.COMPLETED
        done = await list_cooking_sessions(session, actor=ada, cache=cook_ctx.cache, status=SessionStatus.COMPLETED)
        assert [i.id for i in done.items] == [ids[0]]
        assert (await list_cooking_sessions(session, actor=bob, cache=cook_ctx.cache)).total == 0
        demo_page = await list_cooking_sessions(session, actor=demo, cache=cook_ctx.cache)
        assert [i.id for i in demo_page.items] == [demo_id] and demo_page.items[0].total_steps == 2
        for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
            with pytest.raises(ValidationError):
                await list_cooking_sessions(session, actor=ada, cache=cook_ctx.cache, **bad)  # type: ignore[arg-type]


async def test_demo_and_local_actors_cook_and_own_their_rows(cook_ctx: AppContext) -> None:
    demo = await make_demo(cook_ctx)
    recipe_id = await make_recipe(cook_ctx)
    demo_session = await _start(cook_ctx, demo, recipe_id)
    local_session = await _start(cook_ctx, Actor.local(), recipe_id)
    demo_row, local_row = await _row(cook_ctx, demo_session), await _row(cook_ctx, local_session)
    assert (demo_row.user_id, demo_row.demo_session_id) == (None, demo.id)
    assert (local_row.user_id, local_row.demo_session_id) == (None, None)
    async with cook_ctx.session() as session:
        with pytest.raises(NotFoundError):
            await get_cooking_session(
                session, actor=Actor.local(), session_id=demo_session, cache=cook_ctx.cache, clock=cook_ctx.clock
            )
        mine = await get_cooking_session(
            session, actor=Actor.local(), session_id=local_session, cache=cook_ctx.cache, clock=cook_ctx.clock
        )
    assert mine.id == local_session
