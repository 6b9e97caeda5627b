"""PostgreSQL pool: no ping on a busy connection, and an idle one the server dropped is replaced unseen."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from chefmentor.config import Settings
from chefmentor.db import engine as engine_module
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


async def test_an_idle_connection_the_server_dropped_is_replaced_transparently(
    pg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0)
    first, second = await _backend_pid_after_server_drops_it(pg_settings)
    assert second != first


async def test_a_connection_reused_at_once_is_not_pinged(
    pg_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the idle ping the dropped connection is handed out as is: the ping is what saved the test above."""
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 3600.0)
    with pytest.raises(Exception, match="(?i)connection|terminat"):
        await _backend_pid_after_server_drops_it(pg_settings)


async def test_load_above_pool_size_reuses_the_pool_instead_of_opening_connections(pg_settings: Settings) -> None:
    """Overflow connections are closed on check-in, so a burst wider than the pool used to connect anew each time."""
    settings = pg_settings.model_copy(update={"db": pg_settings.db.model_copy(update={"pool_size": 2})})
    engine = create_engine(settings)
    assert await connections_opened_by_bursts(engine, "SELECT pg_sleep(0.005)") == 2
