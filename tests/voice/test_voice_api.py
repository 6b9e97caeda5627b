"""The voice routes over HTTP with the real models: upload speech, get text, intents, replies and audio."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from chefmentor.config import Settings
from chefmentor.cooking.models import CookingSession, CookingStepEvent, StepEventKind
from chefmentor.voice.audio import STT_SAMPLE_RATE, decode_wav, encode_wav
from server.app import create_app
from tests.server.conftest import client_for, envelope_code
from tests.services.owners import make_recipe

pytestmark = pytest.mark.slow


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as value:
        yield value


@pytest.fixture
async def demo(client: httpx.AsyncClient) -> dict[str, str]:
    response = await client.post("/api/demo/start")
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['accessToken']}"}


def wav_of(speak: Any, text: str) -> bytes:
    return encode_wav(speak(text), STT_SAMPLE_RATE)


async def test_speak_then_transcribe_round_trip(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    spoken = await client.post("/api/voice/speak", json={"text": "Set a timer for ten minutes."}, headers=demo)
    assert spoken.status_code == 200 and spoken.headers["content-type"] == "audio/wav"
    assert decode_wav(spoken.content).shape[0] > STT_SAMPLE_RATE  # more than a second of speech
    files = {"file": ("command.wav", spoken.content, "audio/wav")}
    heard = await client.post("/api/voice/transcribe", files=files, headers=demo)
    assert heard.status_code == 200, heard.text
    body = heard.json()
    assert "timer" in body["text"].lower() and body["latencyMs"] > 0


async def test_spoken_command_acts_on_the_session(
    client: httpx.AsyncClient, app: FastAPI, demo: dict[str, str], speak: Any
) -> None:
    ctx = app.state.ctx
    recipe_id = await make_recipe(ctx, steps=3)
    started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=demo)
    session_id = started.json()["id"]
    files = {"file": ("c.wav", wav_of(speak, "okay, what's next?"), "audio/wav")}
    response = await client.post("/api/voice/command", files=files, data={"sessionId": session_id}, headers=demo)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["intent"] == "next_step" and body["reply"].startswith("Step 2 of 3. Do step 2")
    audio = await client.get(body["audioUrl"])
    assert audio.status_code == 200 and decode_wav(audio.content).size > 0

    typed = await client.post(
        "/api/voice/command",
        data={"sessionId": session_id, "text": "set a pasta timer for 8 minutes", "speak": "false"},
        headers=demo,
    )
    assert typed.json()["slots"] == {"seconds": 480, "name": "pasta"} and typed.json()["audioUrl"] is None
    async with ctx.session() as db:
        row = await db.get(CookingSession, uuid.UUID(session_id))
        kinds = set(await db.scalars(select(CookingStepEvent.event).where(CookingStepEvent.session_id == row.id)))
    assert row.current_step == 2 and row.timers[0]["name"] == "pasta"
    assert {StepEventKind.COMPLETED, StepEventKind.STARTED, StepEventKind.TIMER_STARTED} <= kinds


async def test_command_on_someone_elses_session_is_not_found(
    client: httpx.AsyncClient, app: FastAPI, demo: dict[str, str]
) -> None:
    other = await client.post("/api/demo/start")
    other_headers = {"Authorization": f"Bearer {other.json()['accessToken']}"}
    recipe_id = await make_recipe(app.state.ctx, steps=2)
    started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=other_headers)
    response = await client.post(
        "/api/voice/command", data={"sessionId": started.json()["id"], "text": "next"}, headers=demo
    )
    assert response.status_code == 404 and envelope_code(response) == "NOT_FOUND"


async def test_errors(client: httpx.AsyncClient, demo: dict[str, str]) -> None:
    assert (await client.post("/api/voice/speak", json={"text": "hi"})).status_code == 401
    empty = await client.post("/api/voice/command", data={}, headers=demo)
    assert empty.status_code == 422 and envelope_code(empty) == "VALIDATION_ERROR"
    junk = await client.post(
        "/api/voice/transcribe", files={"file": ("x.wav", b"not audio", "audio/wav")}, headers=demo
    )
    assert junk.status_code == 422
    missing = await client.get("/api/voice/audio/" + "a" * 24)
    assert missing.status_code == 404 and envelope_code(missing) == "NOT_FOUND"
    sessionless = await client.post("/api/voice/command", data={"text": "what can I say"}, headers=demo)
    assert sessionless.json()["intent"] == "help" and "next" in sessionless.json()["reply"].lower()
