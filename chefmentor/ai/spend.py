"""Spend guard: a cap on paid provider calls per minute and per day, shared by every worker.

Demo tokens are free, so per-actor limits alone do not bound what the Gemini/Groq bill can reach
(OWASP API4 "spending limit"). Every network provider call takes one unit from both windows; once either is
used up the chain goes straight to the offline engine and its attempts say `spend_cap`. The counters live in
Redis when configured (one count for all workers), else in this process. When Redis is configured but does
not answer, the guard refuses paid calls (`spend_guard_unavailable`): the caps are never exceeded, and the
offline engine still answers.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from chefmentor.config import Settings

log = logging.getLogger(__name__)

SPEND_CAP = "spend_cap"
GUARD_UNAVAILABLE = "spend_guard_unavailable"
STORE_RETRY_SECONDS = 5.0
NAMESPACE = "provider-spend"


@dataclass(frozen=True, slots=True)
class SpendDecision:
    allowed: bool
    reason: str | None = None


ALLOWED = SpendDecision(True)


class SpendGuard:
    """Fixed windows of `max_provider_calls_per_minute` and `max_provider_calls_per_day` (0 = no cap)."""

    def __init__(self, settings: Settings, *, redis_url: str | None = None, key_prefix: str | None = None) -> None:
        from limits import RateLimitItemPerDay, RateLimitItemPerMinute
        from limits.aio.storage import MemoryStorage, RedisStorage
        from limits.aio.strategies import FixedWindowRateLimiter

        ai = settings.ai
        caps = (
            RateLimitItemPerMinute(ai.max_provider_calls_per_minute),
            RateLimitItemPerDay(ai.max_provider_calls_per_day),
        )
        self.items = [item for item in caps if item.amount > 0]
        storage: Any
        if redis_url:
            timeout = settings.redis.socket_timeout_seconds
            storage = RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix=key_prefix or f"{settings.redis.namespace}limits",
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
            )
        else:
            storage = MemoryStorage()
        self.shared = bool(redis_url)
        self._limiter = FixedWindowRateLimiter(storage)
        self._down_until = 0.0

    @property
    def enabled(self) -> bool:
        return bool(self.items)

    async def take(self, provider: str) -> SpendDecision:
        """Count one paid call to `provider`; refuse it when a cap is reached or the shared count is unknown."""
        if not self.items:
            return ALLOWED
        if time.monotonic() < self._down_until:
            return SpendDecision(False, GUARD_UNAVAILABLE)
        try:
            for item in self.items:
                if not await self._limiter.hit(item, NAMESPACE):
                    log.warning("provider spend cap %s reached; %s skipped for the offline engine", item, provider)
                    return SpendDecision(False, SPEND_CAP)
        except Exception as exc:  # the shared store is down: see the module docstring
            self._down_until = time.monotonic() + STORE_RETRY_SECONDS
            log.warning("spend guard storage unavailable (%s); paid providers skipped", type(exc).__name__)
            return SpendDecision(False, GUARD_UNAVAILABLE)
        return ALLOWED


def build_spend_guard(settings: Settings) -> SpendGuard:
    return SpendGuard(settings, redis_url=settings.redis.url)
