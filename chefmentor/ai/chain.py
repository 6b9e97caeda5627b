"""The fallback chain: providers in the configured order, with timeouts, retries, a budget and a breaker.

Order is `settings.ai.providers` (default gemini -> groq -> local); providers without a key are skipped
and `--offline` leaves only the local engine. ONE total budget (`ai.total_budget_seconds`, default 20 s)
bounds the whole chain, offline fallback included: network providers may use it up to
`ai.local_reserve_seconds` before its end, the local engine gets what is left. Each call is bounded by the
per-provider timeout and by that remainder; retryable failures are retried with exponential backoff or the
provider's own retry hint; a provider that keeps failing is skipped by a circuit breaker until its cooldown
passes; the spend guard (chefmentor/ai/spend.py) may refuse paid calls, and then the offline engine answers.
Every result carries all attempts, and so does the error when every provider failed.
"""

from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from chefmentor.ai.errors import (
    HEALTH_CODES,
    PERMANENT_CODES,
    DiagnosisUnavailableError,
    ProviderError,
    ProviderErrorCode,
)
from chefmentor.ai.spend import SpendGuard
from chefmentor.ai.types import Attempt, Diagnoser, Diagnosis, DiagnosisRequest
from chefmentor.config import Settings
from chefmentor.errors import ConfigError

log = logging.getLogger(__name__)

KNOWN_PROVIDERS = ("gemini", "groq", "local")
LOCAL = "local"
# Below this much remaining budget a network call cannot usefully start.
MIN_CALL_SECONDS = 0.05
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 8.0
BUDGET_EXHAUSTED = "budget_exhausted"
CIRCUIT_OPEN = "circuit_open"


@dataclass
class CircuitBreaker:
    """Per-provider consecutive-failure counter; open providers are skipped until the cooldown passes.

    The state is per process: with several workers each learns on its own, which only costs a few
    extra failed calls, never a wrong answer.
    """

    failures_to_open: int = 3
    cooldown_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, int] = field(default_factory=dict)
    _open_until: dict[str, float] = field(default_factory=dict)

    def is_open(self, name: str) -> bool:
        return self.clock() < self._open_until.get(name, -math.inf)

    def open_for(self, name: str, seconds: float) -> None:
        self._open_until[name] = max(self._open_until.get(name, -math.inf), self.clock() + seconds)

    def record_success(self, name: str) -> None:
        self._failures.pop(name, None)
        self._open_until.pop(name, None)

    def record_failure(self, name: str, error: ProviderError) -> None:
        if error.code in PERMANENT_CODES:
            self.open_for(name, self.cooldown_seconds)
            return
        if error.code not in HEALTH_CODES:
            return
        count = self._failures.get(name, 0) + 1
        self._failures[name] = count
        # Half-open after a cooldown: one more failure re-opens at once (count stays >= threshold).
        if count >= self.failures_to_open:
            self.open_for(name, self.cooldown_seconds)


def backoff_delay(attempt_index: int, retry_after: float | None) -> float:
    """The provider's hint wins; otherwise exponential backoff with jitter (0.75..1 of the step)."""
    if retry_after is not None:
        return max(0.0, retry_after)
    step = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * float(2**attempt_index))
    return step * random.uniform(0.75, 1.0)  # noqa: S311 - jitter, not security


