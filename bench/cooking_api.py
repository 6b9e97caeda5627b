"""POST /api/cooking/step-event (and GET /api/cooking/sessions/{id}) against a bare ASGI app, side by side.

Starts `chefmentor` (uvicorn, one worker) and a bare ASGI hello app on loopback, drives both with the same
keep-alive HTTP/1.1 client at 32 connections, and prints req/s, the ratio to bare ASGI, p50 and p99.
Each connection is a different cook with their own session, walking the steps (started/completed events),
so every request is a real write: cached session + recipe, one INSERT, one guarded UPDATE, one COMMIT.

    .venv/bin/python bench/cooking_api.py [--seconds 8] [--connections 32] [--database-url URL] [--redis-url URL]

Targets (issue #4): step-event ≥ 0.10× bare ASGI with p99 < 20 ms. Rate limits are raised for the run so
the limiter is measured but never answers 429.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from baselines import hello_app  # noqa: E402 - bench/ is the script's own directory
from http_load import build_request, exchange  # noqa: E402


def _settings_overrides(home: Path, database_url: str) -> dict[str, Any]:
    redis_url = os.environ.get("BENCH_REDIS_URL") or None
    return {
        "redis": {"url": redis_url},
        "env": "prod",
        "home": home,
        "db": {"url": database_url},
        "auth": {"jwt_secret": os.environ["BENCH_JWT_SECRET"]},
        "ai": {"providers": ["local"]},
        "server": {"rate_limit_default": "100000000/minute"},
    }


def serve(kind: str, port: int, home: Path, database_url: str) -> None:
    import uvicorn

    if kind == "bare":
        uvicorn.run(hello_app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        return
    from chefmentor.config import load_settings
    from server.app import create_app

    app = create_app(load_settings(**_settings_overrides(home, database_url)))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, server_header=False)


async def prepare(home: Path, database_url: str, cooks: int) -> tuple[list[tuple[str, str]], int]:
    """Migrate, create one user + session per connection on a 6-step recipe; return (token, session id)."""
    from chefmentor.actor import Actor
    from chefmentor.auth.models import User
    from chefmentor.auth.tokens import issue_access_token
    from chefmentor.config import load_settings
    from chefmentor.context import open_context
    from chefmentor.cooking.service import start_cooking
    from chefmentor.db import migrate
    from chefmentor.recipes.schemas import RecipeCreate, RecipeStepCreate
    from chefmentor.recipes.service import upsert_recipe

    settings = load_settings(**_settings_overrides(home, database_url))
    async with open_context(settings) as ctx:
        await migrate.upgrade(ctx.engine)
        steps = [RecipeStepCreate(instruction=f"Step {n}", expected_state=f"state {n}") for n in range(1, 7)]
        async with ctx.session() as session:
            recipe, _ = await upsert_recipe(
                session, RecipeCreate(name=f"Bench dish {uuid.uuid4().hex[:6]}", steps=steps), cache=ctx.cache
            )
        pairs: list[tuple[str, str]] = []
        for n in range(cooks):
            async with ctx.session() as session:
                user = User(email=f"bench-{n}-{uuid.uuid4().hex[:6]}@example.com", name=f"Cook {n}")
                session.add(user)
                await session.commit()
                started = await start_cooking(
                    session, actor=Actor.user(user.id), recipe_id=recipe.id, cache=ctx.cache, clock=ctx.clock
                )
            token = issue_access_token(settings, user.id, now=datetime.now(UTC)).token
            pairs.append((token, str(started.id)))
        return pairs, len(steps)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(kind: str, home: Path, database_url: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    args = [sys.executable, __file__, "--serve", kind, "--port", str(port), "--home", str(home)]
    proc = subprocess.Popen(
        [*args, "--database-url", database_url], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"{kind} server did not start on port {port}")


async def drive(port: int, make_request: Any, connections: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def worker(index: int) -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        counter = 0
        while time.perf_counter() < stop_at:
            raw = make_request(index, counter)
            counter += 1
            started = time.perf_counter()
            status, _ = await exchange(reader, writer, raw)
            latencies.append(time.perf_counter() - started)
            if status >= 400:
                errors += 1
        writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(connections)))
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000,
        "errors": errors,
        "requests": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default=None, help="cache active sessions in Redis (as in production)")
    parser.add_argument("--serve", choices=["bare", "app"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--home", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.home, args.database_url)
        return

    home = Path(tempfile.mkdtemp(prefix="cmx-bench-"))
    database_url = args.database_url or f"sqlite+aiosqlite:///{home / 'bench.db'}"
    env = {**os.environ, "BENCH_JWT_SECRET": secrets.token_urlsafe(48), "BENCH_REDIS_URL": args.redis_url or ""}
    os.environ.update(env)
    cooks, steps = asyncio.run(prepare(home, database_url, args.connections))
    events = [(n, kind) for n in range(1, steps + 1) for kind in ("started", "completed")]

    def step_event(port: int) -> Any:
        def make(index: int, counter: int) -> bytes:
            token, session_id = cooks[index]
            step, kind = events[counter % len(events)]
            body = json.dumps({"sessionId": session_id, "stepNumber": step, "event": kind}).encode()
            return build_request("POST", "/api/cooking/step-event", port=port, token=token, body=body)

        return make

    def get_session(port: int) -> Any:
        def make(index: int, _counter: int) -> bytes:
            token, session_id = cooks[index]
            return build_request("GET", f"/api/cooking/sessions/{session_id}", port=port, token=token)

        return make

    results: dict[str, dict[str, float]] = {}
    for kind in ("bare", "app"):
        proc, port = _start(kind, home, database_url, env)
        try:
            targets = {"bare ASGI hello": lambda p: lambda _i, _c: build_request("GET", "/", port=p)}
            if kind == "app":
                targets = {"POST /api/cooking/step-event": step_event, "GET /api/cooking/sessions/{id}": get_session}
            for label, factory in targets.items():
                asyncio.run(drive(port, factory(port), args.connections, 1.0))  # warm-up
                results[label] = asyncio.run(drive(port, factory(port), args.connections, args.seconds))
        finally:
            proc.terminate()
            proc.wait(timeout=10)

    bare = results["bare ASGI hello"]["rps"]
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    backend += " + Redis" if args.redis_url else " + in-process cache"
    print(f"{backend}, {args.connections} connections, {args.seconds:.0f} s per target, one uvicorn worker")
    print(f"{'target':34} {'req/s':>9} {'x bare':>7} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for label, row in results.items():
        print(
            f"{label:34} {row['rps']:9.0f} {row['rps'] / bare:7.3f} {row['p50']:8.2f} {row['p99']:8.2f} "
            f"{int(row['errors']):7d}"
        )


if __name__ == "__main__":
    main()
