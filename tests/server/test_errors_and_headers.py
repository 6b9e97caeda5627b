"""The envelope for every failure (framework and ours), security headers everywhere, body limits, request ids."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from server.app import create_app
from server.middleware import SECURITY_HEADERS
from tests.server.conftest import client_for, envelope_code, with_overrides

EXPECTED_SECURITY = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}


def assert_secure(response: httpx.Response) -> None:
    for name, value in EXPECTED_SECURITY.items():
        assert response.headers.get(name) == value, (name, dict(response.headers))
    assert response.headers["cache-control"]
    assert "server" not in response.headers and "x-powered-by" not in response.headers
    assert response.headers["x-request-id"]


def _add_crashing_routes(app: FastAPI) -> None:
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    async def db_down() -> None:
        from sqlalchemy.exc import OperationalError

        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    async def redis_down() -> None:
        from redis.exceptions import ConnectionError as RedisConnectionError

        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379")

    async def duplicate() -> None:
        from sqlalchemy.exc import IntegrityError

        raise IntegrityError("INSERT ...", {}, Exception("UNIQUE constraint failed: users.email"))

    app.add_api_route("/test/redis-down", redis_down)
    app.add_api_route("/test/duplicate", duplicate)
    app.add_api_route("/test/boom", boom)
    app.add_api_route("/test/db-down", db_down)


async def test_unknown_route_is_404_envelope(client) -> None:
    response = await client.get("/api/does-not-exist")
    assert response.status_code == 404 and envelope_code(response) == "NOT_FOUND"
    assert_secure(response)


async def test_wrong_method_is_405_with_allow(client) -> None:
    response = await client.delete("/api/recipes")
    assert response.status_code == 405 and envelope_code(response) == "METHOD_NOT_ALLOWED"
    assert "GET" in response.headers["allow"]
    assert_secure(response)


async def test_validation_error_is_precise(client) -> None:
    response = await client.get("/api/recipes", params={"limit": 0})
    assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"
    assert "query.limit" in response.json()["error"]["message"]
    assert_secure(response)
    bad_json = await client.post(
        "/api/auth/refresh", content=b'{"refreshToken": ', headers={"content-type": "application/json"}
    )
    assert bad_json.status_code == 422 and envelope_code(bad_json) == "VALIDATION_ERROR"


async def test_unhandled_exception_is_generic_500_with_headers(server_settings) -> None:
    app = create_app(server_settings)
    _add_crashing_routes(app)
    async with client_for(app) as client:
        response = await client.get("/test/boom", headers={"X-Request-ID": "trace-me-1"})
        assert response.status_code == 500
        assert envelope_code(response) == "INTERNAL_ERROR"
        assert "hunter2" not in response.text and "RuntimeError" not in response.text
        assert_secure(response)
        assert response.headers["x-request-id"] == "trace-me-1"


async def test_database_outage_is_503(server_settings) -> None:
    app = create_app(server_settings)
    _add_crashing_routes(app)
    async with client_for(app) as client:
        response = await client.get("/test/db-down")
        assert response.status_code == 503 and envelope_code(response) == "SERVICE_UNAVAILABLE"
        assert response.headers["retry-after"]
        assert_secure(response)
        redis = await client.get("/test/redis-down")
        assert redis.status_code == 503 and envelope_code(redis) == "SERVICE_UNAVAILABLE"
        assert "6379" not in redis.text
        conflict = await client.get("/test/duplicate")
        assert conflict.status_code == 409 and envelope_code(conflict) == "CONFLICT"
        assert "users.email" not in conflict.text


async def test_request_id_is_echoed_only_when_safe(client) -> None:
    ok = await client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert ok.headers["x-request-id"] == "abc-123"
    unsafe = await client.get("/health", headers={"X-Request-ID": "bad id\twith spaces"})
    assert unsafe.headers["x-request-id"] != "bad id\twith spaces" and len(unsafe.headers["x-request-id"]) == 32


async def test_json_body_over_the_limit_is_413_envelope(client, ctx) -> None:
    limit = ctx.settings.server.max_json_bytes
    big = b'{"refreshToken": "' + b"a" * (limit + 10) + b'"}'
    response = await client.post("/api/auth/refresh", content=big, headers={"content-type": "application/json"})
    assert response.status_code == 413 and envelope_code(response) == "PAYLOAD_TOO_LARGE"
    assert_secure(response)


async def test_chunked_body_over_the_limit_is_413(client, ctx) -> None:
    limit = ctx.settings.server.max_json_bytes

    async def chunks():
        yield b'{"refreshToken": "'
        for _ in range(limit // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    response = await client.post("/api/auth/refresh", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and envelope_code(response) == "PAYLOAD_TOO_LARGE"


async def test_nul_bytes_are_422_not_500(client) -> None:
    response = await client.get("/api/recipes", params={"q": "pan\x00cake"})
    assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"
    login = await client.post("/api/auth/refresh", json={"refreshToken": "abc\u0000" * 8})
    assert login.status_code == 422


async def test_docs_and_openapi_are_served(client) -> None:
    spec = await client.get("/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    responses = paths["/api/recipes"]["get"]["responses"]
    assert {"401", "422", "429", "500", "503"} <= set(responses)  # no body, so no 413/415 (issue 18)
    envelope_ref = responses["429"]["content"]["application/json"]["schema"]["$ref"]
    assert envelope_ref.endswith("/ErrorEnvelope")
    docs = await client.get("/docs")
    policy = docs.headers["content-security-policy"]
    # The docs load only this server's assets: no other origin is allowed on the page.
    assert docs.status_code == 200 and "script-src 'self'" in policy and "https:" not in policy


@pytest.mark.parametrize("origin", ["https://app.example.com"])
async def test_cors_allow_list(server_settings, origin) -> None:
    app = create_app(with_overrides(server_settings, server={"cors_origins": [origin]}))
    async with client_for(app) as client:
        allowed = await client.options(
            "/api/recipes", headers={"Origin": origin, "Access-Control-Request-Method": "GET"}
        )
        assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == origin
        assert_secure(allowed)
        denied = await client.get("/api/recipes", headers={"Origin": "https://evil.example.com"})
        assert "access-control-allow-origin" not in denied.headers
        # Repeat requests are served by the hot path (server/hot_path.py), inside CORS: same headers.
        for _ in range(2):
            simple = await client.get("/api/recipes", headers={"Origin": origin})
            assert simple.status_code == 200 and simple.headers["access-control-allow-origin"] == origin
            assert_secure(simple)
