"""What the database holds, read with our own SQL, and the API's view of a session compared with it."""

from __future__ import annotations

import time
import uuid
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import select
from sqlmodel import col

from chefmentor.cooking.models import CookingSession, CookingStepEvent, StepEventKind
from tests.faults.harness import auth, is_error_envelope


def parse_time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


async def session_row(fault_env: Any, session_id: str) -> dict[str, Any]:
    (row,) = await fault_env.rows(
        select(
            CookingSession.current_step, CookingSession.paused_at, CookingSession.timers, CookingSession.status
        ).where(col(CookingSession.id) == uuid.UUID(session_id))
    )
    return {"current_step": row[0], "paused_at": row[1], "timers": row[2], "status": row[3]}


async def pause_marks(fault_env: Any, session_id: str) -> list[tuple[str, datetime]]:
    """The pause/resume marks pause_cooking/resume_cooking store as `note` events, in time order."""
    rows = await fault_env.rows(
        select(CookingStepEvent.data, CookingStepEvent.at, CookingStepEvent.created_at).where(
            col(CookingStepEvent.session_id) == uuid.UUID(session_id),
            col(CookingStepEvent.event) == StepEventKind.NOTE,
        )
    )
    marks = [(data.get("action"), at, created) for data, at, created in rows if isinstance(data, dict)]
    ordered = sorted((m for m in marks if m[0] in ("pause", "resume")), key=lambda mark: (mark[1], mark[2]))
    return [(action, at) for action, at, _ in ordered]


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
    rows = await fault_env.rows(
        select(CookingStepEvent.client_event_id, CookingStepEvent.id).where(
            col(CookingStepEvent.session_id).in_([uuid.UUID(s) for s in session_ids])
        )
    )
    stored: dict[str, list[str]] = {}
    for client_event_id, event_id in rows:
        if client_event_id is not None:
            stored.setdefault(client_event_id, []).append(str(event_id))
    return stored


async def event_ids(fault_env: Any, session_id: str) -> set[str]:
    rows = await fault_env.rows(
        select(CookingStepEvent.id).where(col(CookingStepEvent.session_id) == uuid.UUID(session_id))
    )
    return {str(row[0]) for row in rows}


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
