"""Statements run straight on asyncpg (chefmentor/db/direct.py) give what SQLAlchemy's own execution gives."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.cooking.models import StepEventKind
from chefmentor.db.direct import execute_autocommit, fetch_one, pooled_driver_connection
from chefmentor.db.engine import autocommit_engine_of
from chefmentor.db.types import enum_column
from chefmentor.recipes.models import Recipe
from chefmentor.recipes.read_query import STATEMENTS, load_recipe_read, recipe_from_row
from tests.conftest import seed_fixture_recipes

pytestmark = pytest.mark.pg


@pytest.fixture
async def seeded(pg_settings: Settings) -> AsyncIterator[tuple[AppContext, list[uuid.UUID]]]:
    async with open_context(pg_settings) as ctx:
        await seed_fixture_recipes(ctx)
        async with ctx.engine.connect() as conn:
            ids = list((await conn.execute(sa.select(Recipe.id))).scalars())  # type: ignore[call-overload]
        yield ctx, ids


async def test_recipe_read_on_the_driver_equals_the_sqlalchemy_read(
    seeded: tuple[AppContext, list[uuid.UUID]],
) -> None:
    ctx, ids = seeded
    assert len(ids) == 5
    for recipe_id in ids:
        async with ctx.engine.connect() as conn:
            through_sqlalchemy = (
                (await conn.execute(STATEMENTS["postgresql"], {"recipe_id": recipe_id})).mappings().one()
            )
        direct = await load_recipe_read(ctx.engine, recipe_id)
        expected = recipe_from_row(through_sqlalchemy)
        assert direct.model_dump_json() == expected.model_dump_json()
        assert len(direct.steps) >= 3 and direct.ingredients


async def test_the_driver_path_binds_every_parameter_and_finds_nothing_for_an_unknown_id(
    seeded: tuple[AppContext, list[uuid.UUID]],
) -> None:
    ctx, _ = seeded
    async with ctx.engine.connect() as conn:
        assert conn.dialect.driver == "asyncpg"
        assert await fetch_one(conn, STATEMENTS["postgresql"], {"recipe_id": uuid.uuid4()}) is None
        statement = sa.select(sa.literal("a").label("x"), sa.bindparam("n", type_=sa.Integer).label("n"))
        row = await fetch_one(conn, statement, {"n": 7})
        assert row is not None and (row["x"], row["n"]) == ("a", 7)
        # A JSON parameter needs SQLAlchemy's serializer: the string "[1, 2]" is a JSON string, which the
        # driver alone would have sent as the array [1, 2].
        typed = sa.select(sa.bindparam("doc", type_=sa.JSON).label("doc"))
        row = await fetch_one(conn, typed, {"doc": "[1, 2]"})
        assert row is not None and row["doc"] == "[1, 2]"


async def test_a_connection_dropped_under_a_driver_read_surfaces_as_sqlalchemy_invalidation(
    seeded: tuple[AppContext, list[uuid.UUID]],
) -> None:
    """So the API answers 503 (server.errors) and the pool replaces the connection, as on SQLAlchemy's path."""
    from sqlalchemy.exc import DBAPIError

    ctx, ids = seeded
    async with ctx.engine.connect() as conn:
        pid = (await conn.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
        async with ctx.engine.connect() as killer:
            await killer.execute(sa.text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
        with pytest.raises(DBAPIError) as raised:
            await fetch_one(conn, STATEMENTS["postgresql"], {"recipe_id": ids[0]})
        assert raised.value.connection_invalidated
    assert (await load_recipe_read(ctx.engine, ids[0])).id == ids[0]


_DOCS = sa.Table(
    "direct_docs",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("doc", sa.JSON),
    sa.Column("kind", enum_column(StepEventKind, "step_event_kind").type),
)
_INSERT = _DOCS.insert().values(id=sa.bindparam("i"), doc=sa.bindparam("d"), kind=sa.bindparam("k"))


@pytest.fixture
async def docs(seeded: tuple[AppContext, list[uuid.UUID]]) -> AsyncIterator[AsyncEngine]:
    """The autocommit engine step events write on, and a table to write to."""
    ctx, _ = seeded
    engine = autocommit_engine_of(ctx.sessions)
    assert engine is not None
    async with engine.connect() as conn:
        await conn.execute(sa.text("DROP TABLE IF EXISTS direct_docs"))
        await conn.execute(sa.text("CREATE TABLE direct_docs (id int PRIMARY KEY, doc json, kind varchar(32))"))
    yield engine
    async with engine.connect() as conn:
        await conn.execute(sa.text("DROP TABLE direct_docs"))


async def test_a_write_on_the_driver_applies_every_bind_processor_and_counts_rows(docs: AsyncEngine) -> None:
    statements: list[str] = []
    sa.event.listen(docs.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    # "[1, 2]" is a JSON *string*: only SQLAlchemy's serializer keeps it one.
    assert await execute_autocommit(docs, _INSERT, {"i": 1, "d": "[1, 2]", "k": StepEventKind.TIMER_STARTED}) == 1
    update = _DOCS.update().where(_DOCS.c.id == sa.bindparam("i")).values(doc=sa.bindparam("d"))
    assert await execute_autocommit(docs, update, {"i": 2, "d": {"a": 1}}) == 0
    assert statements == []  # both ran on the driver, not through SQLAlchemy's execution
    async with docs.connect() as conn:  # another connection: the write committed on its own
        row = (await conn.execute(sa.select(_DOCS.c.doc, _DOCS.c.kind))).one()
        stored = (await conn.execute(sa.text("SELECT kind FROM direct_docs"))).scalar_one()
    assert (row.doc, row.kind) == ("[1, 2]", StepEventKind.TIMER_STARTED)
    assert stored == StepEventKind.TIMER_STARTED.value  # by value, as the column's processor writes it


async def test_a_write_the_server_refuses_raises_sqlalchemys_error_and_writes_nothing(docs: AsyncEngine) -> None:
    from sqlalchemy.exc import IntegrityError

    await execute_autocommit(docs, _INSERT, {"i": 1, "d": [1], "k": StepEventKind.NOTE})
    with pytest.raises(IntegrityError):
        await execute_autocommit(docs, _INSERT, {"i": 1, "d": [2], "k": StepEventKind.NOTE})
    async with docs.connect() as conn:
        assert (await conn.execute(sa.select(_DOCS.c.doc))).scalars().all() == [[1]]


async def test_a_pooled_connection_lost_under_a_write_is_an_outage_and_is_replaced(docs: AsyncEngine) -> None:
    import asyncpg
    from sqlalchemy.exc import DBAPIError

    async with pooled_driver_connection(docs) as driver:
        pid = await driver.fetchval("SELECT pg_backend_pid()")
    killer = await asyncpg.connect(docs.url.set(drivername="postgresql").render_as_string(hide_password=False))
    try:
        await killer.execute("SELECT pg_terminate_backend($1, 5000)", pid)
    finally:
        await killer.close()
    # The pool hands that connection out again (the idle ping only runs after IDLE_PING_SECONDS), so the
    # write meets the dead connection.
    with pytest.raises(DBAPIError) as raised:
        await execute_autocommit(docs, _INSERT, {"i": 1, "d": [1], "k": StepEventKind.NOTE})
    assert raised.value.connection_invalidated
    assert await execute_autocommit(docs, _INSERT, {"i": 2, "d": [2], "k": StepEventKind.NOTE}) == 1


async def test_a_cancelled_statement_does_not_return_its_connection_to_the_pool(docs: AsyncEngine) -> None:
    async with pooled_driver_connection(docs) as driver:
        first = await driver.fetchval("SELECT pg_backend_pid()")
    task = asyncio.create_task(fetch_one(docs, sa.select(sa.func.pg_sleep(5).label("slept")), {}))
    await asyncio.sleep(0.2)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    async with pooled_driver_connection(docs) as driver:
        assert await driver.fetchval("SELECT 1") == 1
        assert await driver.fetchval("SELECT pg_backend_pid()") != first
