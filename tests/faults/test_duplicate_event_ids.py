"""One eventId sent 20 times at once (to `chefmentor serve --workers 2` on PostgreSQL + Redis, and to the
embedded SQLite default): one stored row, one answer 20 times."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx
import pytest

from tests.faults.checks import session_row, stored_event_ids
from tests.faults.harness import auth, demo_token, recipe_with_most_steps, start_session

pytestmark = [pytest.mark.slow, pytest.mark.faults]


@pytest.mark.parametrize(
    ("fault_env", "kind"),
    [("postgres", "note"), ("postgres", "completed"), ("sqlite", "completed")],
    ids=["postgres-note", "postgres-completed", "sqlite-completed"],
    indirect=["fault_env"],
)
async def test_same_event_id_twenty_times_at_once_is_stored_once(fault_env, api_server, kind: str) -> None:
    server = api_server(workers=1 if fault_env.sqlite_path else 2)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=15) as http:
        recipe = await recipe_with_most_steps(http)
        token = await demo_token(http)
        session_id = await start_session(http, token, recipe["id"])
        body = {"sessionId": session_id, "stepNumber": 1, "event": kind, "eventId": f"dup-{uuid.uuid4().hex[:12]}"}
        responses = await asyncio.gather(
            *(http.post("/api/cooking/step-event", json=body, headers=auth(token)) for _ in range(20))
        )
        after = (await http.get(f"/api/cooking/sessions/{session_id}", headers=auth(token))).json()

    statuses = Counter(response.status_code for response in responses)
    assert statuses == Counter({200: 20}), f"{statuses}: {[r.text[:200] for r in responses if r.status_code != 200]}"
    answers = {response.text for response in responses}
    assert len(answers) == 1, f"{len(answers)} different answers to one eventId: {sorted(answers)[:2]}"
    stored = await stored_event_ids(fault_env, [session_id])
    assert stored.get(body["eventId"]) == [responses[0].json()["event"]["id"]]
    expected_step = 2 if kind == "completed" else 1  # completing step 1 moves the cook on exactly once
    assert (await session_row(fault_env, session_id))["current_step"] == expected_step == after["currentStep"]
