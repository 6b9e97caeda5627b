"""Security tests run twice: on SQLite with in-process cache and limits, and on PostgreSQL + the real Redis.

The Redis run gets its own key namespace (cache, rate limits, spend counters), removed afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from chefmentor.config import Settings
from server.app import create_app
from tests.conftest import redis_cleanup
from tests.fakes.providers import FakeProviders, serve_fake_providers
from tests.server.conftest import (  # noqa: F401 - fixtures shared with the server tests
    CLIENT_ID,
    _google_server,
    client_for,
    google,
    google_keys,
    with_overrides,
)


@pytest.fixture
async def sec_redis_cleanup(redis_url: str, redis_namespace: str) -> AsyncIterator[None]:
    async with redis_cleanup(redis_url, redis_namespace):
        yield


@pytest.fixture(params=["sqlite", pytest.param("pg_redis", marks=[pytest.mark.pg, pytest.mark.redis])])
def sec_settings(request: pytest.FixtureRequest, google: Any) -> Settings:  # noqa: F811
    auth = {"google_certs_url": google.certs_url, "google_client_ids": [CLIENT_ID]}
    if request.param == "sqlite":
        return with_overrides(request.getfixturevalue("settings"), auth=auth)
    base: Settings = request.getfixturevalue("pg_settings")
    redis_url: str = request.getfixturevalue("redis_url")
    namespace: str = request.getfixturevalue("redis_namespace")
    request.getfixturevalue("sec_redis_cleanup")
    return with_overrides(base, auth=auth, redis={"url": redis_url, "namespace": namespace})


def build_app(settings: Settings, **sections: dict[str, Any]) -> FastAPI:
    return create_app(with_overrides(settings, **sections) if sections else settings)


@pytest.fixture
def sec_app(sec_settings: Settings) -> FastAPI:
    return build_app(sec_settings)


@pytest.fixture
async def sec_client(sec_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(sec_app) as client:
        yield client


async def start_demo(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    response = await client.post("/api/demo/start")
    assert response.status_code == 201, response.text
    body = response.json()
    return body["demoSessionId"], {"Authorization": f"Bearer {body['accessToken']}"}


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    assert body["success"] is False, body
    return response.status_code, body["error"]["code"], body["error"]["message"]


@pytest.fixture(scope="session")
def _security_fake_providers() -> Iterator[FakeProviders]:
    with serve_fake_providers() as fake:
        yield fake


@pytest.fixture
def fake(_security_fake_providers: FakeProviders) -> FakeProviders:
    _security_fake_providers.reset()
    return _security_fake_providers
