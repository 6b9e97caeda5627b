"""A stalled Redis (SIGSTOP) while a cook pauses, resumes and moves on, on `chefmentor serve --workers 2`.

The cache is only a cache: whatever Redis did with a write it could not finish (or finished late, when it
woke up), every acknowledged pause/resume/next is what the database holds right after it, and the API's
view of the session equals the database's.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.faults.checks import assert_api_equals_database, parse_time, session_row
from tests.faults.harness import auth, demo_token, is_error_envelope, recipe_with_most_steps
from tests.faults.harness import start_session as start_cooking

pytestmark = [pytest.mark.slow, pytest.mark.faults]

STALLED_ANSWER_LIMIT_SECONDS = 10.0


async def _change(http: httpx.AsyncClient, token: str, fault_env, session_id: str, action: str) -> int:
    """One pause/resume/next; a 2xx must be exactly what the database holds right after it."""
    started = time.monotonic()
    response = await http.post(f"/api/cooking/sessions/{session_id}/{action}", headers=auth(token))
    took = time.monotonic() - started
    assert took < STALLED_ANSWER_LIMIT_SECONDS, f"{action} took {took:.1f} s"
    assert response.status_code in (200, 503), f"{action}: {response.status_code} {response.text[:300]}"
    if response.status_code == 503:
        assert is_error_envelope(response) and response.headers.get("retry-after"), response.text
        return 503
    body = response.json()
    db = await session_row(fault_env, session_id)
    if action == "next":
        assert body["currentStep"]["stepNumber"] == db["current_step"], (body["currentStep"], db)
    else:
        assert parse_time(body["pausedAt"]) == db["paused_at"], (action, body["pausedAt"], db["paused_at"])
        assert (db["paused_at"] is not None) == (action == "pause"), f"{action} answered 200 but did not stick: {db}"
    return 200


async def test_redis_stall_during_pause_and_resume_keeps_api_equal_to_database(fault_env, api_server) -> None:
    redis = fault_env.redis
    server = api_server(workers=2)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as http:
        recipe = await recipe_with_most_steps(http)
        token = await demo_token(http)
        session_id = await start_cooking(http, token, recipe["id"])
        await assert_api_equals_database(http, token, fault_env, session_id)  # the snapshot is now cached
        # (stalled?, action): writes while Redis is frozen, then decisions right after it wakes up.
        plan = [
            (True, "pause"),
            (True, "next"),
            (False, "resume"),
            (False, "pause"),
            (True, "resume"),
            (True, "pause"),
            (False, "resume"),
            (False, "next"),
            (True, "pause"),
            (False, "resume"),
        ]
        answered = []
        try:
            for stalled, action in plan:
                if stalled and not redis.stalled:
                    redis.stall()
                elif not stalled and redis.stalled:
                    redis.resume()
                    await asyncio.sleep(0.2)
                answered.append((action, await _change(http, token, fault_env, session_id, action)))
        finally:
            if redis.stalled:
                redis.resume()
        assert any(status == 200 for _, status in answered), answered
        await asyncio.sleep(0.5)
        await assert_api_equals_database(http, token, fault_env, session_id)
        await assert_api_equals_database(http, token, fault_env, session_id)  # once more: both workers, warm cache
