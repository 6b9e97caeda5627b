"""Hot statements that skip SQLAlchemy's execution layer: the statement is still built and compiled by
SQLAlchemy (once per dialect), its parameters still go through each type's bind processor (JSON
serializer, enums, our UTC timestamps), then it runs on the driver: asyncpg's `fetchrow`/`execute`, or the
inline SQLite driver's cursor (chefmentor/db/sqlite_inline.py). Other drivers take SQLAlchemy's path.

On an uncached GET /api/recipes/{id} on PostgreSQL, SQLAlchemy's per-execute work (execution context,
cursor adaptation, result wrapping) cost ~110 µs of the route's CPU; on a step event (one guarded write)
~8% of the route. asyncpg rows come back as the driver's records (JSON decoded by the codecs SQLAlchemy's
dialect installed; callers validate rows with pydantic, as they would anyway); SQLite rows get each
column's result processor, as SQLAlchemy would apply.

Errors: on SQLite the sqlite3 error becomes the exception class SQLAlchemy raises for it. On asyncpg an
error the server reports sends the statement through SQLAlchemy once more, so it surfaces exactly as on
SQLAlchemy's own path (IntegrityError → 409, DataError → 422); for a read that is always safe, and a write
only comes here as one statement on its own, so a refused write wrote nothing. A lost connection is
invalidated and raised as SQLAlchemy's DBAPIError(connection_invalidated) (503), never retried.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.util.concurrency import greenlet_spawn

from chefmentor.db import sqlite_inline

Processor = Callable[[Any], Any]


_REQUIRED: Any = object()


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    compiled: Any
    processors: tuple[tuple[str, Processor | None], ...]  # in the driver's positional order
    columns: tuple[tuple[str, Processor | None], ...]  # a SELECT's result columns: key, result processor
    # Per positional bind: its key, its compiled name, the statement's own value (a literal, already through
    # its bind processor) and the processor, when every bind is that plain; else None and SQLAlchemy's
    # construct_params resolves them (~5 µs a statement).
    plain_binds: tuple[tuple[str, str, Any, Processor | None], ...] | None

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        if self.plain_binds is None:
            values = self.compiled.construct_params(dict(params))
            return [values[name] if process is None else process(values[name]) for name, process in self.processors]
        arguments = []
        for key, name, literal, process in self.plain_binds:
            if key in params:
                value = params[key]
            elif name in params:
                value = params[name]
            elif literal is _REQUIRED:
                raise sa.exc.InvalidRequestError(f"A value is required for bind parameter {key!r}")
            else:
                arguments.append(literal)
                continue
            arguments.append(value if process is None else process(value))
        return arguments


def _plain_binds(
    compiled: Any, processors: tuple[tuple[str, Processor | None], ...]
) -> tuple[tuple[str, str, Any, Processor | None], ...] | None:
    binds = [compiled.binds[name] for name, _ in processors]
    if compiled.literal_execute_params or compiled.post_compile_params or compiled.escaped_bind_names:
        return None
    if any(bind.callable is not None or bind.expanding or bind.literal_execute for bind in binds):
        return None
    plain = []
    for (name, process), bind in zip(processors, binds, strict=True):
        literal = _REQUIRED if bind.required else bind.effective_value
        if literal is not _REQUIRED and process is not None:
            literal = process(literal)
        plain.append((bind.key, name, literal, process))
    return tuple(plain)


# Per dialect instance (one per engine), per statement (module-level constants on the hot paths).
_COMPILED: weakref.WeakKeyDictionary[Dialect, dict[sa.Executable, _Compiled]] = weakref.WeakKeyDictionary()


def _compiled(statement: sa.Executable, dialect: Dialect) -> _Compiled:
    per_dialect = _COMPILED.setdefault(dialect, {})
    found = per_dialect.get(statement)
    if found is None:
        compiled = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
        processors = tuple(
            (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
            for name in compiled.positiontup or ()
        )
        columns = tuple(
            (column.key, column.type.dialect_impl(dialect).result_processor(dialect, None))
            for column in getattr(statement, "selected_columns", ())
        )
        plain = _plain_binds(compiled, processors)
        found = per_dialect[statement] = _Compiled(str(compiled), compiled, processors, columns, plain)
    return found


def _on_driver(db: AsyncConnection | AsyncEngine) -> bool:
    return db.dialect.driver == "asyncpg"


class pooled_driver_connection:  # noqa: N801 - used like the function-style context managers it replaced
    """`async with pooled_driver_connection(engine) as driver`: the driver connection of a pooled connection,
    outside any transaction: each statement commits.

    No SQLAlchemy Connection around it (~10% of a step event: events, execution options, and a task per
    close). It goes back to the pool as soon as the block ends; if the block failed or was cancelled
    mid-statement its state is unknown, so it is invalidated (closed, replaced on the next checkout).
    A class rather than @asynccontextmanager: a generator per statement was ~1% of a step event.
    """

    __slots__ = ("engine", "fairy")

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.fairy: Any = None

    async def __aenter__(self) -> Any:
        self.fairy = await self.engine.raw_connection()
        return self.fairy.driver_connection

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        fairy, self.fairy = self.fairy, None
        try:
            if exc_type is not None:
                fairy.invalidate()
        finally:
            fairy.close()


async def fetch_one(
    db: AsyncConnection | AsyncEngine, statement: sa.Select[Any], params: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """The first row of `statement` as a mapping, or None; on asyncpg straight through the driver.

    Given an engine, a pooled connection is taken for just this statement; given a connection (a
    session's), the statement runs in that connection's transaction.
    """
    if isinstance(db, AsyncEngine) and db.dialect.driver == sqlite_inline.DRIVER:
        prepared = _compiled(statement, db.dialect)
        async with pooled_driver_connection(db) as sqlite_connection:
            return await greenlet_spawn(_sqlite_fetch_one, sqlite_connection, prepared, params, db.dialect)
    if not _on_driver(db):
        return await _first_through_sqlalchemy(db, statement, params)
    prepared = _compiled(statement, db.dialect)
    record: Mapping[str, Any] | None
    try:
        if isinstance(db, AsyncEngine):
            async with pooled_driver_connection(db) as driver:
                record = await driver.fetchrow(prepared.sql, *prepared.arguments(params))
        else:
            raw: Any = await db.get_raw_connection()
            record = await raw.driver_connection.fetchrow(prepared.sql, *prepared.arguments(params))
    except TimeoutError:
        raise
    except Exception as exc:
        if isinstance(db, AsyncEngine):
            _raise_if_connection_lost(exc, prepared, params)
        # On a session's connection SQLAlchemy's own run raises (and invalidates that connection) as usual.
        return await _first_through_sqlalchemy(db, statement, params)
    return record


async def execute_autocommit(engine: AsyncEngine, statement: sa.Executable, params: Mapping[str, Any]) -> int:
    """Run one INSERT/UPDATE/DELETE on its own (it commits by itself) and return its row count."""
    if engine.dialect.driver == sqlite_inline.DRIVER:
        return await _sqlite_execute_autocommit(engine, statement, params)
    if not _on_driver(engine):
        async with engine.connect() as connection:
            return await _rowcount_through_sqlalchemy(connection, statement, params)
    prepared = _compiled(statement, engine.dialect)
    try:
        async with pooled_driver_connection(engine) as driver:
            status: str = await driver.execute(prepared.sql, *prepared.arguments(params))
    except TimeoutError:
        raise
    except Exception as exc:
        _raise_if_connection_lost(exc, prepared, params)
        # The server refused the statement, so nothing was written: SQLAlchemy's run raises its usual error.
        async with engine.connect() as connection:
            return await _rowcount_through_sqlalchemy(connection, statement, params)
    return int(status.rpartition(" ")[2])  # "INSERT 0 1", "UPDATE 1"


async def _sqlite_execute_autocommit(engine: AsyncEngine, statement: sa.Executable, params: Mapping[str, Any]) -> int:
    """The inline SQLite driver: the statement and its commit on a pooled connection, in a greenlet so that
    waiting for another writer's lock yields to the loop (chefmentor/db/sqlite_inline.py)."""
    prepared = _compiled(statement, engine.dialect)
    async with pooled_driver_connection(engine) as driver:
        return await greenlet_spawn(_sqlite_write, driver, prepared, params, engine.dialect)


def _sqlite_fetch_one(
    driver: Any, prepared: _Compiled, params: Mapping[str, Any], dialect: Dialect
) -> Mapping[str, Any] | None:
    row = _sqlite_run(driver, prepared, params, dialect, write=False)
    if row is None:
        return None
    pairs = zip(prepared.columns, row, strict=True)
    return {key: value if process is None else process(value) for (key, process), value in pairs}


def _sqlite_write(driver: Any, prepared: _Compiled, params: Mapping[str, Any], dialect: Dialect) -> int:
    count: int = _sqlite_run(driver, prepared, params, dialect, write=True)
    return count


def _sqlite_run(driver: Any, prepared: _Compiled, params: Mapping[str, Any], dialect: Dialect, *, write: bool) -> Any:
    """One statement on a sqlite3 connection: a write returns its row count once committed, a read its first
    row. A sqlite3 error becomes the exception class SQLAlchemy raises for it (IntegrityError, ...)."""
    import sqlite3

    cursor = driver.cursor()
    try:
        cursor.execute(prepared.sql, prepared.arguments(params))
        if not write:
            return cursor.fetchone()
        count = int(cursor.rowcount)
        driver.commit()
        return count
    except sqlite3.Error as exc:
        if write:
            driver.rollback()
        raise DBAPIError.instance(prepared.sql, dict(params), exc, sqlite3.Error, dialect=dialect) from exc
    finally:
        cursor.close()


def _raise_if_connection_lost(exc: Exception, prepared: _Compiled, params: Mapping[str, Any]) -> None:
    """An error the server reported returns (the caller asks SQLAlchemy); a lost or unusable connection is
    an outage, 503 as for SQLAlchemy's invalidated connections, never retried (a write may have committed);
    anything else is a bug and stays what it is."""
    import asyncpg

    if isinstance(exc, asyncpg.PostgresError):
        return
    if isinstance(exc, asyncpg.InterfaceError | OSError):
        raise DBAPIError(prepared.sql, dict(params), exc, connection_invalidated=True) from exc
    raise exc


async def _first_through_sqlalchemy(
    db: AsyncConnection | AsyncEngine, statement: sa.Select[Any], params: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    if isinstance(db, AsyncEngine):
        async with db.connect() as connection:
            return await _first_through_sqlalchemy(connection, statement, params)
    result = await db.execute(statement, dict(params))
    row: Mapping[str, Any] | None = result.mappings().first()
    return row


async def _rowcount_through_sqlalchemy(
    connection: AsyncConnection, statement: sa.Executable, params: Mapping[str, Any]
) -> int:
    result: Any = await connection.execute(statement, dict(params))
    return int(result.rowcount)
