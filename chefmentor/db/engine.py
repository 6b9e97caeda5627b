"""Async engine and session factory; created inside the running loop by open_context()."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import event, make_url
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
        if ":///" in url and not url.endswith(":memory:"):
            settings.home.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": settings.db.busy_timeout_seconds}
        # Sessions always end their transaction on close; the pool's extra reset rollback is one more
        # aiosqlite thread hop per request for nothing.
        kwargs["pool_reset_on_return"] = None
    else:
        kwargs.update(
            pool_pre_ping=True,
            pool_size=settings.db.pool_size,
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
    return engine


def sqlite_url_for_driver(url: str, driver: str) -> str:
    """`sqlite+aiosqlite://` (the documented form) runs on the inline driver unless "thread" is asked for."""
    if driver != "inline" or not (url.startswith("sqlite+aiosqlite:") or url.startswith("sqlite:")):
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


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
