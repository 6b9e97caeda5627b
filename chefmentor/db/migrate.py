"""Alembic driven from code: `chefmentor db upgrade|downgrade|current` and the tests use these."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def alembic_config() -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    return heads[0] if heads else None


async def _with_connection(engine: AsyncEngine, command_name: str, *args: Any) -> None:
    from alembic import command

    def runner(connection: Any) -> None:
        cfg = alembic_config()
        cfg.attributes["connection"] = connection
        getattr(command, command_name)(cfg, *args)

    async with engine.begin() as connection:
        await connection.run_sync(runner)


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    await _with_connection(engine, "upgrade", revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    await _with_connection(engine, "downgrade", revision)


async def current_revision(engine: AsyncEngine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    def read(connection: Any) -> str | None:
        value: str | None = MigrationContext.configure(connection).get_current_revision()
        return value

    async with engine.connect() as connection:
        return await connection.run_sync(read)
