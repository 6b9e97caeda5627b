"""Slow clients cannot hold the server: header read timeout (our h11 protocol) and body read timeout (middleware)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from server.middleware import RequestContextMiddleware
from server.protocol import HeaderTimeoutH11Protocol


async def hello_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"hello"})


@pytest.fixture
def slow_header_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    import uvicorn

    monkeypatch.setattr(HeaderTimeoutH11Protocol, "header_timeout_seconds", 0.5)
    config = uvicorn.Config(hello_app, host="127.0.0.1", port=0, http=HeaderTimeoutH11Protocol, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _closed_within(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        return sock.recv(1024) == b""
    except TimeoutError:
        return False


def test_headers_sent_too_slowly_get_the_connection_closed(slow_header_server: int) -> None:
    with socket.create_connection(("127.0.0.1", slow_header_server)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # never finishes its headers
        assert _closed_within(sock, 5.0)


def test_a_second_request_on_a_kept_alive_connection_has_the_same_deadline(slow_header_server: int) -> None:
    with socket.create_connection(("127.0.0.1", slow_header_server)) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        sock.settimeout(5)
        assert b"hello" in sock.recv(4096)
        sock.sendall(b"GET / HTTP/1.1\r\nHo")
        assert _closed_within(sock, 5.0)


def test_prompt_clients_are_served(slow_header_server: int) -> None:
    assert httpx.get(f"http://127.0.0.1:{slow_header_server}/").text == "hello"


async def test_a_body_that_stalls_gets_408_and_the_envelope() -> None:
    async def reading_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await hello_app(scope, receive, send)

    chunks = 0

    async def receive() -> dict[str, Any]:
        nonlocal chunks
        chunks += 1
        if chunks > 1:
            await asyncio.sleep(3600)  # the client stopped sending
        return {"type": "http.request", "body": b"x", "more_body": True}

    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    middleware = RequestContextMiddleware(reading_app, json_limit=100, upload_limit=100, body_timeout=0.2)
    scope = {"type": "http", "method": "POST", "path": "/", "headers": []}
    await asyncio.wait_for(middleware(scope, receive, send), timeout=5)
    assert sent[0]["status"] == 408
    assert b'"REQUEST_TIMEOUT"' in sent[1]["body"]
