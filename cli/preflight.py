"""Checks made before a command opens the database: a readable line naming the fix instead of a driver's
traceback, and nothing created on disk by a command that only reads."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from chefmentor.errors import ConfigError, DatabaseNotMigratedError, StorageError

if TYPE_CHECKING:
    from chefmentor.config import Settings

SUPPORTED_DRIVERS = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}
URL_EXAMPLES = "sqlite+aiosqlite:///PATH/chefmentor.db or postgresql+asyncpg://USER@HOST:5432/DB"
PICK_ANOTHER = "or choose another path with --database-url / CHEFMENTOR_DATABASE_URL"


def no_database_yet(path: Path) -> DatabaseNotMigratedError:
    return DatabaseNotMigratedError(
        f"No database at {path} yet: run `chefmentor db upgrade`, then `chefmentor db seed` for the bundled recipes"
    )


def sqlite_path(url: str) -> Path | None:
    """The database file of a SQLite URL (None for PostgreSQL or an in-memory database)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def check_database_url(url: str) -> None:
    """A URL SQLAlchemy can parse, on a database and driver this project ships."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    shown = url.split("@")[-1] if "@" in url else url
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(f"Invalid database URL {shown!r}: expected {URL_EXAMPLES}") from None
    backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    wanted = SUPPORTED_DRIVERS.get(backend)
    if wanted is None:
        raise ConfigError(f"Unsupported database {parsed.drivername!r}: use {URL_EXAMPLES}")
    if driver != wanted:
        raise ConfigError(f"Unsupported driver {parsed.drivername!r}: use {backend}+{wanted}:// ({URL_EXAMPLES})")


def check_database_target(settings: Settings, *, creates: bool) -> None:
    """Refuse a URL we cannot use and, for SQLite, a missing folder or a read-only file, before any driver
    runs (SQLite would otherwise create a file, and the engine the folder, for a command that only reads)."""
    url = settings.database_url
    check_database_url(url)
    path = sqlite_path(url)
    if path is None:
        return
    folder = path.parent
    inside_home = folder == settings.home
    if not folder.exists():
        if inside_home:
            if creates:
                return  # the default database under a fresh CHEFMENTOR_HOME: `db upgrade` makes both
            raise no_database_yet(path)
        raise StorageError(f"Folder {folder} does not exist: create it, {PICK_ANOTHER}")
    if not folder.is_dir():
        raise StorageError(f"{folder} is not a folder: {PICK_ANOTHER}")
    if not path.exists():
        if not creates:
            raise no_database_yet(path)
        if not os.access(folder, os.W_OK | os.X_OK):
            raise StorageError(f"Folder {folder} is read-only: make it writable, {PICK_ANOTHER}")
        return
    if not os.access(path, os.R_OK | os.W_OK):
        raise StorageError(f"Database {path} is read-only: make it writable (chmod u+rw), {PICK_ANOTHER}")
    if not os.access(folder, os.W_OK | os.X_OK):
        # SQLite in WAL mode keeps -wal and -shm files beside the database, even to read it.
        raise StorageError(f"Folder {folder} of the database is read-only (SQLite writes beside it): {PICK_ANOTHER}")


def home_problem(home: Path) -> str | None:
    """Why CHEFMENTOR_HOME cannot hold the dev secret, the SQLite file and media, or None when it can."""
    existing = home
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"CHEFMENTOR_HOME {home}: {existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"CHEFMENTOR_HOME {home} is not writable ({existing} is read-only): point it at a writable folder"
    return None
