"""The Gemini adapter with the real google-genai SDK against the loopback fake."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from chefmentor.ai.errors import ProviderError
from chefmentor.ai.gemini import GeminiDiagnoser, retry_delay_from
from tests.fakes.providers import FakeProviders
from tests.providers.conftest import ai_settings, sample_request


async def test_ok_sends_image_inline_with_schema_and_telemetry(tmp_path: Path, fake: FakeProviders) -> None:
    request = sample_request()
    diagnosis = await GeminiDiagnoser(ai_settings(tmp_path, fake)).diagnose(request)

    assert diagnosis.category == "heat_too_high"
    assert diagnosis.provider == "gemini"
    assert diagnosis.model == "gemini-2.5-flash"
    assert diagnosis.suspected_step == 2
    assert 0.0 <= diagnosis.confidence <= 1.0
    assert diagnosis.usage["inputTokens"] == 300
    [call] = fake.calls("gemini")
    assert call.path.startswith("/v1beta/models/gemini-2.5-flash:generateContent")
    assert call.headers["x-goog-api-key"] == "fake-gemini-key"
    config = call.body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert "heat_too_high" in config["responseSchema"]["properties"]["category"]["enum"]
    parts = call.body["contents"][0]["parts"]
    inline = next(p for p in parts if "inlineData" in p or "inline_data" in p)
    inline_data = inline.get("inlineData") or inline["inline_data"]
    sent = inline_data["data"]
    assert base64.urlsafe_b64decode(sent + "=" * (-len(sent) % 4)) == request.images[0].data
    text = next(p["text"] for p in parts if "text" in p)
    assert "pan-seared chicken" in text
    assert "heat expected medium, actual high" in text
    assert "unknown" in call.body["systemInstruction"]["parts"][0]["text"]


async def test_fenced_json_is_still_read(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "fenced")
    diagnosis = await GeminiDiagnoser(ai_settings(tmp_path, fake)).diagnose(sample_request())
    assert diagnosis.category == "heat_too_high"


def test_missing_key_names_the_fix(tmp_path: Path, fake: FakeProviders) -> None:
    with pytest.raises(ProviderError, match="GEMINI_API_KEY"):
        GeminiDiagnoser(ai_settings(tmp_path, fake, gemini_api_key=""))


def test_retry_delay_parsing() -> None:
    body = {"error": {"details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "47s"}]}}
    assert retry_delay_from(body) == 47.0
    assert retry_delay_from({}, "Please retry in 3.25s.") == 3.25
    assert retry_delay_from({}, "") is None
