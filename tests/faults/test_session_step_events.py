"""Step events that change a session (timer_started adds a timer) racing pause/resume and notes on one
session across two workers, after the pool sat idle: every acknowledged event and timer is stored."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
import pytest

from tests.faults.checks import assert_api_equals_database, pause_marks, session_row
from tests.faults.harness import auth, demo_token, recipe_with_most_steps, start_session

pytestmark = [pytest.mark.slow, pytest.mark.faults]

ALLOWED = {200, 201, 409, 503}
IDLE_SECONDS = 6.0


async def test_concurrent_step_events_and_pauses_on_one_session(fault_env, api_server) -> None:
    """Step events that change the session (timer_started adds a timer) racing pause/resume and notes."""
    server = api_server(workers=2)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as http:
        recipe = await recipe_with_most_steps(http)
        token = await demo_token(http)
        session_id = await start_session(http, token, recipe["id"])
        base = f"/api/cooking/sessions/{session_id}"

        def event(kind: str, number: int) -> dict[str, Any]:
            data = {"seconds": 900, "name": f"ev-t{number}"} if kind == "timer_started" else {"text": f"n{number}"}
            body = {"sessionId": session_id, "stepNumber": 1, "event": kind, "eventId": f"{kind}-{number}"}
            return body | {"data": data}

        ops: list[tuple[str, str, dict[str, Any] | None]] = (
            [("event", "/api/cooking/step-event", event("timer_started", i)) for i in range(9)]
            + [("event", "/api/cooking/step-event", event("note", i)) for i in range(6)]
            + [("pause", f"{base}/pause", None)] * 3
            + [("resume", f"{base}/resume", None)] * 2
        )
        random.Random(7).shuffle(ops)
        await asyncio.sleep(IDLE_SECONDS)
        responses = await asyncio.gather(*(http.post(path, json=body, headers=auth(token)) for _, path, body in ops))
        results = [(kind, body, response) for (kind, _, body), response in zip(ops, responses, strict=True)]
        unexpected = [(k, r.status_code, r.text[:200]) for k, _, r in results if r.status_code not in ALLOWED]
        assert not unexpected, f"only 2xx, 409 or 503 are acceptable: {unexpected}"

        rows = await fault_env.fetch(
            "SELECT client_event_id, id::text AS id FROM cooking_step_events WHERE session_id = $1::uuid", session_id
        )
        stored = {row["client_event_id"]: row["id"] for row in rows if row["client_event_id"]}
        db = await session_row(fault_env, session_id)
        timer_names = {timer["name"] for timer in db["timers"]}
        for kind, body, response in results:
            if kind != "event" or not response.is_success or body is None:
                continue
            assert stored.get(body["eventId"]) == response.json()["event"]["id"], f"acked event lost: {body}"
            if body["event"] == "timer_started":
                assert body["data"]["name"] in timer_names, f"acked timer {body['data']['name']} not stored"
        marks = await pause_marks(fault_env, session_id)
        assert [action for action, _ in marks] == [("pause", "resume")[i % 2] for i in range(len(marks))], marks
        assert db["paused_at"] == (marks[-1][1] if marks and marks[-1][0] == "pause" else None)
        await assert_api_equals_database(http, token, fault_env, session_id)
