"""Replaying a cook recorded offline: the session starts when the cook really began, each event keeps its time,
and the diagnosis telemetry measures the steps from those times."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx

from chefmentor.auth.service import resolve_actor
from chefmentor.context import AppContext
from chefmentor.cooking.telemetry import load_step_telemetry
from tests.server.conftest import envelope_code
from tests.server.test_cooking_api import demo_headers
from tests.services.owners import make_recipe


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


async def test_a_past_cook_replays_with_its_own_times(client: httpx.AsyncClient, ctx: AppContext) -> None:
    demo = await demo_headers(client)
    recipe_id = await make_recipe(ctx, steps=2)
    began = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    started = await client.post(
        "/api/cooking/start", json={"recipeId": str(recipe_id), "startedAt": _iso(began)}, headers=demo
    )
    assert started.status_code == 201, started.text
    session = started.json()
    assert datetime.fromisoformat(session["startedAt"]) == began
    for step, minutes in ((1, 0), (1, 12), (2, 12), (2, 20)):
        event = "started" if (step, minutes) in ((1, 0), (2, 12)) else "completed"
        body = {
            "sessionId": session["id"],
            "stepNumber": step,
            "event": event,
            "at": _iso(began + timedelta(minutes=minutes)),
            "data": {"heat": "high"},
        }
        answer = await client.post("/api/cooking/step-event", json=body, headers=demo)
        assert answer.status_code == 200, answer.text
    events = (await client.get(f"/api/cooking/sessions/{session['id']}/events", headers=demo)).json()
    assert [datetime.fromisoformat(e["at"]) - began for e in events] == [timedelta(minutes=m) for m in (0, 12, 12, 20)]
    owner = resolve_actor(demo["Authorization"].split()[1], settings=ctx.settings, clock=ctx.clock)
    async with ctx.session() as db:
        telemetry = await load_step_telemetry(db, cooking_session_id=uuid.UUID(session["id"]), actor=owner)
    assert [t.actual_minutes for t in telemetry] == [12.0, 8.0]
    assert [t.actual_heat for t in telemetry] == ["high", "high"]


async def test_start_times_outside_the_replay_window_are_refused(client: httpx.AsyncClient, ctx: AppContext) -> None:
    demo = await demo_headers(client)
    recipe_id = str(await make_recipe(ctx, steps=2))
    now = datetime.now(UTC)
    for moment in (now + timedelta(hours=1), now - timedelta(days=8)):
        answer = await client.post(
            "/api/cooking/start", json={"recipeId": recipe_id, "startedAt": _iso(moment)}, headers=demo
        )
        assert answer.status_code == 422 and envelope_code(answer) == "VALIDATION_ERROR", answer.text
    naive = await client.post(
        "/api/cooking/start", json={"recipeId": recipe_id, "startedAt": "2026-01-01T12:00:00"}, headers=demo
    )
    assert naive.status_code == 422
    fresh = (await client.post("/api/cooking/start", json={"recipeId": recipe_id}, headers=demo)).json()
    early = await client.post(
        "/api/cooking/step-event",
        json={"sessionId": fresh["id"], "stepNumber": 1, "event": "started", "at": _iso(now - timedelta(hours=1))},
        headers=demo,
    )
    assert early.status_code == 422, "without startedAt, events before the session's start stay refused"
