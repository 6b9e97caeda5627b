"""run(): load settings, open the context inside asyncio.run, map ChefMentorError to one red line + exit code."""

from __future__ import annotations

import errno
import traceback
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from cli.state import CliState

if TYPE_CHECKING:
    from chefmentor.config import Settings
    from chefmentor.context import AppContext
    from chefmentor.errors import ChefMentorError

T = TypeVar("T")

_STORAGE_ERRNOS = {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.ENOSPC}
_SQLITE_STORAGE_MESSAGES = ("readonly database", "unable to open database file", "disk i/o error")


def state_of(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    obj = root.obj
    return obj if isinstance(obj, CliState) else CliState()


def build_settings(state: CliState, **overrides: Any) -> Settings:
    from chefmentor.config import load_settings
    from chefmentor.errors import StorageError

    extra: dict[str, Any] = dict(overrides)
    if state.database_url:
        extra.setdefault("db", {})["url"] = state.database_url
    if state.offline:
        extra["offline"] = True
    try:
        return load_settings(env_file=state.env_file, **extra)
    except OSError as exc:
        # In dev mode the settings keep a generated JWT secret under CHEFMENTOR_HOME.
        where = exc.filename or "CHEFMENTOR_HOME"
        raise StorageError(
            f"Cannot write {where} ({exc.strerror or exc}): set CHEFMENTOR_HOME to a writable folder "
            "(or CHEFMENTOR_JWT_SECRET to a random 32+ character value)"
        ) from exc


def environment_error(exc: BaseException) -> ChefMentorError | None:
    """File-system and SQLite file problems met while running: a StorageError naming the path, or None."""
    from chefmentor.errors import StorageError

    if isinstance(exc, OSError) and exc.errno in _STORAGE_ERRNOS:
        where = f" {exc.filename}" if exc.filename else ""
        return StorageError(f"Cannot use{where}: {exc.strerror or exc} (check CHEFMENTOR_HOME and the database path)")
    text = str(exc).lower()
    if type(exc).__name__ == "OperationalError" and any(m in text for m in _SQLITE_STORAGE_MESSAGES):
        reason = next(m for m in _SQLITE_STORAGE_MESSAGES if m in text)
        return StorageError(f"The SQLite database cannot be written ({reason}): check the file and folder permissions")
    return None


def _is_database_error(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError)


def guarded(state: CliState, call: Callable[[], T]) -> T:
    """Run `call`, turning any failure into one red line and a non-zero exit (traceback only with --debug);
    with --json the same failure is also the API's error envelope on stdout."""
    from chefmentor.errors import ChefMentorError
    from cli.output import err_console, print_error

    try:
        return call()
    except typer.Exit:
        raise
    except ChefMentorError as exc:
        if state.debug:
            err_console.print(traceback.format_exc(), highlight=False)
        print_error(exc.message, code=exc.code)
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        print_error("Interrupted", code="INTERRUPTED")
        raise typer.Exit(130) from None
    except Exception as exc:
        if state.debug:
            err_console.print(traceback.format_exc(), highlight=False)
        known = environment_error(exc)
        if known is not None:
            print_error(known.message, code=known.code)
            raise typer.Exit(known.exit_code) from None
        first_line = next(iter(str(exc).strip().splitlines()), "")[:300]
        hint = "" if state.debug else " (rerun with --debug for the traceback)"
        print_error(f"Unexpected error: {type(exc).__name__}: {first_line}{hint}")
        raise typer.Exit(1) from None


def run(
    ctx: typer.Context,
    work: Callable[[AppContext], Awaitable[T]],
    *,
    check_migrated: bool = True,
    uses_database: bool | None = None,
    creates_database: bool = False,
    **context_overrides: Any,
) -> T:
    """Open the app context in a fresh event loop and run `work` with it. A command that `uses_database`
    (default: one that checks migrations) is refused early when the SQLite file or folder is missing or
    read-only; only one that `creates_database` (db upgrade) may bring them into being."""
    import asyncio

    state = state_of(ctx)

    async def main(settings: Settings) -> T:
        from chefmentor.context import open_context

        async with open_context(settings, **context_overrides) as app:
            if not check_migrated:
                return await work(app)
            try:
                return await work(app)
            except Exception as exc:
                # The revision check costs an Alembic import on every command, so it runs only when the
                # database refused a statement: a schema behind the code then gets "run db upgrade".
                if _is_database_error(exc):
                    from chefmentor.db.status import ensure_migrated

                    await ensure_migrated(app.engine)
                raise

    def prepared() -> T:
        from cli.preflight import check_database_target, check_database_url

        settings = build_settings(state)
        if creates_database or (check_migrated if uses_database is None else uses_database):
            check_database_target(settings, creates=creates_database)
        else:
            check_database_url(settings.database_url)
        return asyncio.run(main(settings))

    return guarded(state, prepared)
