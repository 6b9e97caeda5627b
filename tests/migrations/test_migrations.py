from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from chefmentor.db import migrate
from chefmentor.db.engine import create_engine
from chefmentor.db.models import metadata
from tests.conftest import _pg_admin, make_settings
from tests.services_guard import pg_base_url, service_missing

SPEC_TABLES = {
    "users",
    "demo_sessions",
    "recipes",
    "recipe_steps",
    "cooking_sessions",
    "failure_analyses",
    "user_profiles",
    "audit_logs",
}


async def _roundtrip(url: str, home: Path) -> None:
    engine = create_engine(make_settings(home, url))
    try:
        assert await migrate.current_revision(engine) is None
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
        async with engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), metadata)
            )
            indexes = await conn.run_sync(lambda c: {i["name"] for i in inspect(c).get_indexes("users")})
        assert SPEC_TABLES <= tables
        assert "idx_users_email" in indexes
        assert diff == [], f"models and migrations disagree: {diff}"
        await migrate.downgrade(engine, "base")
        async with engine.connect() as conn:
            left = set(await conn.run_sync(lambda c: inspect(c).get_table_names())) - {"alembic_version"}
        assert left == set()
        await migrate.upgrade(engine)
        assert await migrate.current_revision(engine) == migrate.head_revision()
    finally:
        await engine.dispose()


async def test_sqlite_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    await _roundtrip(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", tmp_path)


@pytest.mark.pg
async def test_postgresql_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    base = pg_base_url()
    name = f"cmx_mig_{uuid.uuid4().hex[:10]}"
    try:
        await _pg_admin(base, f'CREATE DATABASE "{name}"')
    except Exception as exc:
        service_missing("PostgreSQL", f"{type(exc).__name__}: {exc}")
    try:
        await _roundtrip(base.rsplit("/", 1)[0] + f"/{name}", tmp_path)
    finally:
        await _pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_one_linear_revision_chain() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1
    for revision in script.walk_revisions():
        down = revision.down_revision
        assert down is None or isinstance(down, str), f"{revision.revision} is a merge point"
