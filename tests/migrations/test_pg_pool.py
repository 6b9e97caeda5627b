"""PostgreSQL pool: a connection the server dropped is replaced (pre-ping) or fails as a disconnect (no pre-ping)."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from chefmentor.config import Settings
from chefmentor.db.engine import create_engine
from tests.migrations.pool_burst import connections_opened_by_bursts

pytestmark = pytest.mark.pg


async def _backend_pid_after_server_drops_it(settings: Settings) -> tuple[int, int]:
    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            first = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        killer = create_engine(settings)
        async with killer.connect() as conn:
            # pg_terminate_backend only signals: wait (bounded) until the backend has really exited.
            await conn.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": first})
        await killer.dispose()
        async with engine.connect() as conn:
            second = (await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        return int(first), int(second)
    finally:
        await engine.dispose()


def _with_pre_ping(settings: Settings, enabled: bool) -> Settings:
    return settings.model_copy(update={"db": settings.db.model_copy(update={"pool_pre_ping": enabled})})


async def test_a_connection_the_server_dropped_is_replaced_transparently(pg_settings: Settings) -> None:
    first, second = await _backend_pid_after_server_drops_it(_with_pre_ping(pg_settings, True))
    assert second != first


async def test_without_pre_ping_a_dropped_connection_is_a_disconnect_and_the_pool_recovers(
    pg_settings: Settings,
) -> None:
    """The request that meets the dead connection fails as a disconnect (the server's 503); the next one works."""
    from sqlalchemy.exc import DBAPIError

    settings = _with_pre_ping(pg_settings, False)
    with pytest.raises(DBAPIError) as failure:
        await _backend_pid_after_server_drops_it(settings)
    assert failure.value.connection_invalidated
    engine = create_engine(settings)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        await engine.dispose()


async def test_load_above_pool_size_reuses_the_pool_instead_of_opening_connections(pg_settings: Settings) -> None:
    """Overflow connections are closed on check-in, so a burst wider than the pool used to connect anew each time."""
    settings = pg_settings.model_copy(update={"db": pg_settings.db.model_copy(update={"pool_size": 2})})
    engine = create_engine(settings)
    assert await connections_opened_by_bursts(engine, "SELECT pg_sleep(0.005)") == 2
