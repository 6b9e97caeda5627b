"""The hot recipe read: one row per recipe, its steps aggregated to JSON by the database.

A plain join returns one row per step, and every row repeats the recipe's columns (two JSON documents and
two timestamps to decode again): for an 8-step recipe that was ~35% of an uncached GET /api/recipes/{id}.
SQLite 3.40 has no ORDER BY inside aggregates, so steps are put in order after parsing.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from chefmentor.errors import NotFoundError
from chefmentor.recipes.models import Recipe, RecipeStep
from chefmentor.recipes.schemas import RecipeRead, RecipeStepRead

_RECIPES: sa.Table = Recipe.__table__  # type: ignore[attr-defined]
_STEPS: sa.Table = RecipeStep.__table__  # type: ignore[attr-defined]
_RECIPE_COLUMNS = [c for c in _RECIPES.columns if c.key in RecipeRead.model_fields]
_STEP_COLUMNS = [c for c in _STEPS.columns if c.key in RecipeStepRead.model_fields]


def _step_object(dialect: str) -> sa.ColumnElement[Any]:
    pairs: list[Any] = []
    for column in _STEP_COLUMNS:
        value: Any = column
        if column.key == "tips":
            value = (
                sa.func.coalesce(column, sa.literal_column("'[]'::jsonb"))
                if dialect == "postgresql"
                else sa.func.json(sa.func.coalesce(column, "[]"))  # embedded as JSON, not as a string
            )
        elif column.key == "guidance" and dialect != "postgresql":
            value = sa.func.json(column)  # NULL stays null
        pairs += [sa.literal(column.key), value]
    build = sa.func.json_build_object if dialect == "postgresql" else sa.func.json_object
    return build(*pairs)


def _statement(dialect: str) -> sa.Select[Any]:
    aggregate = sa.func.json_agg if dialect == "postgresql" else sa.func.json_group_array
    steps = sa.type_coerce(
        sa.select(aggregate(_step_object(dialect))).where(_STEPS.c.recipe_id == _RECIPES.c.id).scalar_subquery(),
        sa.JSON(),  # decoded like any JSON column (orjson on SQLite, the driver's codec on PostgreSQL)
    ).label("steps")
    return sa.select(*_RECIPE_COLUMNS, steps).where(_RECIPES.c.id == sa.bindparam("recipe_id"))


STATEMENTS = {name: _statement(name) for name in ("postgresql", "sqlite")}


def _statement_for(dialect: str) -> sa.Select[Any]:
    return STATEMENTS.get(dialect, STATEMENTS["sqlite"])


async def load_recipe_read(db: AsyncSession | AsyncEngine, recipe_id: uuid.UUID) -> RecipeRead:
    """Recipe and ordered steps in one round trip, one row, no ORM identity bookkeeping.

    Given an engine (routes that only read), a connection is taken for just this statement.
    """
    params = {"recipe_id": recipe_id}
    if isinstance(db, AsyncEngine):
        async with db.connect() as connection:
            row = (await connection.execute(_statement_for(connection.dialect.name), params)).mappings().first()
    else:
        connection = await db.connection()
        row = (await connection.execute(_statement_for(connection.dialect.name), params)).mappings().first()
    if row is None:
        raise NotFoundError("Recipe not found")
    return recipe_from_row(row)


def recipe_from_row(row: Mapping[str, Any]) -> RecipeRead:
    steps = list(row["steps"] or [])
    steps.sort(key=lambda step: step["step_number"])
    return RecipeRead.model_validate({**{c.key: row[c.key] for c in _RECIPE_COLUMNS}, "steps": steps})
