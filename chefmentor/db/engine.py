"""Async engine and session factory; created inside the running loop by open_context()."""

from __future__ import annotations

import time
from typing import Any

import orjson
from sqlalchemy import event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from chefmentor.config import Settings
from chefmentor.db import sqlite_inline


def create_engine(settings: Settings) -> AsyncEngine:
    url = sqlite_url_for_driver(settings.database_url, settings.db.sqlite_driver)
    kwargs: dict[str, Any] = {
        "echo": settings.db.echo,
        # JSON columns (ingredients, tips, telemetry) are on every hot read; orjson is ~5x the stdlib.
        "json_serializer": _json_dumps,
        "json_deserializer": orjson.loads,
    }
    if url.startswith("sqlite"):
        if not _is_memory_sqlite(url):
            settings.home.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": settings.db.busy_timeout_seconds}
        # Sessions always end their transaction on close; the pool's extra reset rollback is one more
        # statement per request for nothing.
        kwargs["pool_reset_on_return"] = None
    if not _is_memory_sqlite(url):  # an in-memory database is one StaticPool connection, no pool to size
        # SQLite too: with SQLAlchemy's default (5 + 10 overflow), concurrent requests opened and closed an
        # overflow connection each (connect + 3 PRAGMAs + close: ~25% of an uncached recipe read's CPU).
        kwargs.update(
            pool_size=settings.db.pool_size,
            max_overflow=settings.db.max_overflow,
            pool_timeout=settings.db.pool_timeout_seconds,
        )
    if url.startswith("postgresql+asyncpg"):
        kwargs["connect_args"] = {
            "timeout": settings.db.connect_timeout_seconds,
            "command_timeout": 30,
            # statement cache stays on; server-side prepared statements are safe without pgbouncer
        }
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        event.listen(engine.sync_engine, "checkin", _mark_checked_in)
        event.listen(engine.sync_engine, "checkout", _ping_if_idle)
    return engine


# pool_pre_ping costs a round trip on every checkout: ~0.5 ms of server CPU per request on the hot reads
# (bench/api.py). A connection reused within seconds is alive; only one idle longer (across a database
# restart or a proxy's idle timeout) is pinged, and replaced transparently when the ping fails.
IDLE_PING_SECONDS = 5.0


def _mark_checked_in(_dbapi_connection: Any, record: Any) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    checked_in_at = record.info.get("checked_in_at")
    if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
    except Exception as exc:  # any failure: the pool discards this connection and opens a fresh one
        raise DisconnectionError(f"idle connection failed its ping: {exc}") from exc


def _is_memory_sqlite(url: str) -> bool:
    return url.startswith("sqlite") and (":///" not in url or url.endswith(":memory:"))


def sqlite_url_for_driver(url: str, driver: str) -> str:
    """`sqlite+aiosqlite://` (the documented form) runs on the inline driver unless "thread" is asked for."""
    if driver != "inline" or not url.startswith(("sqlite+aiosqlite:", "sqlite:")):
        return url
    sqlite_inline.register()
    return str(make_url(url).set(drivername=f"sqlite+{sqlite_inline.DRIVER}").render_as_string(hide_password=False))


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers and the single writer proceed together; FKs are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


AUTOCOMMIT_ENGINE = "chefmentor.autocommit_engine"


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions on `engine`; on PostgreSQL their `info` also carries the same pool in autocommit."""
    info: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        info[AUTOCOMMIT_ENGINE] = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False, info=info)


def autocommit_engine_of(sessions: async_sessionmaker[AsyncSession]) -> AsyncEngine | None:
    """The autocommit engine a session factory hands its sessions (PostgreSQL), for reads outside any session."""
    engine: AsyncEngine | None = sessions.kw.get("info", {}).get(AUTOCOMMIT_ENGINE)
    return engine


def autocommit_engine(session: AsyncSession) -> AsyncEngine | None:
    """For a single statement that is atomic on its own: run outside the session, with no BEGIN and no
    COMMIT round trip and no session transaction bookkeeping (~0.2 ms of CPU per request). PostgreSQL only."""
    engine: AsyncEngine | None = session.info.get(AUTOCOMMIT_ENGINE)
    return engine
