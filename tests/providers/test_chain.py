"""The fallback chain with the real adapters against the loopback fake, plus a local-engine test double."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from chefmentor.ai.chain import CircuitBreaker, FallbackChain, build_diagnoser
from chefmentor.ai.errors import DiagnosisUnavailableError, ProviderError, ProviderErrorCode
from chefmentor.ai.gemini import GeminiDiagnoser
from chefmentor.ai.groq import GroqDiagnoser
from chefmentor.ai.types import Diagnosis, DiagnosisRequest
from chefmentor.config import Settings
from chefmentor.errors import ConfigError, ProviderUnavailableError
from tests.fakes.providers import FakeProviders
from tests.providers.conftest import ai_settings, sample_request


class LocalDouble:
    """Stands in for the offline engine so the chain is tested on its own."""

    name = "local"
    model = "local-double"
    accepts_images = True

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.calls = 0

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        self.calls += 1
        if self.fail:
            raise ProviderError(ProviderErrorCode.UNAVAILABLE, "double says no", provider=self.name)
        return Diagnosis("unknown", "Not enough evidence", "", provider="local", model=self.model, confidence=0.2)


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_chain(settings: Settings, local: LocalDouble | None = None, **options: object) -> FallbackChain:
    providers = [GeminiDiagnoser(settings), GroqDiagnoser(settings), local or LocalDouble()]
    kwargs: dict[str, object] = {"timeout_seconds": 5.0, "max_attempts": 2, "total_budget_seconds": 30.0}
    kwargs.update(options)
    return FallbackChain(providers, **kwargs)  # type: ignore[arg-type]


def summary(attempts: list) -> list[tuple[str, bool, str | None]]:
    return [(a.provider, a.ok, a.error) for a in attempts]


async def test_first_provider_answers(tmp_path: Path, fake: FakeProviders) -> None:
    result = await make_chain(ai_settings(tmp_path, fake)).diagnose(sample_request())
    assert (result.provider, result.model) == ("gemini", "gemini-2.5-flash")
    assert summary(result.attempts) == [("gemini", True, None)]
    assert result.attempts[0].latency_ms > 0


async def test_server_errors_are_retried_then_fall_back(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "503")
    sleeps = Sleeps()
    result = await make_chain(ai_settings(tmp_path, fake), sleep=sleeps).diagnose(sample_request())
    assert result.provider == "groq"
    assert summary(result.attempts) == [
        ("gemini", False, "server_error"),
        ("gemini", False, "server_error"),
        ("groq", True, None),
    ]
    assert len(fake.calls("gemini")) == 2
    assert len(sleeps.delays) == 1 and 0.3 <= sleeps.delays[0] <= 0.5  # backoff with jitter


async def test_retry_hint_is_honoured(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "429", "ok")
    sleeps = Sleeps()
    result = await make_chain(ai_settings(tmp_path, fake), sleep=sleeps).diagnose(sample_request())
    assert result.provider == "gemini"
    assert sleeps.delays == [1.5]  # RetryInfo.retryDelay, not our own backoff
    assert summary(result.attempts) == [("gemini", False, "rate_limited"), ("gemini", True, None)]


async def test_a_hint_beyond_the_budget_moves_on_and_opens_the_breaker(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "429long")
    sleeps = Sleeps()
    chain = make_chain(ai_settings(tmp_path, fake), sleep=sleeps)
    result = await chain.diagnose(sample_request())
    assert result.provider == "groq"
    assert sleeps.delays == []  # never waits 47 s
    assert chain.breaker.is_open("gemini")
    again = await chain.diagnose(sample_request())
    assert summary(again.attempts)[0] == ("gemini", False, "circuit_open")
    assert len(fake.calls("gemini")) == 1


@pytest.mark.parametrize("mode", ["truncated", "blocked", "decommissioned", "auth"])
async def test_non_retryable_answers_fall_back_at_once(tmp_path: Path, fake: FakeProviders, mode: str) -> None:
    fake.script("gemini", mode)
    chain = make_chain(ai_settings(tmp_path, fake), sleep=Sleeps())
    result = await chain.diagnose(sample_request())
    assert result.provider == "groq"
    assert len(fake.calls("gemini")) == 1
    assert result.attempts[0].error == ProviderErrorCode(mode).value
    # Only configuration fixes a bad key or a retired model: skip it from now on; a bad answer is not that.
    assert chain.breaker.is_open("gemini") is (mode in ("decommissioned", "auth"))


async def test_malformed_is_retried_and_never_becomes_a_diagnosis(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "malformed")
    fake.script("groq", "malformed")
    local = LocalDouble()
    result = await make_chain(ai_settings(tmp_path, fake), local=local, sleep=Sleeps()).diagnose(sample_request())
    assert result.provider == "local"
    assert [a.error for a in result.attempts] == ["malformed", "malformed", "malformed", "malformed", None]


async def test_everything_failing_raises_with_all_attempts(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "500")
    fake.script("groq", "decommissioned")
    chain = make_chain(ai_settings(tmp_path, fake), local=LocalDouble(fail=True), max_attempts=1)
    with pytest.raises(ProviderUnavailableError) as caught:
        await chain.diagnose(sample_request())
    assert isinstance(caught.value, DiagnosisUnavailableError)
    assert caught.value.code == "PROVIDER_UNAVAILABLE"
    assert summary(caught.value.attempts) == [
        ("gemini", False, "server_error"),
        ("groq", False, "decommissioned"),
        ("local", False, "unavailable"),
    ]


async def test_breaker_skips_a_dead_provider_until_the_cooldown(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "503")
    clock = ManualClock()
    chain = make_chain(
        ai_settings(tmp_path, fake),
        max_attempts=1,
        breaker=CircuitBreaker(failures_to_open=2, cooldown_seconds=60, clock=clock),
    )
    for _ in range(2):
        assert (await chain.diagnose(sample_request())).provider == "groq"
    assert len(fake.calls("gemini")) == 2
    skipped = await chain.diagnose(sample_request())
    assert summary(skipped.attempts)[0] == ("gemini", False, "circuit_open")
    assert len(fake.calls("gemini")) == 2  # not called while open

    clock.now += 61  # half-open: one trial call, which succeeds and closes the breaker
    fake.script("gemini", "ok")
    assert (await chain.diagnose(sample_request())).provider == "gemini"
    assert not chain.breaker.is_open("gemini")


async def test_hanging_providers_never_exceed_the_budget(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "timeout")
    fake.script("groq", "timeout")
    budget = 1.5
    chain = make_chain(ai_settings(tmp_path, fake, timeout_seconds=30), timeout_seconds=30, total_budget_seconds=budget)
    started = time.monotonic()
    result = await chain.diagnose(sample_request())
    elapsed = time.monotonic() - started
    assert result.provider == "local"
    # Generous bound: the budget plus scheduling slack on a shared 2-core machine.
    assert elapsed < budget + 3.0
    errors = [a.error for a in result.attempts if not a.ok]
    assert errors[0] == "timeout"
    assert "budget_exhausted" in errors


def test_build_orders_and_skips_keyless_providers(tmp_path: Path, fake: FakeProviders) -> None:
    chain = build_diagnoser(ai_settings(tmp_path, fake, providers=["groq", "gemini", "local"], gemini_api_key=""))
    assert chain.provider_names == ["groq", "local"]
    assert "GEMINI_API_KEY" in chain.skipped["gemini"]
    assert chain.has_local_fallback


def test_offline_means_local_only(tmp_path: Path, fake: FakeProviders) -> None:
    settings = ai_settings(tmp_path, fake).model_copy(update={"offline": True})
    assert build_diagnoser(settings).provider_names == ["local"]


def test_unknown_provider_is_a_config_error(tmp_path: Path, fake: FakeProviders) -> None:
    with pytest.raises(ConfigError, match="openai"):
        build_diagnoser(ai_settings(tmp_path, fake, providers=["openai"]))


async def test_no_provider_left_explains_why(tmp_path: Path, fake: FakeProviders) -> None:
    settings = ai_settings(tmp_path, fake, providers=["gemini", "local"], gemini_api_key="", local_enabled=False)
    chain = build_diagnoser(settings)
    assert chain.provider_names == []
    with pytest.raises(DiagnosisUnavailableError, match="GEMINI_API_KEY") as caught:
        await chain.diagnose(sample_request())
    assert caught.value.attempts == []


def test_building_the_chain_imports_no_sdk(tmp_path: Path, fake: FakeProviders) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from chefmentor.config import load_settings; from chefmentor.ai.chain import build_diagnoser;"
        "build_diagnoser(load_settings(env='dev', home=sys.argv[1], ai={'gemini_api_key': 'k', 'groq_api_key': 'k'}));"
        "print([m for m in ('google.genai', 'groq', 'PIL', 'av') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


async def test_a_hint_longer_than_a_call_is_not_waited_for(tmp_path: Path, fake: FakeProviders) -> None:
    fake.script("gemini", "429", "ok")
    sleeps = Sleeps()
    chain = make_chain(ai_settings(tmp_path, fake), sleep=sleeps, timeout_seconds=1.0)
    result = await chain.diagnose(sample_request())
    assert result.provider == "groq" and sleeps.delays == []
    assert chain.breaker.is_open("gemini")  # for the 1.5 s the provider asked for
