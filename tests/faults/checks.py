"""What the database holds, read with our own SQL, and the API's view of a session compared with it."""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any

import httpx

from tests.faults.harness import auth, is_error_envelope


def parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


async def session_row(fault_env: Any, session_id: str) -> dict[str, Any]:
    (row,) = await fault_env.fetch(
        "SELECT current_step, paused_at, timers, status FROM cooking_sessions WHERE id = $1::uuid", session_id
    )
    timers = row["timers"]
    return {
        "current_step": row["current_step"],
        "paused_at": row["paused_at"],
        "timers": json.loads(timers) if isinstance(timers, str) else timers,
        "status": row["status"],
    }


async def pause_marks(fault_env: Any, session_id: str) -> list[tuple[str, datetime]]:
    rows = await fault_env.fetch(
        "SELECT data->>'action' AS action, at FROM cooking_step_events WHERE session_id = $1::uuid "
        "AND event = 'note' AND data->>'action' IN ('pause', 'resume') ORDER BY at, created_at",
        session_id,
    )
    return [(row["action"], row["at"]) for row in rows]


async def assert_api_equals_database(http: httpx.AsyncClient, token: str, fault_env: Any, session_id: str) -> None:
    response = await http.get(f"/api/cooking/sessions/{session_id}", headers=auth(token))
    assert response.status_code == 200, response.text
    api = response.json()
    db = await session_row(fault_env, session_id)
    assert api["currentStep"] == db["current_step"], (api["currentStep"], db)
    assert parse_time(api["pausedAt"]) == db["paused_at"], (api["pausedAt"], db["paused_at"])
    assert sorted(t["name"] for t in api["timers"]) == sorted(t["name"] for t in db["timers"])


async def stored_event_ids(fault_env: Any, session_ids: list[str]) -> dict[str, list[str]]:
    """client eventId → the ids of the rows stored under it (more than one would be a duplicate)."""
    rows = await fault_env.fetch(
        "SELECT client_event_id, id::text AS id FROM cooking_step_events WHERE session_id = ANY($1::uuid[])",
        session_ids,
    )
    stored: dict[str, list[str]] = {}
    for row in rows:
        if row["client_event_id"] is not None:
            stored.setdefault(row["client_event_id"], []).append(row["id"])
    return stored


STALLED_ANSWER_LIMIT_SECONDS = 10.0


async def change_and_check(http: httpx.AsyncClient, token: str, fault_env, session_id: str, action: str) -> int:
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
