"""Analyses and notes over HTTP: ownership 404s, 405 on the immutable diagnosis, bounded notes."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy import func, select

from chefmentor.actor import Actor
from chefmentor.auth.tokens import issue_access_token
from chefmentor.context import AppContext
from chefmentor.failure.models import AnalysisNote, FailureAnalysis
from tests.server.conftest import envelope_code
from tests.server.test_cooking_api import demo_headers
from tests.services.owners import make_analysis, make_user


async def _user(ctx: AppContext, name: str) -> tuple[Actor, dict[str, str]]:
    from datetime import UTC, datetime

    actor = await make_user(ctx, name)
    token = issue_access_token(ctx.settings, actor.id, now=datetime.now(UTC)).token  # type: ignore[arg-type]
    return actor, {"Authorization": f"Bearer {token}"}


async def _notes(ctx: AppContext) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(AnalysisNote)) or 0)


async def test_list_get_and_notes_crud(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ada, headers = await _user(ctx, "Ada")
    analysis_id = await make_analysis(ctx, ada)
    listing = await client.get("/api/failure/analyses", headers=headers)
    assert listing.status_code == 200 and listing.json()["total"] == 1
    item = listing.json()["items"][0]
    assert item["id"] == str(analysis_id) and item["category"] == "heat_too_high" and item["notes"] == []
    base = f"/api/failure/analyses/{analysis_id}"
    created = await client.post(f"{base}/notes", json={"text": "Pan was cast iron"}, headers=headers)
    assert created.status_code == 201 and created.json()["text"] == "Pan was cast iron"
    note_id = created.json()["id"]
    edited = await client.patch(f"{base}/notes/{note_id}", json={"text": "Pan was steel"}, headers=headers)
    assert edited.status_code == 200 and edited.json()["text"] == "Pan was steel"
    shown = (await client.get(base, headers=headers)).json()
    assert [n["text"] for n in shown["notes"]] == ["Pan was steel"]
    assert shown["rootCause"] == "The pan was too hot" and shown["nextTime"] == ["Use medium heat"]
    deleted = await client.delete(f"{base}/notes/{note_id}", headers=headers)
    assert deleted.status_code == 204 and deleted.content == b""
    assert (await client.delete(f"{base}/notes/{note_id}", headers=headers)).status_code == 404
    assert await _notes(ctx) == 0


async def test_the_diagnosis_cannot_be_changed(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ada, headers = await _user(ctx, "Ada")
    analysis_id = await make_analysis(ctx, ada)
    base = f"/api/failure/analyses/{analysis_id}"
    for method in ("PUT", "PATCH", "DELETE"):
        response = await client.request(method, base, json={"rootCause": "I was right"}, headers=headers)
        assert response.status_code == 405 and envelope_code(response) == "METHOD_NOT_ALLOWED"
        assert "GET" in response.headers["allow"]
    smuggled = await client.post(
        f"{base}/notes", json={"text": "ok", "rootCause": "hacked", "category": "overmixed"}, headers=headers
    )
    assert smuggled.status_code == 422 and envelope_code(smuggled) == "VALIDATION_ERROR"
    async with ctx.session() as session:
        row = await session.get(FailureAnalysis, analysis_id)
        assert row is not None and (row.root_cause, row.category) == ("The pan was too hot", "heat_too_high")
    assert await _notes(ctx) == 0


async def test_user_b_gets_404_on_user_a_analysis_and_notes(client: httpx.AsyncClient, ctx: AppContext) -> None:
    ada, ada_headers = await _user(ctx, "Ada")
    _, bob_headers = await _user(ctx, "Bob")
    demo = await demo_headers(client)
    analysis_id = await make_analysis(ctx, ada)
    base = f"/api/failure/analyses/{analysis_id}"
    note_id = (await client.post(f"{base}/notes", json={"text": "mine"}, headers=ada_headers)).json()["id"]
    for intruder in (bob_headers, demo):
        for response in (
            await client.get(base, headers=intruder),
            await client.post(f"{base}/notes", json={"text": "theirs"}, headers=intruder),
            await client.patch(f"{base}/notes/{note_id}", json={"text": "changed"}, headers=intruder),
            await client.delete(f"{base}/notes/{note_id}", headers=intruder),
        ):
            assert response.status_code == 404 and envelope_code(response) == "NOT_FOUND"
        assert (await client.get("/api/failure/analyses", headers=intruder)).json()["total"] == 0
    assert await _notes(ctx) == 1
    unknown = await client.get(f"/api/failure/analyses/{uuid.uuid4()}", headers=bob_headers)
    assert unknown.json() == (await client.get(base, headers=bob_headers)).json()


@pytest.mark.parametrize(
    "body",
    [{}, {"text": ""}, {"text": "x" * 2001}, {"text": "nul\u0000"}, {"text": 42}, {"text": "ok", "extra": 1}],
)
async def test_bad_notes_are_422(client: httpx.AsyncClient, ctx: AppContext, body) -> None:
    ada, headers = await _user(ctx, "Ada")
    analysis_id = await make_analysis(ctx, ada)
    response = await client.post(f"/api/failure/analyses/{analysis_id}/notes", json=body, headers=headers)
    assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"
    assert await _notes(ctx) == 0


@pytest.mark.parametrize(
    "params", [{"limit": 0}, {"limit": 101}, {"offset": -5}, {"category": "burnt'; --"}, {"status": "x"}]
)
async def test_bad_listing_params_are_422(client: httpx.AsyncClient, ctx: AppContext, params) -> None:
    _, headers = await _user(ctx, "Ada")
    response = await client.get("/api/failure/analyses", params=params, headers=headers)
    assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"
