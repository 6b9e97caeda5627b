"""`local` and `gemini`/`groq` side by side on the same cases, against the loopback provider fake."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chefmentor.config import Settings
from chefmentor.eval.service import run_evaluation
from tests.conftest import make_settings
from tests.eval.conftest import WriteCases, case
from tests.fakes.providers import FakeProviders, serve_fake_providers


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProviders]:
    with serve_fake_providers() as server:
        yield server


def _settings(tmp_path: Path, fake: FakeProviders) -> Settings:
    return make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}", ai={
        "providers": ["gemini", "groq", "local"], "gemini_api_key": "fake-gemini-key",
        "gemini_base_url": fake.base_url, "groq_api_key": "gsk_fake", "groq_base_url": fake.base_url,
        "timeout_seconds": 5.0, "max_attempts": 1,
    })  # fmt: skip


async def test_local_gemini_groq_side_by_side(tmp_path: Path, fake: FakeProviders, write_cases: WriteCases) -> None:
    fake.reset()
    path = write_cases([
        case("hot", "heat_too_high", "black outside and smoking, raw inside"),
        case("salt", "seasoning_off", "way too salty", dish="ramen"),
        case("meh", "unknown", "it was okay"),
    ])  # fmt: skip
    settings = _settings(tmp_path, fake)
    outcome = await run_evaluation(settings, cases_path=path, providers=["local", "gemini", "groq"], concurrency=2)
    runs = {r["provider"]: r for r in outcome.document["runs"]}
    assert set(runs) == {"local", "gemini", "groq"}
    assert runs["local"]["accuracy"] == 1.0
    # the fake answers heat_too_high to everything
    assert [c["predicted"] for c in runs["gemini"]["cases"]] == ["heat_too_high"] * 3
    assert runs["gemini"]["accuracy"] == pytest.approx(1 / 3, abs=1e-3)
    assert runs["gemini"]["tokens"]["totalTokens"] == 1200
    assert len(fake.calls("gemini")) == 3 and len(fake.calls("groq")) == 3
    prompts = [str(call.body) for call in fake.calls("gemini")]
    assert any("way too salty" in p and "Dish: ramen" in p for p in prompts)

    again = await run_evaluation(settings, cases_path=path, providers=["gemini", "groq"])
    assert len(fake.calls("gemini")) == 3, "the rerun is replayed from the cache"
    assert all(run["cached"] == 3 for run in again.document["runs"])


async def test_chain_falls_back_to_local_and_counts_it(tmp_path: Path, fake: FakeProviders,
                                                       write_cases: WriteCases) -> None:  # fmt: skip
    fake.reset()
    fake.script("gemini", "503")
    fake.script("groq", "500")
    path = write_cases([case("salt", "seasoning_off", "way too salty")])
    outcome = await run_evaluation(_settings(tmp_path, fake), cases_path=path, providers=["chain"], use_cache=False)
    doc = outcome.document
    assert doc["cases"][0]["provider"] == "local" and doc["cases"][0]["predicted"] == "seasoning_off"
    assert doc["fallbacks"]["count"] == 1
    assert doc["fallbacks"]["failedAttempts"]["gemini"] == {"server_error": 1}
