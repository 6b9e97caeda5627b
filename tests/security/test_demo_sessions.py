"""Demo sessions can be ended (issue 17 #1): a demo token is only as alive as its `demo_sessions` row."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import delete, update

from chefmentor.auth.demo_sessions import end_demo_session
from chefmentor.auth.models import DemoSession
from chefmentor.config import Settings
from tests.security.conftest import build_app, client_for, error_of, start_demo

PROBE = "/api/failure/analyses"


async def _probe(client: httpx.AsyncClient, headers: dict[str, str]) -> httpx.Response:
    return await client.get(PROBE, headers=headers)


@pytest.mark.parametrize("change", ["expired", "deleted"])
async def test_ended_demo_session_stops_its_token_at_once(sec_settings: Settings, change: str) -> None:
    """API2:2023 Broken Authentication: a demo token must not outlive its server-side session."""
    app = build_app(sec_settings, auth={"demo_check_cache_seconds": 0.0})
    async with client_for(app) as client:
        demo_id, headers = await start_demo(client)
        assert (await _probe(client, headers)).status_code == 200
        async with app.state.ctx.session() as session:
            if change == "expired":
                past = datetime.now(UTC) - timedelta(minutes=1)
                await session.execute(
                    update(DemoSession).where(DemoSession.id == uuid.UUID(demo_id)).values(expires_at=past)
                )
            else:
                await session.execute(delete(DemoSession).where(DemoSession.id == uuid.UUID(demo_id)))
            await session.commit()
        expected = "TOKEN_EXPIRED" if change == "expired" else "INVALID_TOKEN"
        assert error_of(await _probe(client, headers))[:2] == (401, expected)
        # Nor can it create anything: the write route refuses it before looking at the body.
        started = await client.post("/api/cooking/start", json={"recipeId": str(uuid.uuid4())}, headers=headers)
        assert error_of(started)[:2] == (401, expected)
        # Anonymous browsing still works; only the dead credential is refused.
        assert (await client.get("/api/recipes")).status_code == 200


async def test_ending_a_demo_invalidates_the_cached_check(sec_settings: Settings) -> None:
    """API2:2023 Broken Authentication: the lookup is cached, but ending the session drops the cache entry."""
    app = build_app(sec_settings, auth={"demo_check_cache_seconds": 600.0})
    async with client_for(app) as client:
        demo_id, headers = await start_demo(client)
        assert (await _probe(client, headers)).status_code == 200  # now cached for 10 minutes
        ctx = app.state.ctx
        async with ctx.session() as session:
            assert await end_demo_session(session, uuid.UUID(demo_id), cache=ctx.cache, clock=ctx.clock)
        assert error_of(await _probe(client, headers))[:2] == (401, "TOKEN_EXPIRED")


@pytest.mark.pg
@pytest.mark.redis
async def test_ending_a_demo_on_one_worker_stops_it_on_another(pg_settings, redis_url, redis_namespace) -> None:
    """API2:2023 Broken Authentication: with 2 workers the invalidation travels through the shared cache."""
    from tests.conftest import redis_cleanup
    from tests.server.conftest import with_overrides

    settings = with_overrides(
        pg_settings, redis={"url": redis_url, "namespace": redis_namespace}, auth={"demo_check_cache_seconds": 600.0}
    )
    async with redis_cleanup(redis_url, redis_namespace):
        first, second = build_app(settings), build_app(settings)
        async with client_for(first) as worker_a, client_for(second) as worker_b:
            demo_id, headers = await start_demo(worker_a)
            assert (await _probe(worker_a, headers)).status_code == 200
            assert (await _probe(worker_b, headers)).status_code == 200
            ctx = second.state.ctx
            async with ctx.session() as session:
                await end_demo_session(session, uuid.UUID(demo_id), cache=ctx.cache, clock=ctx.clock)
            assert error_of(await _probe(worker_a, headers))[:2] == (401, "TOKEN_EXPIRED")
