"""Which database errors are an outage (503 + Retry-After) and which are not (a bug or bad input)."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from chefmentor.db.outage import is_database_outage, sqlstate_of


def _wrapped(orig: BaseException, *, invalidated: bool = False) -> DBAPIError:
    return DBAPIError("SELECT 1", {}, orig, connection_invalidated=invalidated)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "exc",
    [
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up"),  # 57P03
        asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"),  # 57P01
        asyncpg.exceptions.CrashShutdownError("crash"),  # 57P02
        asyncpg.exceptions.TooManyConnectionsError("too many clients"),  # 53300
        asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation"),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError(),
        PoolTimeoutError("QueuePool limit reached"),
        OperationalError("SELECT 1", {}, Exception("server closed the connection")),
        _wrapped(asyncpg.exceptions.AdminShutdownError("terminating")),
        _wrapped(Exception("whatever"), invalidated=True),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_outages(exc: BaseException) -> None:
    assert is_database_outage(exc)


@pytest.mark.parametrize(
    "exc",
    [
        asyncpg.exceptions.UniqueViolationError("duplicate key"),
        asyncpg.exceptions.UndefinedColumnError("no such column"),
        IntegrityError("INSERT", {}, Exception("duplicate")),
        ValueError("a bug"),
        _wrapped(asyncpg.exceptions.SyntaxOrAccessError("syntax")),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_not_outages(exc: BaseException) -> None:
    assert not is_database_outage(exc)


def test_sqlstate_is_read_through_the_sqlalchemy_wrapper() -> None:
    assert sqlstate_of(_wrapped(asyncpg.exceptions.CannotConnectNowError("starting up"))) == "57P03"
