"""The provider chain over HTTP: one total budget (issue 17 #8), and Groq really serving when Gemini is down (#9)."""

from __future__ import annotations

import time

import pytest
from pydantic import SecretStr

from chefmentor.config import Settings
from tests.media.builders import jpeg
from tests.security.conftest import build_app, client_for, start_demo

# Scheduling slack on a shared 2-core machine (upload decoding, storage, the request itself).
SLACK = 3.0


def _chain(fake, **ai: object) -> dict[str, object]:
    return {
        "providers": ["gemini", "groq", "local"],
        "gemini_api_key": SecretStr("fake-gemini-key"),
        "gemini_base_url": fake.base_url,
        "groq_api_key": SecretStr("gsk_fake"),
        "groq_base_url": fake.base_url,
        **ai,
    }


async def test_both_providers_hanging_answer_within_the_total_budget(sec_settings: Settings, fake) -> None:
    """API4:2023 Unrestricted Resource Consumption: "Execution timeouts" — one budget bounds the whole chain."""
    fake.timeout_sleep = 30.0
    fake.script("gemini", "timeout")
    fake.script("groq", "timeout")
    budget = 3.0
    # Per-call timeouts as long as the old defaults: only the total budget can keep the answer this short.
    app = build_app(sec_settings, ai=_chain(fake, timeout_seconds=20.0, total_budget_seconds=budget))
    async with client_for(app) as client:
        _, headers = await start_demo(client)
        started = time.monotonic()
        response = await client.post(
            "/api/failure/analyze", files={"file": ("d.jpg", jpeg(), "image/jpeg")}, headers=headers
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["provider"] == "local" and body["status"] == "completed"
    assert elapsed < budget + SLACK, elapsed
    assert {a["provider"] for a in body["attempts"] if not a["ok"]} >= {"gemini"}


async def test_gemini_down_groq_serves_a_diagnosis(sec_settings: Settings, fake) -> None:
    """API10:2023 Unsafe Consumption of APIs: the fallback provider answers within our schema, and is accepted."""
    fake.script("gemini", "503")
    fake.answer = {"category": "cooked_too_long", "confidence": 0.8, "root_cause": "Left on the heat too long"}
    app = build_app(sec_settings, ai=_chain(fake, max_attempts=1))
    async with client_for(app) as client:
        _, headers = await start_demo(client)
        response = await client.post(
            "/api/failure/analyze", files={"file": ("d.jpg", jpeg(), "image/jpeg")}, headers=headers
        )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["provider"] == "groq" and body["category"] == "cooked_too_long"
    assert [(a["provider"], a["ok"]) for a in body["attempts"]] == [("gemini", False), ("groq", True)]
    sent = fake.calls("groq")[0].body["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["schema"]["additionalProperties"] is False


@pytest.mark.slow
async def test_default_settings_answer_within_20_seconds_with_both_providers_hanging(
    sec_settings: Settings, fake
) -> None:
    """API4:2023 Unrestricted Resource Consumption: with the shipped defaults the chain's worst case is the budget
    (it was ~40 s: two 20 s timeouts, the offline engine outside any budget)."""
    fake.timeout_sleep = 60.0
    fake.script("gemini", "timeout")
    fake.script("groq", "timeout")
    app = build_app(sec_settings, ai=_chain(fake))
    defaults = app.state.settings.ai
    assert defaults.total_budget_seconds <= 20
    async with client_for(app) as client:
        _, headers = await start_demo(client)
        started = time.monotonic()
        response = await client.post(
            "/api/failure/analyze", files={"file": ("d.jpg", jpeg(), "image/jpeg")}, headers=headers
        )
        elapsed = time.monotonic() - started
    assert response.status_code == 201 and response.json()["provider"] == "local"
    assert elapsed < defaults.total_budget_seconds + SLACK, elapsed
