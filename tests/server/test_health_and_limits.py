"""/health and /health/ready with the real DB and Redis; rate limits on memory and on real Redis, incl. Redis down."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from chefmentor.cache import RedisCache, create_redis_client
from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from server.app import create_app
from tests.conftest import redis_cleanup
from tests.server.conftest import CLIENT_ID, client_for, envelope_code, with_overrides

DEAD_REDIS = "redis://127.0.0.1:1/0"


def _redis_context(namespace: str):
    @asynccontextmanager
    async def factory(settings: Settings) -> AsyncIterator[AppContext]:
        client = create_redis_client(settings.redis.url or DEAD_REDIS, settings.redis.socket_timeout_seconds)
        try:
            async with open_context(settings, redis=client, cache=RedisCache(client, namespace=namespace)) as ctx:
                yield ctx
        finally:
            await client.aclose()

    return factory


async def test_health_checks_the_database(client) -> None:
    for path in ("/health", "/health/ready"):
        response = await client.get(path)
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "db": "ok", "redis": "disabled"}


async def test_database_down_is_503(client, ctx) -> None:
    real = ctx.engine
    ctx.engine = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/none", connect_args={"timeout": 1})
    try:
        for path in ("/health", "/health/ready"):
            response = await client.get(path)
            assert response.status_code == 503 and response.headers["retry-after"] == "5"
            assert response.json()["db"] == "down" and response.json()["status"] == "down"
    finally:
        await ctx.engine.dispose()
        ctx.engine = real


async def test_redis_down_degrades_but_keeps_serving(server_settings, google) -> None:
    settings = with_overrides(server_settings, redis={"url": DEAD_REDIS, "socket_timeout_seconds": 0.2})
    app = create_app(settings)
    async with client_for(app) as client:
        health = await client.get("/health")
        assert health.status_code == 200
        assert health.json() == {"status": "degraded", "db": "ok", "redis": "down"}
        ready = await client.get("/health/ready")
        assert ready.status_code == 503 and ready.json()["redis"] == "down"
        # Reads fail open (no RateLimit headers, served from the DB) and stay fast thanks to the circuit.
        started = time.perf_counter()
        for _ in range(10):
            listed = await client.get("/api/recipes")
            assert listed.status_code == 200
        assert "ratelimit" not in listed.headers
        assert time.perf_counter() - started < 5
        # Login is never weaker than configured: without the shared counters it is refused (503 + Retry-After),
        # never counted per process (docs/security.md).
        responses = [
            await client.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)}) for _ in range(6)
        ]
        assert [r.status_code for r in responses] == [503] * 6
        assert all(r.headers.get("retry-after") for r in responses)


async def test_sixth_google_login_within_15_minutes_is_429(client, google) -> None:
    for attempt in range(5):
        ok = await client.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)})
        assert ok.status_code == 200, (attempt, ok.text)
        policies = [item.strip() for item in ok.headers["ratelimit-policy"].split(",")]
        assert '"auth";q=5;w=900' in policies
        states = [item.strip() for item in ok.headers["ratelimit"].split(",")]
        assert any(state.startswith(f'"auth";r={4 - attempt};t=') for state in states), states
    refused = await client.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)})
    assert refused.status_code == 429 and envelope_code(refused) == "RATE_LIMITED"
    retry_after = int(refused.headers["retry-after"])
    assert 0 < retry_after <= 900
    auth_state = next(s for s in refused.headers["ratelimit"].split(",") if '"auth"' in s)
    reset = int(auth_state.rsplit("t=", 1)[1])
    assert retry_after >= reset
    # Failed attempts count too (brute force), and other IPs are not affected.
    other_ip = await client.post(
        "/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)}, headers={"X-Forwarded-For": "10.9.9.9"}
    )
    assert other_ip.status_code == 429, "X-Forwarded-For from an untrusted peer must be ignored"


async def test_trusted_proxy_forwarded_for(server_settings, google) -> None:
    app = create_app(with_overrides(server_settings, server={"trusted_proxies": ["127.0.0.0/8"]}))
    async with client_for(app) as client:
        for _ in range(5):
            await client.post(
                "/api/auth/google", json={"idToken": "a.b.c" * 5}, headers={"X-Forwarded-For": "203.0.113.7"}
            )
        blocked = await client.post(
            "/api/auth/google", json={"idToken": "x.y.z" * 5}, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        assert blocked.status_code == 429
        spoofed = await client.post(
            "/api/auth/google",
            json={"idToken": google.mint(aud=CLIENT_ID)},
            headers={"X-Forwarded-For": "203.0.113.7, 198.51.100.4"},
        )
        assert spoofed.status_code == 200, "the right-most untrusted hop is the client, not the left-most"


async def test_default_limit_per_actor(server_settings) -> None:
    app = create_app(with_overrides(server_settings, server={"rate_limit_default": "3/minute"}))
    async with client_for(app) as client:
        demo = (await client.post("/api/demo/start")).json()["accessToken"]
        auth = {"Authorization": f"Bearer {demo}"}
        responses = [await client.get("/api/recipes", headers=auth) for _ in range(4)]
        assert [response.status_code for response in responses] == [200, 200, 200, 429]
        states = [response.headers["ratelimit"] for response in responses]
        assert [state.split(";")[1] for state in states] == ["r=2", "r=1", "r=0", "r=0"]
        resets = [int(state.rsplit("t=", 1)[1]) for state in states]
        assert all(0 < reset <= 60 for reset in resets) and max(resets) - min(resets) <= 1
        assert int(responses[-1].headers["retry-after"]) >= resets[-1]
        anonymous = await client.get("/api/recipes")
        assert anonymous.status_code == 200, "a different actor has its own counter"
        health = [(await client.get("/health")).status_code for _ in range(5)]
        assert health == [200] * 5, "health is never rate limited"


@pytest.mark.redis
async def test_redis_health_and_limits_shared_between_workers(
    server_settings, redis_url, redis_namespace, google
) -> None:
    settings = with_overrides(server_settings, redis={"url": redis_url})
    async with redis_cleanup(redis_url, redis_namespace):
        worker_a = create_app(settings, context_factory=_redis_context(redis_namespace))
        worker_b = create_app(settings, context_factory=_redis_context(redis_namespace))
        async with client_for(worker_a) as client_a:
            async with client_for(worker_b) as client_b:
                health = await client_a.get("/health/ready")
                assert health.status_code == 200 and health.json()["redis"] == "ok"
                assert worker_a.state.rate_limiter.backend == "redis"
                statuses = []
                for index in range(6):
                    client = client_a if index % 2 == 0 else client_b
                    response = await client.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)})
                    statuses.append(response.status_code)
                assert statuses == [200] * 5 + [429], "two workers share one Redis counter"
                limited = await client_b.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)})
                assert int(limited.headers["retry-after"]) > 0


@pytest.mark.redis
async def test_redis_goes_down_mid_flight(server_settings, redis_url, redis_namespace, google) -> None:
    # The live Redis gets a generous timeout: on a loaded machine a 0.3 s connect could time out and send the
    # first logins to the memory fallback, which is the behaviour under test only after the switch below.
    settings = with_overrides(server_settings, redis={"url": redis_url, "socket_timeout_seconds": 2.0})
    async with redis_cleanup(redis_url, redis_namespace):
        app = create_app(settings, context_factory=_redis_context(redis_namespace))
        async with client_for(app) as client:
            for _ in range(3):
                assert (
                    await client.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)})
                ).status_code == 200
            limiter = app.state.rate_limiter
            # Point the Redis limiter at a dead server: as if Redis crashed after startup.
            from limits.aio.storage import RedisStorage
            from limits.aio.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

            dead = RedisStorage(
                "async+" + DEAD_REDIS, implementation="redispy", socket_timeout=0.2, socket_connect_timeout=0.2
            )
            limiter._redis = {"moving": MovingWindowRateLimiter(dead), "fixed": FixedWindowRateLimiter(dead)}
            listed = await asyncio.wait_for(client.get("/api/recipes"), timeout=5)
            assert listed.status_code == 200
            statuses = [
                (await client.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID)})).status_code
                for _ in range(6)
            ]
            assert statuses == [503] * 6, "no login is let through while the shared counters are unknown"


async def test_memory_limits_expire_their_windows(server_settings: Settings) -> None:
    from server.ratelimit import RateLimiter

    limiter = RateLimiter(with_overrides(server_settings, server={"rate_limit_default": "2/second"}))
    decisions = [await limiter.hit("default", f"user:{n % 50}") for n in range(150)]
    assert [d.allowed for d in decisions] == [True] * 100 + [False] * 50
    await asyncio.sleep(1.1)
    assert (await limiter.hit("default", "user:0")).allowed, "the window expired"
