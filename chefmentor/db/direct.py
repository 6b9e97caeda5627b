"""Hot statements that skip SQLAlchemy's execution layer on asyncpg: the statement is still built and compiled
by SQLAlchemy (once per dialect), its parameters still go through each type's bind processor (JSON
serializer, enums, our UTC timestamps), then it runs with the driver's own `fetchrow` or `execute`.

On an uncached GET /api/recipes/{id} on PostgreSQL, SQLAlchemy's per-execute work (execution context,
cursor adaptation, result wrapping) cost ~110 µs of the route's CPU; on a step event (one guarded write)
~8% of the route. Rows come back as the driver's records: JSON columns decoded by the codecs SQLAlchemy's
dialect installed on the connection, other values as asyncpg returns them (callers validate rows with
pydantic, as they would anyway). Other drivers and dialects take SQLAlchemy's normal path, with the same
statement.

A driver error sends the statement through SQLAlchemy once more, so it surfaces exactly as on
SQLAlchemy's own path (IntegrityError, a dropped connection invalidated and answered 503). For a read
that is always safe. A write may only come here as one statement in autocommit: if the server refused it,
nothing was written; if the connection died, the second attempt fails on the same dead connection.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

Processor = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    compiled: Any
    processors: tuple[tuple[str, Processor | None], ...]  # in the driver's positional order

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        values = self.compiled.construct_params(dict(params))
        return [values[name] if process is None else process(values[name]) for name, process in self.processors]


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
        found = per_dialect[statement] = _Compiled(str(compiled), compiled, processors)
    return found


def _driver(connection: AsyncConnection) -> bool:
    return connection.dialect.driver == "asyncpg"


async def _driver_connection(connection: AsyncConnection) -> Any:
    raw = await connection.get_raw_connection()
    return raw.driver_connection


async def fetch_one(
    connection: AsyncConnection, statement: sa.Select[Any], params: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """The first row of `statement` as a mapping, or None; on asyncpg straight through the driver."""
    if not _driver(connection):
        return await _first_through_sqlalchemy(connection, statement, params)
    prepared = _compiled(statement, connection.dialect)
    driver = await _driver_connection(connection)
    try:
        record: Mapping[str, Any] | None = await driver.fetchrow(prepared.sql, *prepared.arguments(params))
    except TimeoutError:
        raise
    except Exception:
        return await _first_through_sqlalchemy(connection, statement, params)
    return record


async def execute_autocommit(connection: AsyncConnection, statement: sa.Executable, params: Mapping[str, Any]) -> int:
    """Run one INSERT/UPDATE/DELETE on a connection in AUTOCOMMIT and return its row count."""
    if not _driver(connection):
        return await _rowcount_through_sqlalchemy(connection, statement, params)
    prepared = _compiled(statement, connection.dialect)
    driver = await _driver_connection(connection)
    try:
        status: str = await driver.execute(prepared.sql, *prepared.arguments(params))
    except TimeoutError:
        raise
    except Exception:
        return await _rowcount_through_sqlalchemy(connection, statement, params)
    return int(status.rpartition(" ")[2])  # "INSERT 0 1", "UPDATE 1"


async def _first_through_sqlalchemy(
    connection: AsyncConnection, statement: sa.Select[Any], params: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    result = await connection.execute(statement, dict(params))
    row: Mapping[str, Any] | None = result.mappings().first()
    return row


async def _rowcount_through_sqlalchemy(
    connection: AsyncConnection, statement: sa.Executable, params: Mapping[str, Any]
) -> int:
    result: Any = await connection.execute(statement, dict(params))
    return int(result.rowcount)
