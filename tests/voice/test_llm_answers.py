"""Free questions fall through to Groq (the real SDK against a loopback fake) only when the recipe has no
answer; timeouts and bad answers fall back to the recipe-only reply."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from chefmentor.actor import Actor
from chefmentor.config import Settings
from chefmentor.voice.assistant import open_assistant
from chefmentor.voice.intents import understand
from chefmentor.voice.llm import build_answerer
from tests.conftest import make_settings
from tests.fakes.providers import FakeProviders, serve_fake_providers

RECIPE = "Perfect Stovetop Rice"


@pytest.fixture
def fake() -> Iterator[FakeProviders]:
    with serve_fake_providers() as server:
        server.answer = {"answer": "Yes, cool it quickly and refrigerate within an hour; eat it within a day."}
        server.timeout_sleep = 5.0
        yield server


@pytest.fixture
def groq_settings(settings: Settings, fake: FakeProviders) -> Settings:
    return make_settings(
        settings.home,
        settings.database_url,
        ai={"providers": ["groq", "local"], "groq_api_key": "gsk_fake", "groq_base_url": fake.base_url},
        voice={"ask_timeout_seconds": 1.0},
    )


async def test_llm_answers_what_the_recipe_cannot(make_ctx, groq_settings: Settings, fake: FakeProviders) -> None:
    from tests.conftest import seed_fixture_recipes

    async with make_ctx(groq_settings) as ctx:
        await seed_fixture_recipes(ctx)
        assistant = await open_assistant(ctx, actor=Actor.local(), recipe_ref=RECIPE)
        reply = await assistant.handle(understand("is it safe to keep leftover rice overnight"))
        assert reply.text.startswith("Yes, cool it quickly")
        sent = [r for r in fake.requests if r.provider == "groq"][-1]
        user = sent.body["messages"][1]["content"]
        assert "Perfect Stovetop Rice" in user and "leftover rice overnight" in user
        assert sent.body["response_format"] == {"type": "json_object"}

        calls = len(fake.requests)
        grounded = await assistant.handle(understand("how much water do I need"))
        assert grounded.text.startswith("You need") and len(fake.requests) == calls  # no LLM call

        fake.script("groq", "timeout")
        started = time.perf_counter()
        slow = await assistant.handle(understand("is it safe to keep leftover rice overnight"))
        assert time.perf_counter() - started < 3.0
        assert slow.text.startswith("I don't know that one from the recipe")

        fake.script("groq", "malformed")
        broken = await assistant.handle(understand("what wine goes with this"))
        assert not broken.text.startswith("{")


def test_no_llm_offline_or_without_a_key(settings: Settings, fake: FakeProviders) -> None:
    assert build_answerer(settings) is None  # tests run with providers ["local"]
    keyed = make_settings(
        settings.home,
        settings.database_url,
        offline=True,
        ai={"providers": ["groq"], "groq_api_key": "gsk_fake", "groq_base_url": fake.base_url},
    )
    assert build_answerer(keyed) is None
