"""Server fixtures: the app on SQLite (and PostgreSQL via the `db_backend` param), a client with the lifespan
run, and a loopback Google certs server for real RS256 ID tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from chefmentor.config import Settings
from server.app import create_app
from tests.fakes.google_certs import FakeGoogleCerts, SigningKey, make_signing_key, serve_google_certs

CLIENT_ID = "test-client-id.apps.googleusercontent.com"


@pytest.fixture(scope="session")
def google_keys() -> list[SigningKey]:
    return [make_signing_key("key-0"), make_signing_key("key-1")]


@pytest.fixture(scope="session")
def _google_server(google_keys: list[SigningKey]) -> Iterator[FakeGoogleCerts]:
    with serve_google_certs(list(google_keys)) as fake:
        yield fake


@pytest.fixture
def google(_google_server: FakeGoogleCerts, google_keys: list[SigningKey]) -> FakeGoogleCerts:
    _google_server.mode = "ok"
    _google_server.published = list(google_keys)
    _google_server.fetches = 0
    return _google_server


def with_overrides(settings: Settings, **sections: dict[str, Any]) -> Settings:
    updates = {name: getattr(settings, name).model_copy(update=values) for name, values in sections.items()}
    return settings.model_copy(update=updates)


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def server_settings(request: pytest.FixtureRequest, google: FakeGoogleCerts) -> Settings:
    """Settings for the app under test; every test using it runs on SQLite and on PostgreSQL."""
    base: Settings = request.getfixturevalue("pg_settings" if request.param == "pg" else "settings")
    return with_overrides(base, auth={"google_certs_url": google.certs_url, "google_client_ids": [CLIENT_ID]})


@pytest.fixture
def app(server_settings: Settings) -> FastAPI:
    return create_app(server_settings)


@asynccontextmanager
async def client_for(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as value:
        yield value


@pytest.fixture
def ctx(app: FastAPI, client: httpx.AsyncClient) -> Any:
    """The running app's AppContext (to inspect rows and the cache)."""
    return app.state.ctx


def envelope_code(response: httpx.Response) -> str:
    body = response.json()
    assert body["success"] is False, body
    assert set(body["error"]) >= {"code", "message"}, body
    return str(body["error"]["code"])
