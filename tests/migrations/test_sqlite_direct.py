"""Reads and writes on the inline SQLite driver without SQLAlchemy's execution layer (chefmentor/db/direct.py)."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from chefmentor.config import Settings
from chefmentor.context import open_context
from chefmentor.cooking.models import StepEventKind
from chefmentor.db.direct import execute_autocommit, fetch_one
from chefmentor.db.engine import create_engine
from chefmentor.db.types import UTCDateTime, enum_column
from chefmentor.recipes.models import Recipe
from chefmentor.recipes.read_query import STATEMENTS, load_recipe_read, recipe_from_row
from tests.conftest import make_settings, seed_fixture_recipes
from tests.migrations.test_sqlite_inline import Ticker

_DOCS = sa.Table(
    "docs",
    sa.MetaData(),
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("doc", sa.JSON),
    sa.Column("kind", enum_column(StepEventKind, "step_event_kind").type),
    sa.Column("at", UTCDateTime()),
)
_INSERT = _DOCS.insert().values(
    id=sa.bindparam("i"), doc=sa.bindparam("d"), kind=sa.bindparam("k"), at=sa.bindparam("t")
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'direct.db'}", db={"busy_timeout_seconds": 5})
    engine = create_engine(settings)
    assert engine.dialect.driver == "cmxinline"
    async with engine.begin() as conn:
        await conn.run_sync(_DOCS.metadata.create_all)
    yield engine
    await engine.dispose()


async def test_a_write_applies_every_bind_processor_and_commits_on_its_own(engine: AsyncEngine, tmp_path: Path) -> None:
    statements: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    doc_id, at = uuid.uuid4(), datetime(2026, 11, 26, 1, 2, 3, 456789, tzinfo=UTC)
    values = {"i": doc_id, "d": "[1, 2]", "k": StepEventKind.TIMER_STARTED, "t": at}
    assert await execute_autocommit(engine, _INSERT, values) == 1
    update = _DOCS.update().where(_DOCS.c.id == sa.bindparam("i")).values(doc=sa.bindparam("d"))
    assert await execute_autocommit(engine, update, {"i": uuid.uuid4(), "d": {"a": 1}}) == 0
    assert statements == []  # neither went through SQLAlchemy's execution
    async with engine.connect() as conn:
        row = (await conn.execute(sa.select(_DOCS))).one()
    assert (row.id, row.doc, row.kind, row.at) == (doc_id, "[1, 2]", StepEventKind.TIMER_STARTED, at)
    with sqlite3.connect(tmp_path / "direct.db") as reader:  # another connection sees it: committed
        assert reader.execute("SELECT kind FROM docs").fetchall() == [("timer_started",)]


async def test_a_refused_write_raises_sqlalchemys_error_and_leaves_nothing_behind(engine: AsyncEngine) -> None:
    doc_id = uuid.uuid4()
    values = {"i": doc_id, "d": [1], "k": StepEventKind.NOTE, "t": datetime.now(UTC)}
    await execute_autocommit(engine, _INSERT, values)
    with pytest.raises(IntegrityError):
        await execute_autocommit(engine, _INSERT, {**values, "d": [2]})
    # The connection went back clean (rolled back): the next write on it commits as usual.
    assert await execute_autocommit(engine, _INSERT, {**values, "i": uuid.uuid4()}) == 1
    async with engine.connect() as conn:
        assert (await conn.execute(sa.select(sa.func.count()).select_from(_DOCS))).scalar_one() == 2


async def test_waiting_for_another_writer_keeps_the_loop_running(engine: AsyncEngine, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "direct.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock, as another process's transaction would
    values = {"i": uuid.uuid4(), "d": [1], "k": StepEventKind.NOTE, "t": datetime.now(UTC)}
    with Ticker() as ticker:
        write = asyncio.create_task(execute_autocommit(engine, _INSERT, values))
        await asyncio.sleep(0.3)
        assert not write.done()
        other.execute("COMMIT")
        assert await write == 1
    other.close()
    assert ticker.ticks >= 20 and ticker.longest_gap < 0.1


async def test_a_lock_held_past_the_busy_timeout_is_sqlalchemys_operational_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'busy.db'}", db={"busy_timeout_seconds": 0.2})
    engine = create_engine(settings)
    async with engine.begin() as conn:
        await conn.run_sync(_DOCS.metadata.create_all)
    other = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"):
            await execute_autocommit(engine, _INSERT, {"i": uuid.uuid4(), "d": [], "k": "note", "t": None})
    finally:
        other.execute("ROLLBACK")
        other.close()
        await engine.dispose()


async def test_a_recipe_read_on_the_driver_equals_the_sqlalchemy_read(settings: Settings) -> None:
    async with open_context(settings) as ctx:
        await seed_fixture_recipes(ctx)
        async with ctx.engine.connect() as conn:
            ids = list((await conn.execute(sa.select(Recipe.id))).scalars())  # type: ignore[call-overload]
        assert len(ids) == 5 and ctx.engine.dialect.driver == "cmxinline"
        statements: list[str] = []
        sa.event.listen(ctx.engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
        for recipe_id in ids:
            direct = await load_recipe_read(ctx.engine, recipe_id)
            assert statements == []
            async with ctx.engine.connect() as conn:
                row = (await conn.execute(STATEMENTS["sqlite"], {"recipe_id": recipe_id})).mappings().one()
            statements.clear()
            assert direct.model_dump_json() == recipe_from_row(row).model_dump_json()
            assert len(direct.steps) >= 3 and direct.ingredients
        assert await fetch_one(ctx.engine, STATEMENTS["sqlite"], {"recipe_id": uuid.uuid4()}) is None
