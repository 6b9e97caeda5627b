"""Side effects scheduled by routes: PostHog SDK events from real API calls, the media job enqueued on upload."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
from pydantic import SecretStr
from sqlalchemy import select

from chefmentor.failure.models import FailureAnalysis
from chefmentor.recipes.models import Recipe
from server.app import create_app
from tests.conftest import seed_fixture_recipes
from tests.fakes.ingest import serve_ingest
from tests.media.builders import jpeg


def _wait_for_events(fake, count: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while len(fake.posthog_events()) < count and time.monotonic() < deadline:
        time.sleep(0.05)


async def test_api_calls_emit_product_events_and_preprocess_uploads(settings) -> None:
    with serve_ingest() as fake:
        configured = settings.model_copy(
            update={
                "observability": settings.observability.model_copy(
                    update={"posthog_api_key": SecretStr("phc_hooks"), "posthog_host": fake.base_url}
                )
            }
        )
        app = create_app(configured)
        async with app.router.lifespan_context(app):
            ctx = app.state.ctx
            await ctx.jobs.start(ctx)  # env=test leaves the in-process runner off unless a test opts in
            await seed_fixture_recipes(ctx)
            async with ctx.session() as session:
                recipe_id = await session.scalar(select(Recipe.id).where(Recipe.slug == "perfect-stovetop-rice"))
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                demo = (await client.post("/api/demo/start")).json()
                auth = {"Authorization": f"Bearer {demo['accessToken']}"}
                started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=auth)
                session_id = started.json()["id"]
                done = await client.post(f"/api/cooking/sessions/{session_id}/complete", headers=auth)
                assert done.status_code == 200, done.text
                analyzed = await client.post(
                    "/api/failure/analyze",
                    files={"file": ("dish.jpg", jpeg(900, 600), "image/jpeg")},
                    data={"dish": "rice", "notes": "burnt at the bottom, smelled scorched"},
                    headers=auth,
                )
                assert analyzed.status_code == 201, analyzed.text
                await client.get("/api/recipes")  # not tracked
            await ctx.jobs.drain()
            async with ctx.session() as session:
                meta = await session.scalar(
                    select(FailureAnalysis.media_meta).where(FailureAnalysis.id == uuid.UUID(analyzed.json()["id"]))
                )
            ctx.analytics.flush()
            await asyncio.to_thread(_wait_for_events, fake, 4)
    assert "variants" in meta and meta["variants"]["thumbnail"].startswith("/media/")
    received = fake.posthog_events()
    names = [e["event"] for e in received]
    assert names[:3] == ["demo started", "cooking started", "cooking completed"], names
    analysis = next(e for e in received if e["event"] == "analysis created")
    demo_id = f"demo:{demo['demoSessionId']}"
    assert {e["distinct_id"] for e in received} == {demo_id}
    assert analysis["properties"]["provider"] == "local"
    assert analysis["properties"]["category"] == analyzed.json()["category"]
    assert len(received) == 4


async def test_no_hooks_without_analytics(settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            assert (await client.post("/api/demo/start")).status_code == 201
        assert app.state.ctx.analytics.enabled is False
