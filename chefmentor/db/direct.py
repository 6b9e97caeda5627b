"""Hot reads that skip SQLAlchemy's execution layer on asyncpg: the statement is still built and compiled
by SQLAlchemy (once per dialect), then run with the driver's own `fetchrow`.

On an uncached GET /api/recipes/{id} on PostgreSQL, SQLAlchemy's per-execute work (execution context,
cursor adaptation, result wrapping) cost ~110 µs of the route's CPU. Rows come back as the driver's
records: JSON columns decoded by the codecs SQLAlchemy's dialect installed on the connection, other
values as asyncpg returns them (so callers validate rows with pydantic, as they would anyway).
Statements with a parameter that needs SQLAlchemy's bind processing (JSON, enums, ...), other drivers
and other dialects take SQLAlchemy's normal path, with the same statement.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection

# Per dialect instance (one per engine), per statement (module-level constants on the hot paths).
_COMPILED: weakref.WeakKeyDictionary[Dialect, dict[sa.Select[Any], tuple[str | None, Any]]] = (
    weakref.WeakKeyDictionary()
)


def _compiled(statement: sa.Select[Any], dialect: Dialect) -> tuple[str | None, Any]:
    """The SQL for the driver, or None when a parameter needs SQLAlchemy's bind processing (JSON, enums...)."""
    per_dialect = _COMPILED.setdefault(dialect, {})
    found = per_dialect.get(statement)
    if found is None:
        compiled = statement.compile(dialect=dialect)
        plain = all(bind.type.dialect_impl(dialect).bind_processor(dialect) is None for bind in compiled.binds.values())
        found = per_dialect[statement] = (str(compiled) if plain else None, compiled)
    return found


async def fetch_one(
    connection: AsyncConnection, statement: sa.Select[Any], params: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    """The first row of `statement` as a mapping, or None; on asyncpg straight through the driver."""
    dialect = connection.dialect
    if dialect.driver != "asyncpg":
        return await _through_sqlalchemy(connection, statement, params)
    sql, compiled = _compiled(statement, dialect)
    if sql is None:
        return await _through_sqlalchemy(connection, statement, params)
    values = compiled.construct_params(dict(params))
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    try:
        record: Mapping[str, Any] | None = await driver.fetchrow(sql, *(values[name] for name in compiled.positiontup))
    except TimeoutError:
        raise
    except Exception:
        # A read is safe to repeat: SQLAlchemy's own path then raises its usual exception (a dropped
        # connection is invalidated and becomes a 503, a refused value a 422) or simply succeeds.
        return await _through_sqlalchemy(connection, statement, params)
    return record


async def _through_sqlalchemy(
    connection: AsyncConnection, statement: sa.Select[Any], params: Mapping[str, Any]
) -> Mapping[str, Any] | None:
    result = await connection.execute(statement, dict(params))
    row: Mapping[str, Any] | None = result.mappings().first()
    return row
