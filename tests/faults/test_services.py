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
