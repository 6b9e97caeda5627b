"""Async engine and session factory; created inside the running loop by open_context()."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from chefmentor.config import Settings


def create_engine(settings: Settings) -> AsyncEngine:
    """The configured database through SQLAlchemy's documented engine options only.

    PostgreSQL uses asyncpg; SQLite uses aiosqlite (the documented async driver). A dropped PostgreSQL
    connection is detected by `pool_pre_ping` (setting) before a request uses it; without it the request
    meets the disconnect, SQLAlchemy invalidates the pool and the caller answers 503.
    """
    url = settings.database_url
    kwargs: dict[str, Any] = {
        "echo": settings.db.echo,
        "json_serializer": _json_dumps,
        "json_deserializer": orjson.loads,
    }
    if url.startswith("sqlite"):
        if not is_memory_sqlite(url):
            settings.home.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": settings.db.busy_timeout_seconds}
        # SQLAlchemy's Session and Connection end their transaction when they close (rollback unless
        # committed); the pool's reset rollback on top is one more trip through aiosqlite's thread per request.
        kwargs["pool_reset_on_return"] = None
    else:  # a local file cannot drop a connection: pinging it would only cost a statement per checkout
        kwargs["pool_pre_ping"] = settings.db.pool_pre_ping
    if not is_memory_sqlite(url):  # an in-memory database is one StaticPool connection, no pool to size
        kwargs.update(
            pool_size=settings.db.pool_size,
            max_overflow=settings.db.max_overflow,
            pool_timeout=settings.db.pool_timeout_seconds,
        )
    if url.startswith("postgresql+asyncpg"):
        kwargs["connect_args"] = {
            "timeout": settings.db.connect_timeout_seconds,
            "command_timeout": settings.db.statement_timeout_seconds,
        }
    engine = create_async_engine(url, **kwargs)
    if url.startswith("sqlite"):
        synchronous = settings.db.sqlite_synchronous

        def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets readers and the single writer proceed together; FKs are off by default in SQLite.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            # FULL: a commit is on disk before the request is acknowledged, even across a power loss.
            cursor.execute(f"PRAGMA synchronous={synchronous}")
            cursor.close()

        event.listen(engine.sync_engine, "connect", sqlite_pragmas)
    return engine


def is_memory_sqlite(url: str) -> bool:
    return url.startswith("sqlite") and (":///" not in url or url.endswith(":memory:"))


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
