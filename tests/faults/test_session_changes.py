"""Twenty concurrent changes to one cooking session (two workers on PostgreSQL + Redis, and the embedded
SQLite default): every acknowledged change sticks.

next/previous/pause/resume/timers fired at once. A change may lose the race (409, to be retried) or meet an
outage (503), but a 2xx must be in the database afterwards, and the API's view must equal the database's.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.faults.checks import assert_api_equals_database, event_ids, parse_time, pause_marks, session_row
from tests.faults.harness import auth, demo_token, recipe_with_most_steps, start_session

pytestmark = [pytest.mark.slow, pytest.mark.faults]

NEXTS, PREVIOUSES, TIMERS, PAUSES, RESUMES = 4, 3, 6, 4, 3
ALLOWED = {200, 201, 409, 503}
IDLE_SECONDS = 6.0


@pytest.mark.parametrize(
    ("fault_env", "idle_first"),
    [("postgres", False), ("postgres", True), ("sqlite", False)],
    ids=["postgres-warm", "postgres-after-idle-pool", "sqlite"],
    indirect=["fault_env"],
)
async def test_twenty_concurrent_changes_on_one_session(fault_env, api_server, idle_first: bool) -> None:
    # PostgreSQL + Redis behind two workers; the embedded default (SQLite, memory cache) behind one.
    server = api_server(workers=1 if fault_env.sqlite_path else 2)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as http:
        recipe = await recipe_with_most_steps(http)
        steps = len(recipe["steps"])
        assert steps >= NEXTS + PREVIOUSES + 1, "the seeded recipes must allow every move without a clamp"
        start = steps - NEXTS  # no order of the moves can pass the first or the last step
        token = await demo_token(http)
        session_id = await start_session(http, token, recipe["id"])
        base = f"/api/cooking/sessions/{session_id}"
        moved = await http.post(f"{base}/goto", json={"stepNumber": start}, headers=auth(token))
        assert moved.status_code == 200, moved.text

        ops: list[tuple[str, str, dict[str, Any] | None]] = (
            [("next", f"{base}/next", None)] * NEXTS
            + [("previous", f"{base}/previous", None)] * PREVIOUSES
            + [("timer", f"{base}/timers", {"name": f"fault-t{i}", "seconds": 900}) for i in range(TIMERS)]
            + [("pause", f"{base}/pause", None)] * PAUSES
            + [("resume", f"{base}/resume", None)] * RESUMES
        )
        random.Random(20).shuffle(ops)
        if idle_first:
            await asyncio.sleep(IDLE_SECONDS)  # pooled connections idle for longer than 5 s, as after a lull
        responses = await asyncio.gather(*(http.post(path, json=body, headers=auth(token)) for _, path, body in ops))
        results = [(kind, body, response) for (kind, _, body), response in zip(ops, responses, strict=True)]

        statuses = Counter(response.status_code for response in responses)
        unexpected = [(k, r.status_code, r.text[:200]) for k, _, r in results if r.status_code not in ALLOWED]
        assert not unexpected, f"only 2xx, 409 or 503 are acceptable: {unexpected}"
        assert statuses[200] + statuses[201] > 0, statuses

        db = await session_row(fault_env, session_id)
        ok = Counter(kind for kind, _, response in results if response.is_success)
        assert db["current_step"] == start + ok["next"] - ok["previous"], (db["current_step"], start, dict(ok))

        # Every acknowledged move's event is stored under the id it answered with.
        stored_ids = await event_ids(fault_env, session_id)
        for kind, _, response in results:
            if kind in ("next", "previous") and response.is_success:
                event = response.json()["event"]
                assert event is not None and event["id"] in stored_ids, f"acknowledged {kind} not stored: {event}"

        timer_names = {timer["name"] for timer in db["timers"]}
        acked_timers = {body["name"] for kind, body, r in results if kind == "timer" and r.is_success and body}
        assert acked_timers <= timer_names, f"acknowledged timers missing: {acked_timers - timer_names}"

        # Pause and resume marks alternate; the stored pause is the last mark's; each acked pause is a mark.
        marks = await pause_marks(fault_env, session_id)
        assert [action for action, _ in marks] == [("pause", "resume")[i % 2] for i in range(len(marks))], marks
        last_pause = marks[-1][1] if marks and marks[-1][0] == "pause" else None
        assert db["paused_at"] == last_pause, (db["paused_at"], marks)
        pause_times = {at for action, at in marks if action == "pause"}
        for kind, _, response in results:
            if kind == "pause" and response.is_success:
                assert parse_time(response.json()["pausedAt"]) in pause_times, response.json()["pausedAt"]

        await assert_api_equals_database(http, token, fault_env, session_id)
