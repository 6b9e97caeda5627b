"""Cooking endpoints over HTTP (SQLite and PostgreSQL): statuses, envelope codes and the rows written."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from chefmentor.auth.tokens import issue_access_token
from chefmentor.context import AppContext
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus
from tests.server.conftest import envelope_code
from tests.services.owners import make_recipe, make_user


async def user_headers(ctx: AppContext, name: str = "Ada") -> dict[str, str]:
    actor = await make_user(ctx, name)
    token = issue_access_token(ctx.settings, actor.id, now=datetime.now(UTC)).token  # type: ignore[arg-type]
    return {"Authorization": f"Bearer {token}"}


async def demo_headers(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post("/api/demo/start")
    assert response.status_code == 201
    return {"Authorization": f"Bearer {response.json()['accessToken']}"}


async def _count_events(ctx: AppContext, session_id: str | None = None) -> int:
    async with ctx.session() as session:
        query = select(func.count()).select_from(CookingStepEvent)
        if session_id:
            query = query.where(CookingStepEvent.session_id == uuid.UUID(session_id))
        return int(await session.scalar(query) or 0)


@pytest.fixture
async def cooking(client: httpx.AsyncClient, ctx: AppContext) -> dict[str, Any]:
    ada = await user_headers(ctx, "Ada")
    recipe_id = await make_recipe(ctx, steps=3)
    started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=ada)
    assert started.status_code == 201, started.text
    return {"ada": ada, "session": started.json(), "recipe_id": recipe_id}


async def test_start_and_step_events_return_guidance(client: httpx.AsyncClient, ctx: AppContext, cooking) -> None:
    body, ada = cooking["session"], cooking["ada"]
    assert body["status"] == "in_progress" and body["currentStep"] == 1 and body["totalSteps"] == 3
    assert body["step"]["instruction"] == "Do step 1" and body["step"]["expectedState"] == "state 1"
    event = {"sessionId": body["id"], "stepNumber": 1, "event": "completed", "data": {"heat": "high"}}
    response = await client.post("/api/cooking/step-event", json=event, headers=ada)
    assert response.status_code == 200, response.text
    guidance = response.json()
    assert guidance["currentStep"]["stepNumber"] == 2 and guidance["expectedState"] == "state 2"
    assert guidance["nextStep"]["stepNumber"] == 3 and guidance["event"]["event"] == "completed"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert await _count_events(ctx, body["id"]) == 1
    detail = (await client.get(f"/api/cooking/sessions/{body['id']}", headers=ada)).json()
    assert detail["currentStep"] == 2
    events = (await client.get(f"/api/cooking/sessions/{body['id']}/events", headers=ada)).json()
    assert [(e["stepNumber"], e["event"], e["data"]) for e in events] == [(1, "completed", {"heat": "high"})]


async def test_other_users_and_demos_get_404(client: httpx.AsyncClient, ctx: AppContext, cooking) -> None:
    sid = cooking["session"]["id"]
    bob = await user_headers(ctx, "Bob")
    demo = await demo_headers(client)
    for intruder in (bob, demo):
        calls = [
            client.post(
                "/api/cooking/step-event",
                json={"sessionId": sid, "stepNumber": 1, "event": "started"},
                headers=intruder,
            ),
            client.get(f"/api/cooking/sessions/{sid}", headers=intruder),
            client.get(f"/api/cooking/sessions/{sid}/events", headers=intruder),
            client.post(f"/api/cooking/sessions/{sid}/complete", headers=intruder),
            client.post(f"/api/cooking/sessions/{sid}/abandon", headers=intruder),
            client.post(f"/api/cooking/sessions/{sid}/timers", json={"seconds": 5}, headers=intruder),
        ]
        for call in calls:
            response = await call
            assert response.status_code == 404 and envelope_code(response) == "NOT_FOUND"
    unknown = await client.get(f"/api/cooking/sessions/{uuid.uuid4()}", headers=bob)
    probed = await client.get(f"/api/cooking/sessions/{sid}", headers=bob)
    assert unknown.json() == probed.json()
    assert await _count_events(ctx) == 0
    listing = (await client.get("/api/cooking/sessions", headers=bob)).json()
    assert listing["total"] == 0 and listing["items"] == []


async def test_anonymous_is_401(client: httpx.AsyncClient, cooking) -> None:
    response = await client.post("/api/cooking/start", json={"recipeId": str(cooking["recipe_id"])})
    assert response.status_code == 401 and envelope_code(response) == "UNAUTHORIZED"
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_ended_session_is_409_and_out_of_range_is_422(
    client: httpx.AsyncClient, ctx: AppContext, cooking
) -> None:
    sid, ada = cooking["session"]["id"], cooking["ada"]
    out = await client.post(
        "/api/cooking/step-event", json={"sessionId": sid, "stepNumber": 4, "event": "started"}, headers=ada
    )
    assert out.status_code == 422 and envelope_code(out) == "VALIDATION_ERROR"
    done = await client.post(f"/api/cooking/sessions/{sid}/complete", headers=ada)
    assert done.status_code == 200 and done.json()["status"] == "completed"
    for call in (
        client.post(
            "/api/cooking/step-event", json={"sessionId": sid, "stepNumber": 1, "event": "started"}, headers=ada
        ),
        client.post(f"/api/cooking/sessions/{sid}/complete", headers=ada),
        client.post(f"/api/cooking/sessions/{sid}/abandon", headers=ada),
        client.post(f"/api/cooking/sessions/{sid}/next", headers=ada),
    ):
        response = await call
        assert response.status_code == 409 and envelope_code(response) == "CONFLICT"
    assert await _count_events(ctx, sid) == 0
    async with ctx.session() as session:
        row = await session.get(CookingSession, uuid.UUID(sid))
        assert row is not None and row.status is SessionStatus.COMPLETED


async def test_duplicate_event_id_is_idempotent(client: httpx.AsyncClient, ctx: AppContext, cooking) -> None:
    sid, ada = cooking["session"]["id"], cooking["ada"]
    event = {"sessionId": sid, "stepNumber": 2, "event": "started", "eventId": "evt-1"}
    first = await client.post("/api/cooking/step-event", json=event, headers=ada)
    second = await client.post("/api/cooking/step-event", json=event, headers=ada)
    assert first.status_code == second.status_code == 200
    assert first.json()["event"] == second.json()["event"]
    assert await _count_events(ctx, sid) == 1
    reused = await client.post("/api/cooking/step-event", json={**event, "stepNumber": 3}, headers=ada)
    assert reused.status_code == 409 and await _count_events(ctx, sid) == 1


@pytest.mark.parametrize(
    "patch",
    [
        {"stepNumber": 0},
        {"stepNumber": "two"},
        {"stepNumber": 10**9},
        {"event": "exploded"},
        {"sessionId": "not-a-uuid"},
        {"extra": "field"},
        {"eventId": "x" * 65},
        {"eventId": "a\u0000b"},
        {"at": "2026-01-01T10:00:00"},
        {"data": {"text": "nul\u0000"}},
        {"data": {f"k{i}": i for i in range(17)}},
        {"data": "not an object"},
        {"data": {"note": "x" * 5000}},
    ],
)
async def test_bad_step_events_are_4xx_and_write_nothing(
    client: httpx.AsyncClient, ctx: AppContext, cooking, patch
) -> None:
    event = {"sessionId": cooking["session"]["id"], "stepNumber": 1, "event": "note", **patch}
    response = await client.post("/api/cooking/step-event", json=event, headers=cooking["ada"])
    assert response.status_code == 422, response.text
    assert envelope_code(response) == "VALIDATION_ERROR"
    assert await _count_events(ctx) == 0


async def test_navigation_timers_pause_over_http(client: httpx.AsyncClient, ctx: AppContext, cooking) -> None:
    sid, ada = cooking["session"]["id"], cooking["ada"]
    base = f"/api/cooking/sessions/{sid}"
    assert (await client.post(f"{base}/next", headers=ada)).json()["currentStep"]["stepNumber"] == 2
    assert (await client.post(f"{base}/previous", headers=ada)).json()["currentStep"]["stepNumber"] == 1
    jumped = await client.post(f"{base}/goto", json={"stepNumber": 3}, headers=ada)
    assert jumped.json()["currentStep"]["stepNumber"] == 3
    assert (await client.post(f"{base}/goto", json={"stepNumber": 9}, headers=ada)).status_code == 422
    assert (await client.get(f"{base}/guidance", headers=ada)).json()["currentStep"]["stepNumber"] == 3
    timer = await client.post(f"{base}/timers", json={"name": "rice", "seconds": 600}, headers=ada)
    assert timer.status_code == 201 and timer.json()["name"] == "rice"
    assert 0 < timer.json()["remainingSeconds"] <= 600
    assert (await client.post(f"{base}/timers", json={"seconds": 0}, headers=ada)).status_code == 422
    paused = await client.post(f"{base}/pause", headers=ada)
    assert paused.json()["pausedAt"] is not None and paused.json()["timers"][0]["status"] == "paused"
    assert (await client.post(f"{base}/resume", headers=ada)).json()["pausedAt"] is None
    assert [t["name"] for t in (await client.get(f"{base}/timers", headers=ada)).json()] == ["rice"]
    assert (await client.post(f"{base}/timers/check", headers=ada)).json() == []
    cancelled = await client.delete(f"{base}/timers/RICE", headers=ada)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert (await client.delete(f"{base}/timers/rice", headers=ada)).status_code == 404
    async with ctx.session() as session:
        row = await session.get(CookingSession, uuid.UUID(sid))
        assert row is not None and [t["status"] for t in row.timers] == ["cancelled"]


async def test_history_pagination_and_bounds(client: httpx.AsyncClient, cooking) -> None:
    ada = cooking["ada"]
    recipe = str(cooking["recipe_id"])
    for _ in range(2):
        assert (await client.post("/api/cooking/start", json={"recipeId": recipe}, headers=ada)).status_code == 201
    page = (await client.get("/api/cooking/sessions", params={"limit": 2}, headers=ada)).json()
    assert page["total"] == 3 and len(page["items"]) == 2
    for params in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"status": "burnt"}):
        response = await client.get("/api/cooking/sessions", params=params, headers=ada)
        assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"
    unknown_recipe = await client.post("/api/cooking/start", json={"recipeId": str(uuid.uuid4())}, headers=ada)
    assert unknown_recipe.status_code == 404


async def test_demo_can_cook(client: httpx.AsyncClient, ctx: AppContext) -> None:
    demo = await demo_headers(client)
    recipe_id = await make_recipe(ctx, steps=2)
    started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=demo)
    assert started.status_code == 201
    async with ctx.session() as session:
        row = await session.get(CookingSession, uuid.UUID(started.json()["id"]))
        assert row is not None and row.user_id is None and row.demo_session_id is not None


@pytest.mark.redis
async def test_step_events_with_redis_configured(settings, redis_url: str, redis_namespace: str) -> None:
    """Production shape: Redis holds the active session; the API answers the same and cleans up on complete."""
    import redis.asyncio as aioredis

    from chefmentor.cache import RedisCache
    from chefmentor.context import open_context
    from server.app import create_app
    from tests.conftest import redis_cleanup
    from tests.server.conftest import client_for, with_overrides

    client_redis = aioredis.Redis.from_url(redis_url)
    configured = with_overrides(settings, redis={"url": redis_url})

    def context_factory(s):
        return open_context(s, cache=RedisCache(client_redis, namespace=redis_namespace))

    app = create_app(configured, context_factory=context_factory)
    async with redis_cleanup(redis_url, redis_namespace), client_for(app) as client:
        ctx = app.state.ctx
        ada = await user_headers(ctx)
        recipe_id = await make_recipe(ctx, steps=2)
        sid = (await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=ada)).json()["id"]
        key = f"{redis_namespace}cooking:session:{sid}"
        assert await client_redis.exists(key)
        event = {"sessionId": sid, "stepNumber": 1, "event": "completed", "eventId": "r-1"}
        first = await client.post("/api/cooking/step-event", json=event, headers=ada)
        again = await client.post("/api/cooking/step-event", json=event, headers=ada)
        assert first.status_code == again.status_code == 200 and first.json()["event"] == again.json()["event"]
        assert b'"currentStep":2' in (await client_redis.get(key) or b"")
        assert await _count_events(ctx, sid) == 1
        assert (await client.post(f"/api/cooking/sessions/{sid}/complete", headers=ada)).status_code == 200
        assert not await client_redis.exists(key)
    await client_redis.aclose()
