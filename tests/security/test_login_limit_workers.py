"""The login limit never weakens while Redis is down (issue 17 #4): two real API processes, the real Redis behind
a proxy that the test cuts, PostgreSQL shared."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from tests.conftest import TEST_SECRET, redis_cleanup
from tests.fakes.google_certs import serve_google_certs
from tests.scaleout.workers import api_env, api_processes
from tests.security.redis_proxy import cuttable_redis

pytestmark = [pytest.mark.pg, pytest.mark.redis, pytest.mark.slow]
CLIENT_ID = "test-client-id.apps.googleusercontent.com"
LIMIT = 5
RECOVERY_SECONDS = 20.0


async def test_two_workers_never_allow_more_logins_than_configured_during_a_redis_outage(
    pg_settings, redis_url: str, redis_namespace: str, tmp_path
) -> None:
    """API2:2023 Broken Authentication: login anti-brute-force holds across workers through a Redis outage."""
    with cuttable_redis(redis_url) as redis, serve_google_certs() as google:
        env = api_env(
            home=tmp_path,
            database_url=pg_settings.database_url,
            redis_url=redis.url,
            namespace=redis_namespace,
            jwt_secret=TEST_SECRET,
            extra={
                "CHEFMENTOR_AUTH__GOOGLE_CERTS_URL": google.certs_url,
                "CHEFMENTOR_AUTH__GOOGLE_CLIENT_IDS": f'["{CLIENT_ID}"]',
                "CHEFMENTOR_SERVER__RATE_LIMIT_AUTH": f"{LIMIT}/15minute",
                "CHEFMENTOR_OBSERVABILITY__METRICS_PORT": "0",
            },
        )
        # A token for another app: every attempt reaches the verifier (401) unless the limiter stops it first.
        attempt = {"idToken": google.mint(aud="someone-else.apps.googleusercontent.com")}
        async with redis_cleanup(redis_url, redis_namespace):
            with api_processes(env, count=2) as workers:
                async with httpx.AsyncClient(timeout=20) as http:
                    calls = 0

                    async def login() -> int:
                        nonlocal calls
                        calls += 1
                        return (await http.post(f"{workers[calls % 2]}/api/auth/google", json=attempt)).status_code

                    before = [await login() for _ in range(3)]
                    assert before == [401] * 3

                    redis.cut()
                    during = [await login() for _ in range(2 * LIMIT)]
                    assert during == [503] * (2 * LIMIT), "no attempt may pass while the shared count is unknown"

                    redis.restore()
                    after: list[int] = []
                    deadline = time.monotonic() + RECOVERY_SECONDS
                    while len(after) < 6 and time.monotonic() < deadline:
                        status = await login()
                        if status == 503:
                            await asyncio.sleep(0.5)  # the limiter's short circuit: it retries Redis shortly
                            continue
                        after.append(status)
                    assert after == [401, 401, 429, 429, 429, 429], "exactly the configured 5 tries in total"

                    # An address already blocked in Redis stays blocked while Redis is down.
                    redis.cut()
                    assert [await login() for _ in range(4)] == [503] * 4
