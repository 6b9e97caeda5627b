"""RequestContextMiddleware on a bare ASGI app: per-route body limits, headers, session cleanup; startup checks."""

from __future__ import annotations

import httpx
import pytest

from chefmentor.errors import DatabaseNotMigratedError
from server.deps import DbDep
from server.middleware import RequestContextMiddleware, add_response_headers


async def echo_app(scope, receive, send) -> None:
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    add_response_headers(scope, [("RateLimit", '"default";r=1;t=2')])
    headers = [(b"content-type", b"text/plain"), (b"server", b"leaky/1.0"), (b"cache-control", b"max-age=60")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": str(len(body)).encode()})


def _client(app) -> httpx.AsyncClient:
    wrapped = RequestContextMiddleware(app, json_limit=10, upload_limit=100, upload_paths=("/upload",))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=wrapped), base_url="http://t")


async def test_limits_depend_on_the_route() -> None:
    async with _client(echo_app) as client:
        assert (await client.post("/json", content=b"x" * 10)).text == "10"
        small = await client.post("/json", content=b"x" * 11)
        assert small.status_code == 413 and small.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"
        assert (await client.post("/upload", content=b"x" * 100)).text == "100"
        assert (await client.post("/upload/sub", content=b"x" * 60)).text == "60"
        assert (await client.post("/uploadx", content=b"x" * 60)).status_code == 413
        assert (await client.post("/upload", content=b"x" * 101)).status_code == 413

        async def stream():
            for _ in range(20):
                yield b"x" * 10

        chunked = await client.post("/upload", content=stream())
        assert chunked.status_code == 413


async def test_response_headers_are_finished() -> None:
    async with _client(echo_app) as client:
        response = await client.get("/anything")
    assert "server" not in response.headers
    assert response.headers["cache-control"] == "max-age=60", "a route's own Cache-Control wins"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["ratelimit"] == '"default";r=1;t=2'
    assert len(response.headers["x-request-id"]) == 32


async def test_request_sessions_are_closed_even_when_the_route_fails(app_ctx) -> None:
    """DbDep's session is closed by its dependency exit: nothing stays checked out or in a transaction."""
    from fastapi import FastAPI
    from sqlalchemy import text

    seen = []
    app = FastAPI()
    app.state.ctx = app_ctx

    @app.get("/")
    async def failing_route(db: DbDep) -> None:
        await db.execute(text("SELECT 1"))
        seen.append(db)
        raise RuntimeError("boom")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/")
    assert seen and not seen[0].sync_session.in_transaction()
    assert app_ctx.engine.pool.checkedout() == 0


async def test_startup_refuses_an_unmigrated_database(tmp_path) -> None:
    from server.app import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"))
    with pytest.raises(DatabaseNotMigratedError):
        async with app.router.lifespan_context(app):
            pass


def test_client_ip_honours_only_trusted_proxies() -> None:
    from starlette.requests import Request

    from server.ratelimit import client_ip

    def request(peer: str, forwarded: str | None) -> Request:
        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        return Request({"type": "http", "client": (peer, 1), "headers": headers})

    assert client_ip(request("203.0.113.9", "1.2.3.4"), []) == "203.0.113.9"
    assert client_ip(request("10.0.0.2", "1.2.3.4"), ["10.0.0.0/8"]) == "1.2.3.4"
    assert client_ip(request("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.7"), ["10.0.0.0/8"]) == "1.2.3.4"
    assert client_ip(request("10.0.0.2", "not-an-ip"), ["10.0.0.0/8"]) == "not-an-ip"
    assert client_ip(request("10.0.0.2", None), ["10.0.0.0/8"]) == "10.0.0.2"
    assert client_ip(request("192.0.2.1", "1.2.3.4"), ["10.0.0.0/8"]) == "192.0.2.1"


def test_generated_request_ids_are_unique_hex_and_a_forked_worker_draws_its_own_prefix() -> None:
    import os
    import re

    from server.middleware import RequestIds

    ids = RequestIds()
    drawn = [ids.next() for _ in range(1000)]
    assert len(set(drawn)) == 1000 and all(re.fullmatch(r"[0-9a-f]{32}", value) for value in drawn)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: what a forked worker would generate
        os.write(write, ids.next().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 64).decode()
    os.close(read)
    os.close(write)
    assert child[:20] != drawn[0][:20] and child not in drawn


async def test_startup_objects_are_frozen_out_of_the_garbage_collectors_view(settings) -> None:  # type: ignore[no-untyped-def]
    """A full collection over every startup object stalled the loop ~95 ms; after startup they are frozen."""
    import gc

    from server.app import create_app

    gc.unfreeze()
    app = create_app(settings.model_copy(update={"server": settings.server.model_copy(update={"freeze_gc": True})}))
    async with app.router.lifespan_context(app):
        assert gc.get_freeze_count() > 10_000
    gc.unfreeze()


async def test_a_failed_write_leaves_no_sqlite_lock_behind(app_ctx) -> None:
    """SQLite connections go back to the pool without the pool's reset: the session's own close must end the
    transaction, or the next writer would wait for a lock nobody releases."""
    from fastapi import FastAPI
    from sqlalchemy import text

    app = FastAPI()
    app.state.ctx = app_ctx

    @app.post("/fail")
    async def failing_write(db: DbDep) -> None:
        await db.execute(
            text("INSERT INTO audit_logs (id, entity, action, created_at) VALUES ('x', 'e', 'a', '2026-01-01')")
        )
        raise RuntimeError("boom after writing")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.post("/fail")).status_code == 500
    async with app_ctx.engine.connect() as conn:
        await conn.execute(text("PRAGMA busy_timeout = 0"))  # a leftover lock would fail at once
        await conn.execute(text("CREATE TABLE lock_probe (a INTEGER)"))
        await conn.commit()
        assert (await conn.execute(text("SELECT count(*) FROM audit_logs WHERE id = 'x'"))).scalar_one() == 0
