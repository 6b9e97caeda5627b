"""Statements run straight on asyncpg (chefmentor/db/direct.py) give what SQLAlchemy's own execution gives."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.cooking.models import StepEventKind
from chefmentor.db.direct import execute_autocommit, fetch_one
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


CREATE_DOCS = "CREATE TEMP TABLE direct_docs (id int PRIMARY KEY, doc json, kind varchar(32))"
_DOCS = sa.Table(
    "direct_docs",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("doc", sa.JSON),
    sa.Column("kind", enum_column(StepEventKind, "step_event_kind").type),
)


async def test_a_write_on_the_driver_applies_every_bind_processor_and_counts_rows(
    seeded: tuple[AppContext, list[uuid.UUID]],
) -> None:
    ctx, _ = seeded
    engine = autocommit_engine_of(ctx.sessions)
    assert engine is not None
    statements: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    async with engine.connect() as conn:
        await conn.execute(sa.text(CREATE_DOCS))
        statements.clear()
        insert = _DOCS.insert().values(id=sa.bindparam("i"), doc=sa.bindparam("d"), kind=sa.bindparam("k"))
        # "[1, 2]" is a JSON *string*: only SQLAlchemy's serializer keeps it one.
        assert await execute_autocommit(conn, insert, {"i": 1, "d": "[1, 2]", "k": StepEventKind.TIMER_STARTED}) == 1
        update = _DOCS.update().where(_DOCS.c.id == sa.bindparam("i")).values(doc=sa.bindparam("d"))
        assert await execute_autocommit(conn, update, {"i": 2, "d": {"a": 1}}) == 0
        assert statements == []  # both ran on the driver, not through SQLAlchemy's execution
        row = (await conn.execute(sa.select(_DOCS.c.doc, _DOCS.c.kind))).one()
        stored = (await conn.execute(sa.text("SELECT kind FROM direct_docs"))).scalar_one()
    assert (row.doc, row.kind) == ("[1, 2]", StepEventKind.TIMER_STARTED)
    assert stored == StepEventKind.TIMER_STARTED.value  # by value, as the column's processor writes it


async def test_a_write_the_server_refuses_raises_sqlalchemys_error_and_writes_nothing(
    seeded: tuple[AppContext, list[uuid.UUID]],
) -> None:
    from sqlalchemy.exc import IntegrityError

    ctx, _ = seeded
    engine = autocommit_engine_of(ctx.sessions)
    assert engine is not None
    async with engine.connect() as conn:
        await conn.execute(sa.text(CREATE_DOCS))
        insert = _DOCS.insert().values(id=sa.bindparam("i"), doc=sa.bindparam("d"), kind=sa.bindparam("k"))
        await execute_autocommit(conn, insert, {"i": 1, "d": [1], "k": StepEventKind.NOTE})
        with pytest.raises(IntegrityError):
            await execute_autocommit(conn, insert, {"i": 1, "d": [2], "k": StepEventKind.NOTE})
        rows = (await conn.execute(sa.select(_DOCS.c.doc))).scalars().all()
    assert rows == [[1]]
