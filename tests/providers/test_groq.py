"""The Groq adapter with the real groq SDK against the loopback fake."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from chefmentor.ai.groq import GroqDiagnoser, retry_after_from
from tests.fakes.providers import FakeProviders
from tests.providers.conftest import ai_settings, sample_request


async def test_ok_sends_data_url_schema_and_hidden_reasoning(tmp_path: Path, fake: FakeProviders) -> None:
    request = sample_request()
    diagnosis = await GroqDiagnoser(ai_settings(tmp_path, fake)).diagnose(request)

    assert diagnosis.category == "heat_too_high"
    assert diagnosis.provider == "groq"
    assert diagnosis.model == "qwen/qwen3.6-27b"
    [call] = fake.calls("groq")
    assert call.headers["authorization"] == "Bearer gsk_fake"
    assert call.headers["x-stainless-retry-count"] == "0"
    body = call.body
    # The default model is not on the strict list: best-effort structured outputs with our schema.
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is False
    assert body["reasoning_format"] == "hidden"
    system, user = body["messages"]
    assert system["role"] == "system" and "JSON" in system["content"]
    assert user["role"] == "user"
    image_url = next(part["image_url"]["url"] for part in user["content"] if part["type"] == "image_url")
    prefix = "data:image/jpeg;base64,"
    assert image_url.startswith(prefix)
    assert base64.b64decode(image_url[len(prefix) :]) == request.images[0].data
    text = next(part["text"] for part in user["content"] if part["type"] == "text")
    assert "Sear the chicken" in text and "time expected 6 min, actual 6 min" in text


@pytest.mark.parametrize("mode", ["fenced", "think"])
async def test_fences_and_leaked_reasoning_are_stripped(tmp_path: Path, fake: FakeProviders, mode: str) -> None:
    fake.script("groq", mode)
    diagnosis = await GroqDiagnoser(ai_settings(tmp_path, fake)).diagnose(sample_request())
    assert diagnosis.category == "heat_too_high"
    assert "<think>" not in diagnosis.explanation


def test_retry_after_sources() -> None:
    assert retry_after_from({"retry-after-ms": "250"}) == 0.25
    assert retry_after_from({"retry-after": "8"}) == 8.0
    assert retry_after_from({}, "Please try again in 7.66s. Need more tokens?") == 7.66
    assert retry_after_from({}, "try again in 120ms") == 0.12
    assert retry_after_from({}, "") is None


async def test_a_base_url_with_the_openai_path_still_works(tmp_path: Path, fake: FakeProviders) -> None:
    settings = ai_settings(tmp_path, fake, groq_base_url=fake.base_url + "/openai/v1/")
    assert (await GroqDiagnoser(settings).diagnose(sample_request())).provider == "groq"
    assert fake.calls("groq")[0].path == "/openai/v1/chat/completions"