class FallbackChain:
    """A Diagnoser made of Diagnosers; `diagnose` returns the first valid answer."""

    name = "chain"
    accepts_images = True

    def __init__(
        self,
        providers: Sequence[Diagnoser],
        *,
        timeout_seconds: float = 8.0,
        max_attempts: int = 2,
        total_budget_seconds: float = 20.0,
        local_reserve_seconds: float = 2.0,
        breaker: CircuitBreaker | None = None,
        skipped: dict[str, str] | None = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
        spend_guard: SpendGuard | None = None,
    ) -> None:
        self.providers = list(providers)
        self.timeout_seconds = timeout_seconds
        self.max_attempts = max(1, max_attempts)
        self.total_budget_seconds = total_budget_seconds
        self.local_reserve_seconds = min(max(0.0, local_reserve_seconds), total_budget_seconds / 2)
        self.spend_guard = spend_guard
        self.breaker = breaker or CircuitBreaker()
        self.skipped = dict(skipped or {})
        self._sleep = sleep

    @property
    def provider_names(self) -> list[str]:
        return [p.name for p in self.providers]

    @property
    def model(self) -> str:
        return self.providers[0].model if self.providers else "none"

    @property
    def has_local_fallback(self) -> bool:
        return LOCAL in self.provider_names

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
        attempts: list[Attempt] = []
        deadline = time.monotonic() + self.total_budget_seconds
        # With an offline engine behind them, network providers stop early enough to leave it its share.
        network_deadline = deadline - (self.local_reserve_seconds if self.has_local_fallback else 0.0)
        spend_refused: str | None = None
        for provider in self.providers:
            if provider.name != LOCAL and spend_refused is not None:
                attempts.append(Attempt(provider.name, False, spend_refused, 0.0, provider.model))
                continue
            if self.breaker.is_open(provider.name):
                attempts.append(Attempt(provider.name, False, CIRCUIT_OPEN, 0.0, provider.model))
                continue
            if provider.name != LOCAL and self.spend_guard is not None:
                decision = await self.spend_guard.take(provider.name)
                if not decision.allowed:
                    spend_refused = decision.reason or "spend_cap"
                    attempts.append(Attempt(provider.name, False, spend_refused, 0.0, provider.model))
                    continue
            limit = network_deadline if provider.name != LOCAL else deadline
            result = await self._try_provider(provider, request, attempts, limit)
            if result is not None:
                result.attempts = attempts
                return result
        raise DiagnosisUnavailableError(self._failure_message(attempts), attempts=attempts)

    async def _try_provider(
        self, provider: Diagnoser, request: DiagnosisRequest, attempts: list[Attempt], deadline: float
    ) -> Diagnosis | None:
        budgeted = provider.name != LOCAL
        for index in range(self.max_attempts):
            remaining = deadline - time.monotonic()
            if remaining < MIN_CALL_SECONDS:
                attempts.append(Attempt(provider.name, False, BUDGET_EXHAUSTED, 0.0, provider.model))
                return None
            if budgeted and index > 0 and self.spend_guard is not None:
                decision = await self.spend_guard.take(provider.name)  # a retry is another paid call
                if not decision.allowed:
                    attempts.append(Attempt(provider.name, False, decision.reason, 0.0, provider.model))
                    return None
            started = time.perf_counter()
            error: ProviderError | None = None
            try:
                timeout = min(self.timeout_seconds, remaining) if budgeted else remaining
                diagnosis = await asyncio.wait_for(provider.diagnose(request), timeout=timeout)
            except TimeoutError:
                error = ProviderError(ProviderErrorCode.TIMEOUT, "no answer in time", provider=provider.name)
            except ProviderError as exc:
                error = exc
            except Exception as exc:  # a provider bug must not take the whole chain down
                log.exception("diagnosis provider %s crashed", provider.name)
                error = ProviderError(ProviderErrorCode.SERVER_ERROR, type(exc).__name__, provider=provider.name)
            latency_ms = (time.perf_counter() - started) * 1000
            if error is None:
                self.breaker.record_success(provider.name)
                attempts.append(Attempt(provider.name, True, None, latency_ms, diagnosis.model or provider.model))
                return diagnosis
            attempts.append(Attempt(provider.name, False, error.code.value, latency_ms, provider.model))
            self.breaker.record_failure(provider.name, error)
            log.warning("diagnosis provider %s failed: %s", provider.name, error)
            if not error.retryable or index + 1 >= self.max_attempts or self.breaker.is_open(provider.name):
                return None
            delay = backoff_delay(index, error.retry_after)
            # Waiting longer than one call may take is worse than asking the next provider now.
            too_long = delay > min(self.timeout_seconds, BACKOFF_MAX_SECONDS)
            if too_long or (budgeted and time.monotonic() + delay + MIN_CALL_SECONDS > deadline):
                if error.retry_after is not None:
                    # The provider said when it will serve again; do not knock before that.
                    self.breaker.open_for(provider.name, error.retry_after)
                return None
            await self._sleep(delay)
        return None

    def _failure_message(self, attempts: list[Attempt]) -> str:
        if not self.providers:
            reasons = "; ".join(self.skipped.values()) or "no provider is configured"
            return f"No diagnosis provider is available: {reasons}"
        tried = ", ".join(f"{a.provider} {a.error}" for a in attempts if not a.ok)
        return f"No diagnosis provider answered ({tried})"


def _provider_names(settings: Settings) -> list[str]:
    names = [LOCAL] if settings.offline else list(settings.ai.providers)
    seen: list[str] = []
    for raw in names:
        name = raw.strip().lower()
        if name not in KNOWN_PROVIDERS:
            raise ConfigError(f"Unknown diagnosis provider {raw!r}: use one of {', '.join(KNOWN_PROVIDERS)}")
        if name not in seen:
            seen.append(name)
    return seen


def _has_secret(value: Any) -> bool:
    return value is not None and bool(value.get_secret_value())


def build_diagnoser(settings: Settings) -> FallbackChain:
    """The configured chain; SDKs are imported only when a provider is first used."""
    from chefmentor.ai.lazy import LazyProvider
    from chefmentor.ai.spend import build_spend_guard

    providers: list[Diagnoser] = []
    skipped: dict[str, str] = {}
    for name in _provider_names(settings):
        if name == "gemini" and not _has_secret(settings.ai.gemini_api_key):
            skipped[name] = "No Gemini key: set GEMINI_API_KEY or run offline with --offline"
        elif name == "groq" and not _has_secret(settings.ai.groq_api_key):
            skipped[name] = "No Groq key: set GROQ_API_KEY or run offline with --offline"
        elif name == LOCAL and not settings.ai.local_enabled:
            skipped[name] = "the local engine is disabled: set CHEFMENTOR_AI__LOCAL_ENABLED=true"
        else:
            providers.append(LazyProvider(name, settings))
    return FallbackChain(
        providers,
        timeout_seconds=settings.ai.timeout_seconds,
        max_attempts=settings.ai.max_attempts,
        total_budget_seconds=settings.ai.total_budget_seconds,
        local_reserve_seconds=settings.ai.local_reserve_seconds,
        spend_guard=build_spend_guard(settings) if any(p.name != LOCAL for p in providers) else None,
        breaker=CircuitBreaker(settings.ai.breaker_failures, settings.ai.breaker_cooldown_seconds),
        skipped=skipped,
    )
