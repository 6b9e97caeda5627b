"""What the database holds, read with our own SQL, and the API's view of a session compared with it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import httpx

from tests.faults.harness import auth


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
