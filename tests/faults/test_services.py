"""The fault suite's own servers behave as the scenarios assume: honest durability, real stalls, own ports."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
import redis.asyncio as aioredis

from tests.faults.services import PrivatePostgres, PrivateRedis

pytestmark = [pytest.mark.slow, pytest.mark.faults]


async def test_private_postgres_keeps_committed_rows_across_a_crash(private_pg: PrivatePostgres) -> None:
    assert private_pg.port != 5432
    conn = await asyncpg.connect(private_pg.admin_dsn)
    try:
        settings = {name: await conn.fetchval(f"SHOW {name}") for name in ("fsync", "synchronous_commit")}
        assert settings == {"fsync": "on", "synchronous_commit": "on"}
        await conn.execute("CREATE TABLE IF NOT EXISTS crash_probe (n int)")
        await conn.execute("INSERT INTO crash_probe VALUES (1)")
    finally:
        await conn.close()
    await asyncio.to_thread(private_pg.crash)
    assert not private_pg.running()
    with pytest.raises(OSError):
        await asyncpg.connect(private_pg.admin_dsn, timeout=2)
    await asyncio.to_thread(private_pg.start)  # crash recovery replays the WAL
    conn = await asyncpg.connect(private_pg.admin_dsn)
    try:
        assert await conn.fetchval("SELECT count(*) FROM crash_probe") == 1
        await conn.execute("DROP TABLE crash_probe")
    finally:
        await conn.close()


async def test_private_redis_stalls_and_comes_back(private_redis: PrivateRedis) -> None:
    assert private_redis.port != 6379
    client = aioredis.Redis.from_url(private_redis.url, socket_timeout=0.3)
    try:
        assert await client.ping()
        private_redis.stall()
        try:
            with pytest.raises(aioredis.TimeoutError):
                await client.ping()
        finally:
            private_redis.resume()
        assert await client.ping()
        private_redis.stop()
        with pytest.raises(aioredis.ConnectionError):
            await client.ping()
        private_redis.start()
        assert await client.ping()
    finally:
        await client.aclose()


def test_missing_postgres_binaries_are_reported(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    from tests.faults.services import MissingBinaryError, pg_bindir

    monkeypatch.setenv("CHEFMENTOR_PG_BINDIR", str(tmp_path))
    with pytest.raises(MissingBinaryError, match="initdb/pg_ctl not found"):
        pg_bindir()


def test_missing_binary_fails_when_services_are_required(tmp_path) -> None:
    """CI sets CHEFMENTOR_REQUIRE_SERVICES=1: the suite must fail there, not skip silently."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "CHEFMENTOR_PG_BINDIR": str(tmp_path), "CHEFMENTOR_REQUIRE_SERVICES": "1"}
    target = "tests/faults/test_services.py::test_private_postgres_keeps_committed_rows_across_a_crash"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", target],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0 and "1 error" in result.stdout, result.stdout[-2000:]
    assert "CHEFMENTOR_REQUIRE_SERVICES=1 turns this into a failure" in result.stdout
