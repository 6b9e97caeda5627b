"""Upload routes refuse an unauthenticated or rate-limited caller before reading a byte of the body."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.server.conftest import envelope_code, with_overrides

UPLOAD_ROUTES = ["/api/failure/analyze", "/api/voice/transcribe", "/api/voice/command"]


async def _call_without_reading(app: FastAPI, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """Drive the app at the ASGI level with a 20 MB body announced; returns (status, body messages read)."""
    reads = 0

    async def receive() -> dict[str, Any]:
        nonlocal reads
        reads += 1
        return {"type": "http.request", "body": b"x" * 65536, "more_body": True}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"multipart/form-data; boundary=xyz"),
            (b"content-length", str(20 * 1024 * 1024).encode()),
            *headers,
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "app": app,
    }
    await app(scope, receive, send)
    start = next(message for message in sent if message["type"] == "http.response.start")
    return start["status"], reads


@pytest.mark.parametrize("path", UPLOAD_ROUTES)
async def test_no_token_is_401_before_the_body_is_read(app: FastAPI, client: httpx.AsyncClient, path: str) -> None:
    status, reads = await _call_without_reading(app, path, [])
    assert (status, reads) == (401, 0)


async def test_a_bad_token_is_401_before_the_body_is_read(app: FastAPI, client: httpx.AsyncClient) -> None:
    status, reads = await _call_without_reading(app, UPLOAD_ROUTES[0], [(b"authorization", b"Bearer not-a-jwt")])
    assert (status, reads) == (401, 0)


@pytest.fixture
def app_one_upload_a_minute(server_settings: Any) -> FastAPI:
    from server.app import create_app

    return create_app(with_overrides(server_settings, server={"rate_limit_analyze": "1/minute"}))


async def test_a_rate_limited_upload_is_429_before_the_body_is_read_and_counted_once(
    app_one_upload_a_minute: FastAPI,
) -> None:
    from tests.server.conftest import client_for

    app = app_one_upload_a_minute
    async with client_for(app) as client:
        token = (await client.post("/api/demo/start")).json()["accessToken"]
        auth = {"Authorization": f"Bearer {token}"}
        first = await client.post("/api/failure/analyze", headers=auth, files={"file": ("a.txt", b"not media")})
        assert first.status_code != 429, "the gate and the route's dependency must not both count one upload"
        assert envelope_code(first) in {"UNSUPPORTED_MEDIA", "INVALID_MEDIA"}
        status, reads = await _call_without_reading(
            app, "/api/failure/analyze", [(b"authorization", f"Bearer {token}".encode())]
        )
        assert (status, reads) == (429, 0)
