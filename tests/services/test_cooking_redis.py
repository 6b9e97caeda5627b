"""The active-session cache on the real Redis: written through on change, dropped when the session ends."""

from __future__ import annotations

from collections.abc import AsyncIterator

import orjson
import pytest
import redis.asyncio as aioredis

from chefmentor.cache import RedisCache
from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.cooking.navigation import start_timer
from chefmentor.cooking.service import (
    complete_cooking_session,
    get_cooking_session,
    record_step_event,
    start_cooking,
)
from chefmentor.cooking.state import cache_key
from chefmentor.errors import ConflictError
from tests.conftest import redis_cleanup
from tests.services.owners import T0, make_recipe, make_user

pytestmark = pytest.mark.redis


@pytest.fixture
async def redis_ctx(settings: Settings, redis_url: str, redis_namespace: str) -> AsyncIterator[AppContext]:
    client = aioredis.Redis.from_url(redis_url)
    async with redis_cleanup(redis_url, redis_namespace):
        cache = RedisCache(client, namespace=redis_namespace)
        async with open_context(settings, cache=cache, clock=FrozenClock(T0)) as ctx:
            yield ctx
    await client.aclose()


async def test_active_session_lives_in_redis_until_it_ends(redis_ctx: AppContext, redis_namespace: str) -> None:
    ctx = redis_ctx
    raw_client = ctx.cache.client  # type: ignore[attr-defined]
    ada = await make_user(ctx)
    recipe_id = await make_recipe(ctx, steps=3)
    async with ctx.session() as session:
        sid = (await start_cooking(session, actor=ada, recipe_id=recipe_id, cache=ctx.cache, clock=ctx.clock)).id
    key = redis_namespace + cache_key(sid)
    cached = orjson.loads(await raw_client.get(key))
    assert cached["status"] == "in_progress" and cached["currentStep"] == 1 and cached["userId"] == str(ada.id)
    assert 0 < await raw_client.ttl(key) <= 12 * 3600

    async with ctx.session() as session:
        await record_step_event(
            session, actor=ada, session_id=sid, step_number=2, event="completed", cache=ctx.cache, clock=ctx.clock
        )
        await start_timer(session, actor=ada, session_id=sid, seconds=90, name="rest", cache=ctx.cache, clock=ctx.clock)
    cached = orjson.loads(await raw_client.get(key))
    assert cached["currentStep"] == 3 and [t["name"] for t in cached["timers"]] == ["rest"]

    # A read after the key expired (or was evicted) reloads from the database and re-caches.
    await raw_client.delete(key)
    async with ctx.session() as session:
        again = await get_cooking_session(session, actor=ada, session_id=sid, cache=ctx.cache, clock=ctx.clock)
    assert again.current_step == 3 and await raw_client.exists(key)

    async with ctx.session() as session:
        await complete_cooking_session(session, actor=ada, session_id=sid, cache=ctx.cache, clock=ctx.clock)
    assert not await raw_client.exists(key)
    async with ctx.session() as session:
        with pytest.raises(ConflictError):
            await record_step_event(
                session, actor=ada, session_id=sid, step_number=1, event="started", cache=ctx.cache, clock=ctx.clock
            )
    assert not await raw_client.exists(key)


async def test_redis_down_degrades_to_the_database(settings: Settings) -> None:
    """A dead Redis is a cache miss on every call: cooking keeps working from the database."""
    dead = aioredis.Redis.from_url("redis://127.0.0.1:1/0", socket_timeout=0.2, socket_connect_timeout=0.2)
    async with open_context(settings, cache=RedisCache(dead), clock=FrozenClock(T0)) as ctx:
        ada = await make_user(ctx)
        recipe_id = await make_recipe(ctx, steps=2)
        async with ctx.session() as session:
            sid = (await start_cooking(session, actor=ada, recipe_id=recipe_id, cache=ctx.cache, clock=ctx.clock)).id
            guidance = await record_step_event(
                session, actor=ada, session_id=sid, step_number=1, event="completed", cache=ctx.cache, clock=ctx.clock
            )
    assert guidance.current_step.step_number == 2
    await dead.aclose()
