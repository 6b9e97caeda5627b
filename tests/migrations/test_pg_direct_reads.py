"""Reads run straight on asyncpg (chefmentor/db/direct.py) give what SQLAlchemy's own execution gives."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import sqlalchemy as sa

from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.db.direct import fetch_one
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
