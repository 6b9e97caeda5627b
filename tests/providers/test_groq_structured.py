"""Groq structured outputs against a fake that answers strictly from the json_schema it is sent (issue 17 #9)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chefmentor.ai.chain import build_diagnoser
from chefmentor.ai.groq import GroqDiagnoser
from chefmentor.ai.schema import answer_json_schema
from chefmentor.ai.types import ALL_CATEGORIES
from tests.fakes.providers import FakeProviders, answer_from_schema
from tests.providers.conftest import ai_settings, sample_request

STRICT_MODEL = "openai/gpt-oss-120b"


def _sent_format(fake: FakeProviders, index: int = 0) -> dict:
    return fake.calls("groq")[index].body["response_format"]


def test_the_schema_is_strict_mode_compatible() -> None:
    """Strict structured outputs need every property required and no additional properties, on every object."""
    schema = answer_json_schema()
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])
    assert schema["properties"]["category"]["enum"] == list(ALL_CATEGORIES)
    for prop in schema["properties"].values():
        assert prop.get("type") != "object" or prop.get("additionalProperties") is False


def test_the_fake_answers_only_what_the_schema_allows() -> None:
    schema = {
        "type": "object",
        "properties": {"kind": {"type": "string", "enum": ["a", "b"]}, "n": {"type": ["integer", "null"]}},
        "required": ["kind", "n"],
        "additionalProperties": False,
    }
    # Extra keys and values of the wrong type or outside the enum are never produced.
    assert answer_from_schema(schema, {"kind": "z", "n": "seven", "extra": 1}) == {"kind": "a", "n": 1}
    assert answer_from_schema(schema, {"kind": "b", "n": None}) == {"kind": "b", "n": None}


async def test_strict_model_gets_strict_json_schema(tmp_path: Path, fake: FakeProviders) -> None:
    diagnosis = await GroqDiagnoser(ai_settings(tmp_path, fake, groq_model=STRICT_MODEL)).diagnose(sample_request())
    assert diagnosis.provider == "groq"
    sent = _sent_format(fake)
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["strict"] is True
    assert sent["json_schema"]["schema"] == answer_json_schema()


async def test_an_answer_built_only_from_the_schema_is_accepted(tmp_path: Path, fake: FakeProviders) -> None:
    """The fake knows nothing of our answer: every value comes from the schema we sent."""
    fake.answer = {}
    diagnosis = await GroqDiagnoser(ai_settings(tmp_path, fake, groq_model=STRICT_MODEL)).diagnose(sample_request())
    assert diagnosis.provider == "groq"
    assert diagnosis.category in ALL_CATEGORIES


async def test_a_model_that_refuses_json_schema_falls_back_to_json_mode(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("groq", "no_json_schema")
    groq = GroqDiagnoser(ai_settings(tmp_path, fake))
    first = await groq.diagnose(sample_request())
    second = await groq.diagnose(sample_request())
    assert first.provider == second.provider == "groq"
    formats = [call.body["response_format"]["type"] for call in fake.calls("groq")]
    # One refused json_schema request, then JSON mode at once and for the adapter's life.
    assert formats == ["json_schema", "json_object", "json_object"]


async def test_json_mode_setting_sends_no_schema(tmp_path: Path, fake: FakeProviders) -> None:
    settings = ai_settings(tmp_path, fake, groq_structured_outputs="json_object")
    await GroqDiagnoser(settings).diagnose(sample_request())
    assert _sent_format(fake) == {"type": "json_object"}


@pytest.mark.parametrize("gemini_mode", ["503", "timeout", "auth", "malformed"])
async def test_gemini_down_groq_serves(tmp_path: Path, fake: FakeProviders, gemini_mode: str) -> None:
    """The whole chain as built from settings: Gemini fails, Groq answers from the schema, local is never needed."""
    fake.timeout_sleep = 5.0
    fake.script("gemini", gemini_mode)
    fake.answer = {"category": "too_much_liquid", "confidence": 0.9, "root_cause": "Too much water for the rice"}
    settings = ai_settings(tmp_path, fake, timeout_seconds=1.0, max_attempts=1, total_budget_seconds=6.0)
    diagnosis = await build_diagnoser(settings).diagnose(sample_request())
    assert diagnosis.provider == "groq"
    assert diagnosis.category == "too_much_liquid"
    assert [(a.provider, a.ok) for a in diagnosis.attempts] == [("gemini", False), ("groq", True)]
    body = fake.calls("groq")[0].body
    assert body["response_format"]["type"] == "json_schema"
    assert json.loads(json.dumps(body["response_format"]["json_schema"]["schema"])) == answer_json_schema()
