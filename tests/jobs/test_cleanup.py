"""Cache cleanup: expired demos lose cached state at once and their rows after the grace period."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from chefmentor.audit.models import AuditLog
from chefmentor.auth.models import DemoSession
from chefmentor.cache import RedisCache, create_redis_client
from chefmentor.clock import FrozenClock
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus, StepEventKind
from chefmentor.failure.models import AnalysisNote, FailureAnalysis
from chefmentor.jobs.cleanup import cleanup_cache
from chefmentor.media.store import LocalMediaStore
from chefmentor.recipes.models import Recipe
from tests.conftest import redis_cleanup, seed_fixture_recipes

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 90, 30)).save(out, "JPEG")
    return out.getvalue()


async def _demo_with_data(ctx, *, expires_at: datetime, status: SessionStatus = SessionStatus.IN_PROGRESS) -> dict:
    async with ctx.session() as session:
        recipe_id = await session.scalar(select(Recipe.id).limit(1))
        demo = DemoSession(created_at=expires_at - timedelta(hours=24), expires_at=expires_at)
        session.add(demo)
        await session.flush()
        cooking = CookingSession(demo_session_id=demo.id, recipe_id=recipe_id, status=status)
        session.add(cooking)
        await session.flush()
        session.add(CookingStepEvent(session_id=cooking.id, step_number=1, event=StepEventKind.STARTED))
        stored = await ctx.media_store.save(_jpeg(), "image", "jpg")
        analysis = FailureAnalysis(demo_session_id=demo.id, media_url=stored.url, media_meta={})
        session.add(analysis)
        await session.flush()
        session.add(AnalysisNote(analysis_id=analysis.id, text="too brown"))
        await session.commit()
    await ctx.cache.set(f"cooking:session:{cooking.id}", b"{}", 3600)
    return {"demo": demo.id, "cooking": cooking.id, "analysis": analysis.id, "media": stored.url}


async def _exists(ctx, model, ident) -> bool:
    async with ctx.session() as session:
        return await session.get(model, ident) is not None


async def _cleanup_case(ctx) -> None:
    await seed_fixture_recipes(ctx)
    old = await _demo_with_data(ctx, expires_at=NOW - timedelta(hours=30))
    recent = await _demo_with_data(ctx, expires_at=NOW - timedelta(hours=1))
    active = await _demo_with_data(ctx, expires_at=NOW + timedelta(hours=5))
    finished = await _demo_with_data(ctx, expires_at=NOW + timedelta(hours=5), status=SessionStatus.COMPLETED)
    unknown_key = f"cooking:session:{uuid.uuid4()}"
    await ctx.cache.set(unknown_key, b"{}", 3600)

    report = await cleanup_cache(ctx, grace_hours=24)

    assert report["demoSessionsPurged"] == 1
    for model, key in ((DemoSession, "demo"), (CookingSession, "cooking"), (FailureAnalysis, "analysis")):
        assert not await _exists(ctx, model, old[key])
        assert await _exists(ctx, model, recent[key]), "inside the grace period the rows stay"
    async with ctx.session() as session:
        assert await session.scalar(select(func.count()).select_from(AnalysisNote)) == 3
        assert await session.scalar(select(func.count()).select_from(CookingStepEvent)) == 3
        purge = list(await session.scalars(select(AuditLog).where(AuditLog.action == "purge")))
    assert [row.entity_id for row in purge] == [old["demo"]]
    store = ctx.media_store
    assert isinstance(store, LocalMediaStore)
    assert store.path_for(old["media"].removeprefix("/media/")) is None
    assert store.path_for(recent["media"].removeprefix("/media/")) is not None
    # Cached state: the expired demo's is dropped at once; the active one stays; stale keys go.
    assert await ctx.cache.get(f"cooking:session:{recent['cooking']}") is None
    assert await ctx.cache.get(f"cooking:session:{active['cooking']}") == b"{}"
    assert await ctx.cache.get(f"cooking:session:{finished['cooking']}") is None
    assert await ctx.cache.get(unknown_key) is None
    again = await cleanup_cache(ctx, grace_hours=24)
    assert again["demoSessionsPurged"] == 0 and again["staleSessionKeysDropped"] == 0


async def test_cleanup_with_memory_cache(make_ctx) -> None:
    async with make_ctx(clock=FrozenClock(NOW)) as ctx:
        await _cleanup_case(ctx)


@pytest.mark.redis
async def test_cleanup_with_redis_cache(make_ctx, redis_url, redis_namespace) -> None:
    client = create_redis_client(redis_url, 2.0)
    async with redis_cleanup(redis_url, redis_namespace):
        cache = RedisCache(client, namespace=redis_namespace)
        async with make_ctx(clock=FrozenClock(NOW), cache=cache) as ctx:
            await _cleanup_case(ctx)
    await client.aclose()


async def test_grace_period_comes_from_settings(make_ctx, settings) -> None:
    tuned = settings.model_copy(update={"jobs": settings.jobs.model_copy(update={"demo_grace_hours": 0})})
    async with make_ctx(tuned, clock=FrozenClock(NOW)) as ctx:
        await seed_fixture_recipes(ctx)
        just_expired = await _demo_with_data(ctx, expires_at=NOW - timedelta(minutes=5))
        report = await cleanup_cache(ctx)
        assert report["graceHours"] == 0 and report["demoSessionsPurged"] == 1
        assert not await _exists(ctx, DemoSession, just_expired["demo"])
