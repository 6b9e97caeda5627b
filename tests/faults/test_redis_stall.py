"""A stalled Redis (SIGSTOP) while a cook pauses, resumes and moves on, on `chefmentor serve --workers 2`.

The cache is only a cache: whatever Redis did with a write it could not finish (or finished late, when it
woke up), every acknowledged pause/resume/next is what the database holds right after it, and the API's
view of the session equals the database's.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.faults.checks import assert_api_equals_database, change_and_check
from tests.faults.harness import demo_token, recipe_with_most_steps
from tests.faults.harness import start_session as start_cooking

pytestmark = [pytest.mark.slow, pytest.mark.faults]


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
                answered.append((action, await change_and_check(http, token, fault_env, session_id, action)))
        finally:
            if redis.stalled:
                redis.resume()
        assert any(status == 200 for _, status in answered), answered
        await asyncio.sleep(0.5)
        await assert_api_equals_database(http, token, fault_env, session_id)
        await assert_api_equals_database(http, token, fault_env, session_id)  # once more: both workers, warm cache
