"""Which database errors mean "the database is unavailable" (answer 503, retry later) rather than a bug.

Raised through SQLAlchemy (wrapped in DBAPIError) or, at connect time, straight from the driver: a refused
or dropped socket, a pool wait that timed out, or a PostgreSQL error whose SQLSTATE class says the server
cannot serve now — 08 connection exception, 53 insufficient resources, 57 operator intervention
(57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now: starting up or shutting down),
58 system error.
"""

from __future__ import annotations

OUTAGE_SQLSTATE_CLASSES = frozenset({"08", "53", "57", "58"})
# asyncpg's own exceptions for a connection that is gone (public names of asyncpg.exceptions).
_DRIVER_CONNECTION_ERRORS = ("InterfaceError", "ConnectionDoesNotExistError", "InternalClientError")


def sqlstate_of(exc: BaseException) -> str | None:
    """The SQLSTATE of a driver error, or of the driver error SQLAlchemy wrapped."""
    for candidate in (exc, getattr(exc, "orig", None)):
        code = getattr(candidate, "sqlstate", None) or getattr(candidate, "pgcode", None)
        if isinstance(code, str) and len(code) == 5:
            return code
    return None


def is_database_outage(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError

    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError | OSError | TimeoutError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    state = sqlstate_of(exc)
    if state is not None:
        return state[:2] in OUTAGE_SQLSTATE_CLASSES
    for candidate in (exc, getattr(exc, "orig", None)):
        if candidate is not None and type(candidate).__module__.startswith("asyncpg"):
            if type(candidate).__name__ in _DRIVER_CONNECTION_ERRORS:
                return True
    return False
