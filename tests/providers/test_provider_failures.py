"""What Gemini and Groq share: every failure the fake can produce becomes one ProviderError, sent once.

Each adapter runs with its real SDK against the loopback fake; the provider-specific wire details stay in
test_gemini.py and test_groq.py.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from chefmentor.ai.errors import ProviderError, ProviderErrorCode
from chefmentor.ai.gemini import GeminiDiagnoser
from chefmentor.ai.groq import GroqDiagnoser
from tests.fakes.providers import FakeProviders
from tests.providers.conftest import ai_settings, sample_request

ADAPTERS: dict[str, Any] = {"gemini": GeminiDiagnoser, "groq": GroqDiagnoser}
SHARED_FAILURES = [
    ("500", ProviderErrorCode.SERVER_ERROR),
    ("503", ProviderErrorCode.SERVER_ERROR),
    ("malformed", ProviderErrorCode.MALFORMED),
    ("badcategory", ProviderErrorCode.MALFORMED),
    ("badbody", ProviderErrorCode.MALFORMED),
    ("blocked", ProviderErrorCode.BLOCKED),
    ("truncated", ProviderErrorCode.TRUNCATED),
    ("decommissioned", ProviderErrorCode.DECOMMISSIONED),
    ("auth", ProviderErrorCode.AUTH),
]
FAILURES = [
    *((provider, mode, code) for provider in ADAPTERS for mode, code in SHARED_FAILURES),
    ("gemini", "blocked_output", ProviderErrorCode.BLOCKED),
]


async def _diagnose(provider: str, tmp_path: Path, fake: FakeProviders, **ai: Any) -> Any:
    return await ADAPTERS[provider](ai_settings(tmp_path, fake, **ai)).diagnose(sample_request())


@pytest.mark.parametrize(("provider", "mode", "code"), FAILURES)
async def test_failures_become_provider_errors(
    tmp_path: Path, fake: FakeProviders, provider: str, mode: str, code: ProviderErrorCode
) -> None:
    fake.script(provider, mode)
    with pytest.raises(ProviderError) as caught:
        await _diagnose(provider, tmp_path, fake)
    assert caught.value.code is code
    assert caught.value.provider == provider
    assert len(fake.calls(provider)) == 1


@pytest.mark.parametrize(("provider", "retry_after"), [("gemini", pytest.approx(1.5)), ("groq", 1.0)])
async def test_429_is_not_retried_by_the_sdk_and_keeps_the_hint(
    tmp_path: Path, fake: FakeProviders, provider: str, retry_after: Any
) -> None:
    fake.script(provider, "429")
    with pytest.raises(ProviderError) as caught:
        await _diagnose(provider, tmp_path, fake)
    assert caught.value.code is ProviderErrorCode.RATE_LIMITED
    assert caught.value.retry_after == retry_after
    assert len(fake.calls(provider)) == 1


@pytest.mark.parametrize("provider", ADAPTERS)
async def test_timeout_is_bounded(tmp_path: Path, fake: FakeProviders, provider: str) -> None:
    fake.script(provider, "timeout")
    started = time.monotonic()
    with pytest.raises(ProviderError) as caught:
        await _diagnose(provider, tmp_path, fake, timeout_seconds=0.5)
    assert caught.value.code is ProviderErrorCode.TIMEOUT
    assert time.monotonic() - started < 10  # the fake would hang 30 s
