"""An asyncio SQLite dialect that runs each statement on the event loop's thread (`sqlite+cmxinline`).

aiosqlite sends every cursor call (cursor, execute, fetchall, close, commit) to a worker thread and back;
on this project's 2-core VMs one such hand-off cost ~150 µs of wall time and ~125 µs of CPU, while the
statements themselves (a few rows from a local file) take 2-50 µs. A request doing 3 statements paid
~1.3 ms for hand-offs alone (bench/api.py). Running the statements inline removes that cost.

What keeps it correct:
- Waiting for a lock never blocks the loop. The connection's busy timeout is 0, and a statement or
  commit that finds the database locked is retried after an `asyncio.sleep` with backoff, up to the
  configured timeout. While it waits, the session holding the lock (often in this same process)
  runs and commits. A blocking busy handler would deadlock the loop instead.
- SQLITE_BUSY_SNAPSHOT (a read transaction that cannot become a write transaction) is raised at once:
  retrying the statement could never succeed.
- Request statements touch a few rows. In-process jobs (audit rotation, cleanup: thousands of rows per
  batch) run on aiosqlite's thread instead (chefmentor/jobs/queue.py).

`db.sqlite_driver = "thread"` keeps aiosqlite for anyone who runs long ad-hoc queries in the server.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import pool
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL
from sqlalchemy.util.concurrency import await_, in_greenlet

T = TypeVar("T")

DRIVER = "cmxinline"
FIRST_BACKOFF_SECONDS = 0.001
MAX_BACKOFF_SECONDS = 0.05
_BUSY_SNAPSHOT = 517  # SQLITE_BUSY | (2 << 8)


def _is_retryable_busy(exc: sqlite3.OperationalError) -> bool:
    code: int | None = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # older sqlite3 modules: only the message tells
        return "database is locked" in str(exc)
    return (code & 0xFF) == sqlite3.SQLITE_BUSY and code != _BUSY_SNAPSHOT


def _retry_while_busy(timeout_seconds: float, call: Callable[..., T], *args: Any) -> T:
    deadline: float | None = None
    backoff = FIRST_BACKOFF_SECONDS
    while True:
        try:
            return call(*args)
        except sqlite3.OperationalError as exc:
            if not _is_retryable_busy(exc):
                raise
            now = time.monotonic()
            if deadline is None:
                deadline = now + timeout_seconds
            elif now >= deadline:
                raise  # "database is locked", after waiting the configured time
        _pause(backoff)
        backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)


def _pause(seconds: float) -> None:
    if in_greenlet():
        await_(asyncio.sleep(seconds))
    else:  # a sync caller (e.g. a pool checkin outside the async API) has no loop to yield to
        time.sleep(seconds)


async def _completed() -> None:
    return None


def _mark_async() -> None:
    """AsyncConnection.execute insists that the driver awaited something (a guard against sync drivers).

    Awaiting a finished coroutine is one greenlet switch (~1 µs) and does not yield to the event loop.
    """
    if in_greenlet():
        await_(_completed())


class RetryingCursor(sqlite3.Cursor):
    def execute(self, sql: str, parameters: Any = (), /) -> RetryingCursor:
        _mark_async()
        timeout = self.connection.busy_wait_seconds  # type: ignore[attr-defined]
        _retry_while_busy(timeout, super().execute, sql, parameters)
        return self

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> RetryingCursor:
        # The sequence may be an iterator: materialise it so a retry sees every row again.
        rows = list(seq_of_parameters)
        _mark_async()
        timeout = self.connection.busy_wait_seconds  # type: ignore[attr-defined]
        _retry_while_busy(timeout, super().executemany, sql, rows)
        return self

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's async results call this on driver cursors; rows here are read without awaiting."""
        return None


class RetryingConnection(sqlite3.Connection):
    busy_wait_seconds: float = 15.0

    def cursor(self, factory: Any = RetryingCursor) -> Any:
        return super().cursor(factory)

    def commit(self) -> None:
        _retry_while_busy(self.busy_wait_seconds, super().commit)


class SQLiteDialect_inline(SQLiteDialect_pysqlite):  # noqa: N801 - SQLAlchemy's dialect naming
    driver = DRIVER
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        if cls._is_url_file_db(url):
            return pool.AsyncAdaptedQueuePool
        return pool.StaticPool

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        busy_wait = float(cparams.pop("timeout", RetryingConnection.busy_wait_seconds))
        cparams["timeout"] = 0  # never let SQLite's own busy handler sleep on the loop thread
        cparams["factory"] = RetryingConnection
        cparams.setdefault("check_same_thread", False)
        connection = sqlite3.connect(*cargs, **cparams)
        connection.busy_wait_seconds = busy_wait
        return connection


dialect = SQLiteDialect_inline


def register() -> None:
    from sqlalchemy.dialects import registry

    registry.register(f"sqlite.{DRIVER}", __name__, "SQLiteDialect_inline")
