"""API throughput with 1 vs 2 uvicorn workers (`chefmentor serve --workers N`) on PostgreSQL + Redis.

Loopback only and bounded: a fixed number of keep-alive connections for a fixed time per configuration.
The load generator is a minimal asyncio HTTP/1.1 client (httpx would saturate a core before the server
does). On a 2-core machine the generator shares the CPUs with the workers, so read the ratio, not the
absolute numbers.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from http_load import exchange  # noqa: E402 - bench/ is the script's own directory

from tests.scaleout.workers import api_env, free_port, wait_healthy  # noqa: E402

PG_BASE = os.environ.get("CHEFMENTOR_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("CHEFMENTOR_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SECONDS = float(os.environ.get("BENCH_SECONDS", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
SECRET = "bench-secret-" + "x" * 40


async def _worker(port: int, paths: list[str], stop: float, latencies: list[float], errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    index = 0
    try:
        while time.perf_counter() < stop:
            path = paths[index % len(paths)]
            index += 1
            started = time.perf_counter()
            status, _ = await exchange(reader, writer, f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()


async def _load(port: int, paths: list[str]) -> dict[str, float]:
    latencies: list[float] = []
    errors: list[int] = []
    await asyncio.gather(*(_worker(port, paths, time.perf_counter() + 1.0, [], []) for _ in range(4)))  # warm-up
    started = time.perf_counter()
    stop = started + SECONDS
    await asyncio.gather(*(_worker(port, paths, stop, latencies, errors) for _ in range(CONNECTIONS)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000,
        "errors": len(errors),
    }


async def _prepare_database() -> tuple[str, str]:
    import asyncpg

    from chefmentor.config import load_settings
    from chefmentor.context import open_context
    from chefmentor.db import migrate
    from chefmentor.recipes.seed import seed_recipes

    name = f"cmx_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncio.wait_for(asyncpg.connect(PG_BASE.replace("postgresql+asyncpg", "postgresql")), 5)
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    url = PG_BASE.rsplit("/", 1)[0] + f"/{name}"
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(env="test", home=Path(home), db={"url": url}, auth={"jwt_secret": SECRET})
        async with open_context(settings) as ctx:
            await migrate.upgrade(ctx.engine)
            async with ctx.session() as session:
                await seed_recipes(session, ROOT / "fixtures" / "recipes", cache=ctx.cache)
            from sqlalchemy import text

            async with ctx.engine.connect() as db:
                recipe_id = (await db.execute(text("SELECT id FROM recipes ORDER BY name LIMIT 1"))).scalar_one()
    return url, str(recipe_id)


async def _drop(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_BASE.replace("postgresql+asyncpg", "postgresql"))
    await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    await conn.close()


def _start(workers: int, env: dict[str, str], log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cmd = [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--workers", str(workers)]
    handle = log.open("wb")
    process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    wait_healthy(f"http://127.0.0.1:{port}", process)
    return process, port


async def main() -> None:
    url, recipe_id = await _prepare_database()
    scenarios = {
        "recipes (cached list + detail)": ["/api/recipes", f"/api/recipes/{recipe_id}"],
        "health (PostgreSQL + Redis ping)": ["/health"],
    }
    runs: dict[tuple[int, str], list[dict[str, float]]] = {}
    processes: dict[int, tuple[subprocess.Popen[bytes], int]] = {}
    try:
        with tempfile.TemporaryDirectory() as home:
            for workers in (1, 2):
                env = api_env(
                    home=Path(home) / str(workers),
                    database_url=url,
                    redis_url=REDIS_URL,
                    namespace=f"cmx-bench-{uuid.uuid4().hex[:6]}:",
                    jwt_secret=SECRET,
                    extra={
                        "CHEFMENTOR_ENV": "prod",
                        "CHEFMENTOR_SERVER__RATE_LIMIT_DEFAULT": "100000000/minute",
                        "CHEFMENTOR_VOICE__PRELOAD": "0",
                    },
                )
                (Path(home) / str(workers)).mkdir()
                processes[workers] = _start(workers, env, Path(home) / f"serve-{workers}.log")
            # Both servers stay up and take turns, so machine noise hits both configurations alike.
            for _ in range(ROUNDS):
                for name, paths in scenarios.items():
                    for workers, (_process, port) in processes.items():
                        runs.setdefault((workers, name), []).append(await _load(port, paths))
    finally:
        for process, _port in processes.values():
            process.terminate()
            process.wait(timeout=20)
        await _drop(url)
    print(
        f"API throughput on PostgreSQL + Redis, {CONNECTIONS} keep-alive connections, "
        f"{ROUNDS} interleaved rounds of {SECONDS:g} s (median)"
    )
    for name in scenarios:
        best: dict[int, dict[str, float]] = {}
        for workers in (1, 2):
            samples = runs[(workers, name)]
            best[workers] = {key: statistics.median(r[key] for r in samples) for key in samples[0]}
            r = best[workers]
            print(
                f"  {name:<34} {workers} worker{'s' if workers > 1 else ' '}: {r['rps']:8.0f} req/s  "
                f"p50 {r['p50']:6.1f} ms  p99 {r['p99']:6.1f} ms  non-200 {r['errors']:.0f}"
            )
        print(f"  {name:<34} ratio 2/1: {best[2]['rps'] / best[1]['rps']:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
