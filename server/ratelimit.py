"""Rate limits with `limits`: memory by default, Redis (shared by all workers) when configured.

Redis configured but down (docs/security.md): the login limit is never weaker than configured, so logins
answer 503 (Retry-After) until the shared counters are back; per-process counters would give N workers N
times the tries and forget addresses already blocked. The per-IP limits that bound free demo tokens (demo
creation, expensive routes) fall back to per-process memory counters; every other limit fails open; the
server keeps answering. A failed Redis call opens a short circuit so requests do not each wait for the
socket timeout.
Headers follow draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "auth";q=5;w=900` and
`RateLimit: "auth";r=0;t=600`, plus `Retry-After` on 429 (RFC 6585 §4).
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request

from chefmentor.config import Settings
from chefmentor.errors import RateLimitedError, ServiceUnavailableError
from server.deps import actor_of, ctx_of
from server.middleware import add_response_headers

log = logging.getLogger("chefmentor.ratelimit")

REDIS_RETRY_SECONDS = 5.0
MAX_WINDOW_HINTS = 50_000
# Limits that must never be weaker than configured: without their shared counters the request is refused.
STRICT_POLICIES = frozenset({"auth"})
# Limits that fall back to per-process memory counters while the shared store is down.
MEMORY_FALLBACK_POLICIES = frozenset({"demo_start", "expensive_ip"})
# Counted with a moving window (every attempt in any span), the rest with cheap fixed windows.
MOVING_WINDOW_POLICIES = frozenset({"auth"})
KeyKind = Literal["actor", "ip"]
# Policy name → the ServerSettings field holding its "N/period" limit string.
POLICY_SETTINGS = {
    "auth": "rate_limit_auth",
    "analyze": "rate_limit_analyze",
    "default": "rate_limit_default",
    "demo_start": "rate_limit_demo_start",
    "expensive_ip": "rate_limit_expensive_ip",
}
# A policy applied per actor also applies these per client IP: demo actors are free, addresses are not.
PER_IP_COMPANIONS = {"analyze": "expensive_ip"}
LOGIN_PAUSED = "Sign-in is paused while the shared rate-limit store is unavailable"


@dataclass(frozen=True, slots=True)
class Decision:
    policy: str
    allowed: bool
    limit: int
    window_seconds: int
    remaining: int
    reset_after: int
    metered: bool = True

    def headers(self) -> list[tuple[str, str]]:
        if not self.metered:
            return []
        name = f'"{self.policy}"'
        return [
            ("RateLimit-Policy", f"{name};q={self.limit};w={self.window_seconds}"),
            ("RateLimit", f"{name};r={self.remaining};t={self.reset_after}"),
        ]


class RateLimiter:
    """Named policies (`auth`, `analyze`, `default`, ...) checked against memory or Redis storage."""

    def __init__(self, settings: Settings, *, redis_url: str | None = None, key_prefix: str = "cmx:limits") -> None:
        from limits import parse
        from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

        self.policies = {name: parse(getattr(settings.server, field)) for name, field in POLICY_SETTINGS.items()}
        self._strategies = {"moving": MovingWindowRateLimiter, "fixed": FixedWindowRateLimiter}
        from limits.aio.storage import MemoryStorage

        memory = MemoryStorage()
        self._memory = {kind: cls(memory) for kind, cls in self._strategies.items()}
        self._redis: dict[str, Any] | None = None
        self._redis_storage: Any = None
        self._redis_down_until = 0.0
        self._window_ends: dict[str, float] = {}
        if redis_url:
            from limits.aio.storage import RedisStorage

            timeout = settings.redis.socket_timeout_seconds
            self._redis_storage = RedisStorage(
                "async+" + redis_url,
                implementation="redispy",
                key_prefix=key_prefix,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
            )
            self._redis = {kind: cls(self._redis_storage) for kind, cls in self._strategies.items()}

    @property
    def backend(self) -> str:
        return "redis" if self._redis is not None else "memory"

    async def hit(self, policy: str, key: str) -> Decision:
        item = self.policies[policy]
        kind = "moving" if policy in MOVING_WINDOW_POLICIES else "fixed"
        limiter = self._memory[kind]
        if self._redis is not None:
            if time.monotonic() >= self._redis_down_until:
                try:
                    return await self._decide(self._redis[kind], item, policy, key)
                except Exception as exc:  # redis down/timeout: see the module docstring
                    self._redis_down_until = time.monotonic() + REDIS_RETRY_SECONDS
                    log.warning("rate limit storage unavailable (%s): %s", type(exc).__name__, exc)
            if policy in STRICT_POLICIES:
                retry = max(1.0, self._redis_down_until - time.monotonic())
                raise ServiceUnavailableError(LOGIN_PAUSED, retry_after=retry)
            if policy not in MEMORY_FALLBACK_POLICIES:
                return Decision(policy, True, item.amount, item.get_expiry(), item.amount, 0, metered=False)
        return await self._decide(limiter, item, policy, key)

    async def _window_end(self, storage: Any, storage_key: str, count: int, expiry: int) -> float:
        """When the fixed window ends: known locally once this process saw the window's first hit.

        Saves the TTL round trip to Redis on most requests; a window another worker opened costs one lookup.
        """
        now = time.time()
        if count == 1:
            end = now + expiry
        else:
            hinted = self._window_ends.get(storage_key)
            if hinted is not None and hinted > now:
                return hinted
            end = float(await storage.get_expiry(storage_key))
        if len(self._window_ends) >= MAX_WINDOW_HINTS:
            self._window_ends.clear()
        self._window_ends[storage_key] = end
        return end

    async def _decide(self, limiter: Any, item: Any, policy: str, key: str) -> Decision:
        if isinstance(limiter, self._strategies["fixed"]):
            # FixedWindowRateLimiter.hit() is `storage.incr(...) <= amount`; calling the storage directly
            # also yields the count, saving the get() that get_window_stats() would add on every request.
            storage_key = item.key_for(policy, key)
            count = await limiter.storage.incr(storage_key, item.get_expiry())
            reset_time = await self._window_end(limiter.storage, storage_key, count, item.get_expiry())
            allowed, remaining = count <= item.amount, item.amount - count
        else:
            allowed = await limiter.hit(item, policy, key)
            stats = await limiter.get_window_stats(item, policy, key)
            reset_time, remaining = stats.reset_time, stats.remaining
        reset_after = max(0, math.ceil(reset_time - time.time()))
        return Decision(policy, bool(allowed), item.amount, item.get_expiry(), max(0, remaining), reset_after)


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str, trusted: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_ip(request: Request, trusted_proxies: list[str]) -> str:
    """The socket peer, unless it is a trusted proxy: then the right-most untrusted X-Forwarded-For hop.

    Never the left-most entry: clients write whatever they like there (slowapi's get_ipaddr trusts it).
    """
    peer = request.client.host if request.client else "unknown"
    if not trusted_proxies:
        return peer
    trusted = _networks(tuple(trusted_proxies))
    if not _is_trusted(peer, trusted):
        return peer
    hops = [hop.strip() for hop in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return hops[0] if hops else peer


def _limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


async def enforce(request: Request, policy: str, key: str) -> None:
    decision = await _limiter(request).hit(policy, key)
    add_response_headers(request.scope, decision.headers())
    if not decision.allowed:
        retry = max(1, decision.reset_after)
        raise RateLimitedError(f"Too many requests: try again in {retry} s", retry_after=retry)


def rate_limit(policy: str, *, per: KeyKind = "actor") -> Callable[..., Awaitable[None]]:
    """A dependency applying the named policy per actor (anonymous callers: per client IP) or per IP."""
    if policy not in POLICY_SETTINGS:
        raise ValueError(f"Unknown rate limit policy {policy!r}: use one of {sorted(POLICY_SETTINGS)}")

    if per == "ip":

        async def by_ip(request: Request) -> None:
            settings = ctx_of(request).settings
            await enforce(request, policy, "ip:" + client_ip(request, settings.server.trusted_proxies))

        return by_ip

    companion = PER_IP_COMPANIONS.get(policy)

    async def by_actor(request: Request) -> None:
        actor = actor_of(request)
        ip_key = "ip:" + client_ip(request, ctx_of(request).settings.server.trusted_proxies)
        key = f"{actor.kind}:{actor.id}" if actor is not None and actor.id is not None else ip_key
        await enforce(request, policy, key)
        if companion is not None:
            await enforce(request, companion, ip_key)

    return by_actor
