"""Is the database reachable and migrated? One clear error naming the fix when not."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from chefmentor.db import migrate
from chefmentor.errors import DatabaseNotMigratedError, DatabaseUnavailableError


async def database_revision(engine: AsyncEngine) -> str | None:
    try:
        return await migrate.current_revision(engine)
    except (OSError, TimeoutError) as exc:
        raise DatabaseUnavailableError(_unreachable(engine, exc)) from exc
    except Exception as exc:
        if _is_connect_error(exc):
            raise DatabaseUnavailableError(_unreachable(engine, exc)) from exc
        raise


async def ensure_migrated(engine: AsyncEngine) -> str:
    """Raise unless the database is at the newest migration."""
    current = await database_revision(engine)
    head = migrate.head_revision()
    if current is None:
        raise DatabaseNotMigratedError("Database is not migrated: run `chefmentor db upgrade`")
    if current != head:
        raise DatabaseNotMigratedError(
            f"Database is at revision {current}, the code needs {head}: run `chefmentor db upgrade`"
        )
    return current


def _is_connect_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

    if isinstance(exc, OperationalError | InterfaceError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    cause = exc.__cause__ or exc.__context__
    return cause is not None and isinstance(cause, OSError | ConnectionError)


def _unreachable(engine: AsyncEngine, exc: BaseException) -> str:
    url = engine.url.render_as_string(hide_password=True)
    reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return f"Cannot connect to the database at {url} ({reason}): check CHEFMENTOR_DATABASE_URL"
