"""The inline SQLite driver: a locked database is waited for without blocking the event loop."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from chefmentor.config import Settings
from chefmentor.db.engine import create_engine, create_session_factory, sqlite_url_for_driver
from tests.conftest import make_settings
from tests.migrations.pool_burst import connections_opened_by_bursts


def _settings(tmp_path: Path, **db: object) -> Settings:
    return make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}", db=db)


async def _make_table(settings: Settings) -> None:
    engine = create_engine(settings)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
    await engine.dispose()


class Ticker:
    """Counts event-loop turns while something else waits: a blocked loop counts none."""

    def __init__(self) -> None:
        self.ticks = 0
        self.longest_gap = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest_gap = max(self.longest_gap, now - last)
            last = now
            self.ticks += 1

    def __enter__(self) -> Ticker:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *_exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


def test_the_documented_url_runs_on_the_inline_driver_unless_thread_is_chosen(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    assert sqlite_url_for_driver(url, "inline").startswith("sqlite+cmxinline:///")
    assert sqlite_url_for_driver(url, "thread") == url
    assert sqlite_url_for_driver("postgresql+asyncpg://u@h/db", "inline") == "postgresql+asyncpg://u@h/db"
    assert create_engine(_settings(tmp_path)).dialect.driver == "cmxinline"
    assert create_engine(_settings(tmp_path, sqlite_driver="thread")).dialect.driver == "aiosqlite"


async def test_a_write_waits_for_another_process_lock_while_the_loop_keeps_running(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    await _make_table(settings)
    other = sqlite3.connect(tmp_path / "inline.db", isolation_level=None)  # another process's writer
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO notes (body) VALUES ('theirs')")
    engine = create_engine(settings)
    try:

        async def release_later() -> None:
            await asyncio.sleep(0.3)
            other.execute("COMMIT")

        with Ticker() as ticker:
            releaser = asyncio.create_task(release_later())
            started = time.perf_counter()
            async with engine.begin() as conn:
                await conn.execute(text("INSERT INTO notes (body) VALUES ('ours')"))
            waited = time.perf_counter() - started
            await releaser
        assert waited >= 0.25  # it really waited for the lock...
        assert ticker.ticks >= 20 and ticker.longest_gap < 0.2  # ...and the loop ran meanwhile
        async with engine.connect() as conn:
            bodies = (await conn.execute(text("SELECT body FROM notes ORDER BY id"))).scalars().all()
        assert bodies == ["theirs", "ours"]
    finally:
        other.close()
        await engine.dispose()


async def test_two_sessions_of_one_process_write_concurrently_without_deadlock(tmp_path: Path) -> None:
    """With a blocking busy handler the second writer would freeze the loop while the first holds the lock."""
    settings = _settings(tmp_path)
    await _make_table(settings)
    engine = create_engine(settings)
    sessions = create_session_factory(engine)
    first_holds_lock = asyncio.Event()
    try:

        async def first() -> None:
            async with sessions() as session:
                await session.execute(text("INSERT INTO notes (body) VALUES ('first')"))
                first_holds_lock.set()
                await asyncio.sleep(0.2)  # awaits other I/O while holding SQLite's write lock
                await session.commit()

        async def second() -> None:
            await first_holds_lock.wait()
            async with sessions() as session:
                await session.execute(text("INSERT INTO notes (body) VALUES ('second')"))
                await session.commit()

        started = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(first(), second()), timeout=5)
        assert time.perf_counter() - started < 2
        async with engine.connect() as conn:
            bodies = (await conn.execute(text("SELECT body FROM notes ORDER BY id"))).scalars().all()
        assert bodies == ["first", "second"]
    finally:
        await engine.dispose()


async def test_a_lock_held_past_the_timeout_is_a_clear_error_and_nothing_is_written(tmp_path: Path) -> None:
    settings = _settings(tmp_path, busy_timeout_seconds=0.2)
    await _make_table(settings)
    other = sqlite3.connect(tmp_path / "inline.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    engine = create_engine(settings)
    try:
        with Ticker() as ticker:
            with pytest.raises(OperationalError, match="database is locked"):
                async with engine.begin() as conn:
                    await conn.execute(text("INSERT INTO notes (body) VALUES ('lost?')"))
        assert ticker.ticks >= 5
        other.execute("ROLLBACK")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM notes"))).scalar_one() == 0
    finally:
        other.close()
        await engine.dispose()


@pytest.mark.parametrize("driver", ["inline", "thread"])
async def test_a_burst_wider_than_the_pool_reuses_its_connections(settings: Settings, driver: str) -> None:
    """SQLAlchemy's default SQLite pool (5 + 10 overflow) opened and closed an overflow connection per
    request under 32 concurrent requests; the configured pool (no overflow) makes them wait instead."""
    db = settings.db.model_copy(update={"pool_size": 2, "sqlite_driver": driver})
    engine = create_engine(settings.model_copy(update={"db": db}))
    assert await connections_opened_by_bursts(engine, "SELECT 1", hold_seconds=0.001) == 2


async def test_an_in_memory_database_keeps_its_single_connection(settings: Settings) -> None:
    engine = create_engine(settings.model_copy(update={"database_url": "sqlite+aiosqlite:///:memory:"}))
    try:
        async with engine.connect() as conn:
            await conn.execute(text("CREATE TABLE t (x INTEGER)"))
            await conn.execute(text("INSERT INTO t VALUES (1)"))
            await conn.commit()
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM t"))).scalar_one() == 1
    finally:
        await engine.dispose()
