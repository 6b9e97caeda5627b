"""Redis stopped under `chefmentor serve --workers 2`, then started again (empty, as after a restart without
persistence): the API keeps serving from the database, /health says "degraded", nothing acknowledged is lost
or answered twice, and once Redis is back the API's view equals the database's."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from tests.faults.checks import assert_api_equals_database, change_and_check, stored_event_ids
from tests.faults.harness import auth, demo_token, recipe_with_most_steps, start_session

pytestmark = [pytest.mark.slow, pytest.mark.faults]

HEALTH_RECOVERY_SECONDS = 10.0


async def _note(http: httpx.AsyncClient, token: str, session_id: str, event_id: str) -> httpx.Response:
    body = {"sessionId": session_id, "stepNumber": 1, "event": "note", "eventId": event_id, "data": {"text": "x"}}
    return await http.post("/api/cooking/step-event", json=body, headers=auth(token))


async def test_redis_down_then_back_for_the_api(fault_env, api_server) -> None:
    redis = fault_env.redis
    server = api_server(workers=2)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as http:
        recipe = await recipe_with_most_steps(http)
        token = await demo_token(http)
        session_id = await start_session(http, token, recipe["id"])
        await assert_api_equals_database(http, token, fault_env, session_id)
        acked: dict[str, str] = {}
        redis.stop()
        try:
            health = await http.get("/health")
            assert health.status_code == 200, health.text
            assert health.json()["redis"] == "down" and health.json()["status"] == "degraded", health.text
            for action in ("pause", "next", "resume", "next"):
                await change_and_check(http, token, fault_env, session_id, action)
            event_id = f"down-{uuid.uuid4().hex[:10]}"
            first = await _note(http, token, session_id, event_id)
            again = await _note(http, token, session_id, event_id)
            assert first.status_code == again.status_code == 200, (first.text, again.text)
            assert first.json() == again.json(), "a repeated eventId must get the first answer while Redis is down"
            acked[event_id] = first.json()["event"]["id"]
            await assert_api_equals_database(http, token, fault_env, session_id)
        finally:
            if not redis.running():
                redis.start()
        deadline = time.monotonic() + HEALTH_RECOVERY_SECONDS
        while (await http.get("/health")).json().get("redis") != "ok":
            assert time.monotonic() < deadline, "Redis is back but /health still says it is down"
            await asyncio.sleep(0.3)
        for action in ("pause", "resume", "next"):
            assert await change_and_check(http, token, fault_env, session_id, action) == 200
        event_id = f"back-{uuid.uuid4().hex[:10]}"
        response = await _note(http, token, session_id, event_id)
        assert response.status_code == 200, response.text
        acked[event_id] = response.json()["event"]["id"]
        await assert_api_equals_database(http, token, fault_env, session_id)
    stored = await stored_event_ids(fault_env, [session_id])
    assert {event_id: stored.get(event_id) for event_id in acked} == {e: [i] for e, i in acked.items()}
