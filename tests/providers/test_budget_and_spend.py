"""One total budget for the whole chain (offline engine included) and the provider spend guard (issue 17 #3, #8)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from chefmentor.ai.chain import FallbackChain, build_diagnoser
from chefmentor.ai.errors import DiagnosisUnavailableError
from chefmentor.ai.gemini import GeminiDiagnoser
from chefmentor.ai.groq import GroqDiagnoser
from chefmentor.ai.spend import GUARD_UNAVAILABLE, SPEND_CAP, SpendGuard
from chefmentor.ai.types import Diagnosis, DiagnosisRequest
from chefmentor.config import AiSettings
from tests.conftest import redis_cleanup
from tests.fakes.providers import FakeProviders
from tests.providers.conftest import ai_settings, sample_request
from tests.providers.test_chain import LocalDouble

# Scheduling slack on a shared 2-core machine; the bound that matters is "budget, not a sum of timeouts".
SLACK = 2.0


class SlowLocal(LocalDouble):
    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        await asyncio.sleep(self.seconds)
        return await super().diagnose(request)


def test_default_budget_is_at_most_20_seconds() -> None:
    defaults = AiSettings()
    assert defaults.total_budget_seconds <= 20
    assert 0 < defaults.local_reserve_seconds < defaults.total_budget_seconds


async def test_both_providers_hanging_still_leave_the_offline_engine_its_time(
    tmp_path: Path, fake: FakeProviders
) -> None:
    fake.script("gemini", "timeout")
    fake.script("groq", "timeout")
    settings = ai_settings(tmp_path, fake, timeout_seconds=30)
    local = SlowLocal(0.5)
    budget = 3.0
    chain = FallbackChain(
        [GeminiDiagnoser(settings), GroqDiagnoser(settings), local],
        timeout_seconds=30,
        total_budget_seconds=budget,
        local_reserve_seconds=1.0,
    )
    started = time.monotonic()
    result = await chain.diagnose(sample_request())
    elapsed = time.monotonic() - started
    assert result.provider == "local" and local.calls == 1
    assert elapsed < budget + SLACK


async def test_the_offline_engine_is_inside_the_budget_too(tmp_path: Path, fake: FakeProviders) -> None:
    """Before: the local engine ran outside the budget, so a slow one stretched the answer without bound."""
    settings = ai_settings(tmp_path, fake, providers=["local"])
    chain = FallbackChain([SlowLocal(30)], total_budget_seconds=1.0)
    started = time.monotonic()
    with pytest.raises(DiagnosisUnavailableError):
        await chain.diagnose(sample_request())
    assert time.monotonic() - started < 1.0 + SLACK
    assert settings.ai.total_budget_seconds <= 20


def _guarded_chain(tmp_path: Path, fake: FakeProviders, guard: SpendGuard) -> FallbackChain:
    settings = ai_settings(tmp_path, fake)
    return FallbackChain(
        [GeminiDiagnoser(settings), GroqDiagnoser(settings), LocalDouble()], spend_guard=guard, max_attempts=1
    )


async def test_spend_cap_per_minute_sends_the_rest_offline(tmp_path: Path, fake: FakeProviders) -> None:
    """OWASP API4: beyond the cap no paid call is made, the offline engine answers and the attempts say why."""
    settings = ai_settings(tmp_path, fake, max_provider_calls_per_minute=2)
    chain = _guarded_chain(tmp_path, fake, SpendGuard(settings))
    served = [(await chain.diagnose(sample_request())).provider for _ in range(4)]
    assert served == ["gemini", "gemini", "local", "local"]
    assert len(fake.calls("gemini")) == 2 and not fake.calls("groq")
    last = await chain.diagnose(sample_request())
    assert [(a.provider, a.error) for a in last.attempts if not a.ok] == [("gemini", SPEND_CAP), ("groq", SPEND_CAP)]


async def test_retries_and_fallbacks_count_as_paid_calls(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "503")
    settings = ai_settings(tmp_path, fake, max_provider_calls_per_day=3)
    chain = _guarded_chain(tmp_path, fake, SpendGuard(settings))
    first = await chain.diagnose(sample_request())  # gemini fails (1), groq answers (2)
    second = await chain.diagnose(sample_request())  # gemini fails (3), groq refused
    assert first.provider == "groq" and second.provider == "local"
    assert len(fake.calls("gemini")) + len(fake.calls("groq")) == 3


async def test_the_cap_is_shared_by_workers_through_redis(
    tmp_path: Path, fake: FakeProviders, redis_url: str, redis_namespace: str
) -> None:
    settings = ai_settings(tmp_path, fake, max_provider_calls_per_minute=3)
    settings = settings.model_copy(update={"redis": settings.redis.model_copy(update={"namespace": redis_namespace})})
    async with redis_cleanup(redis_url, redis_namespace):
        workers = [
            _guarded_chain(tmp_path, fake, SpendGuard(settings, redis_url=redis_url)),
            _guarded_chain(tmp_path, fake, SpendGuard(settings, redis_url=redis_url)),
        ]
        served = [(await workers[i % 2].diagnose(sample_request())).provider for i in range(5)]
    assert served.count("gemini") == 3
    assert len(fake.calls("gemini")) == 3


async def test_an_unreachable_shared_counter_never_allows_paid_calls(tmp_path: Path, fake: FakeProviders) -> None:
    settings = ai_settings(tmp_path, fake)
    guard = SpendGuard(settings, redis_url="redis://127.0.0.1:9/0")  # nothing listens on the discard port
    result = await _guarded_chain(tmp_path, fake, guard).diagnose(sample_request())
    assert result.provider == "local"
    assert not fake.calls("gemini")
    assert result.attempts[0].error == GUARD_UNAVAILABLE


def test_the_built_chain_has_a_guard_from_settings(tmp_path: Path, fake: FakeProviders) -> None:
    chain = build_diagnoser(ai_settings(tmp_path, fake, max_provider_calls_per_minute=7))
    assert chain.spend_guard is not None and chain.spend_guard.enabled
    assert build_diagnoser(ai_settings(tmp_path, fake, providers=["local"])).spend_guard is None
