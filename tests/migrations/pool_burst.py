"""Shared by the PostgreSQL and SQLite pool tests: how many connections bursts wider than the pool open."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine


async def connections_opened_by_bursts(
    engine: AsyncEngine, sql: str, *, bursts: int = 5, width: int = 6, hold_seconds: float = 0.0
) -> int:
    """Run `bursts` rounds of `width` concurrent queries, each holding its connection a while (as a request
    does across awaits), then dispose of the engine; the number of connections the pool opened."""
    connects = 0

    def count(*_: object) -> None:
        nonlocal connects
        connects += 1

    event.listen(engine.sync_engine, "connect", count)

    async def query() -> None:
        async with engine.connect() as conn:
            await conn.execute(text(sql))
            if hold_seconds:
                await asyncio.sleep(hold_seconds)

    try:
        for _ in range(bursts):
            await asyncio.gather(*(query() for _ in range(width)))
    finally:
        await engine.dispose()
    return connects
