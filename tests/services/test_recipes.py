from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.cache import MemoryCache
from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.errors import NotFoundError, ValidationError
from chefmentor.recipes.models import Difficulty, Recipe, RecipeStep
from chefmentor.recipes.schemas import RecipeRead
from chefmentor.recipes.seed import import_recipe_text, seed_recipes
from chefmentor.recipes.service import find_recipe, get_recipe, get_recipe_shared, list_recipes
from tests.conftest import FIXTURES_DIR

RECIPES = FIXTURES_DIR / "recipes"


async def _count(ctx: AppContext, model: type) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def _exercise(ctx: AppContext) -> None:
    async with ctx.session() as session:
        first = await seed_recipes(session, RECIPES, cache=ctx.cache)
        second = await seed_recipes(session, RECIPES, cache=ctx.cache)
    assert len(first.created) == 5 and not first.updated
    assert second.created == [] and second.updated == [] and len(second.unchanged) == 5
    steps_before = await _count(ctx, RecipeStep)

    async with ctx.session() as session:
        page = await list_recipes(session, cache=ctx.cache, limit=2, offset=0)
        assert page.total == 5 and len(page.items) == 2
        rest = await list_recipes(session, cache=ctx.cache, limit=10, offset=2)
        assert {i.name for i in page.items}.isdisjoint({i.name for i in rest.items})
        search = await list_recipes(session, cache=ctx.cache, q="PANCAKE")
        assert [i.name for i in search.items] == ["Fluffy Buttermilk Pancakes"]
        wild = await list_recipes(session, cache=ctx.cache, q="%")
        assert wild.total == 0
        easy = await list_recipes(session, cache=ctx.cache, difficulty=Difficulty.HARD)
        assert {i.difficulty for i in easy.items} == {Difficulty.HARD}

        rice = await find_recipe(session, "perfect stovetop rice", cache=ctx.cache)
        assert [s.step_number for s in rice.steps] == list(range(1, len(rice.steps) + 1))
        assert rice.steps[0].instruction
        assert (await get_recipe(session, rice.id, cache=ctx.cache)).id == rice.id
    assert await _count(ctx, RecipeStep) == steps_before
    await _steps_come_back_in_order_whatever_the_storage_order(ctx, rice)


async def _steps_come_back_in_order_whatever_the_storage_order(ctx: AppContext, rice: RecipeRead) -> None:
    """Renumber so the first-stored step is the last: the aggregated read must still sort by step number."""
    count = len(rice.steps)
    async with ctx.session() as session:
        for statement in (
            "UPDATE recipe_steps SET step_number = -step_number WHERE recipe_id = :id",
            "UPDATE recipe_steps SET step_number = :n + 1 + step_number WHERE recipe_id = :id",
        ):
            await session.execute(text(statement), {"id": _db_id(session, rice.id), "n": count})
        await session.commit()
        fresh = await get_recipe(session, rice.id, cache=MemoryCache())
    assert [s.step_number for s in fresh.steps] == list(range(1, count + 1))
    assert [s.instruction for s in fresh.steps] == [s.instruction for s in reversed(rice.steps)]
    assert [s.tips for s in fresh.steps] == [s.tips for s in reversed(rice.steps)]
    assert any(s.tips for s in fresh.steps) and any(s.heat for s in fresh.steps)
    assert fresh.model_dump(exclude={"steps"}) == rice.model_dump(exclude={"steps"})


def _db_id(session: AsyncSession, value: uuid.UUID) -> str | uuid.UUID:
    # SQLModel stores UUIDs as 32 hex characters on SQLite and as native uuid on PostgreSQL.
    return value.hex if session.bind is not None and session.bind.dialect.name == "sqlite" else value


async def test_seed_list_search_and_show_sqlite(app_ctx: AppContext) -> None:
    await _exercise(app_ctx)


@pytest.mark.pg
async def test_seed_list_search_and_show_postgresql(pg_settings: Settings) -> None:
    async with open_context(pg_settings) as ctx:
        await _exercise(ctx)


@pytest.mark.parametrize(("limit", "offset", "q"), [(0, 0, None), (101, 0, None), (10, -1, None), (10, 0, "a\x00b")])
async def test_bad_paging_is_a_validation_error(seeded_ctx: AppContext, limit: int, offset: int, q: str | None) -> None:
    async with seeded_ctx.session() as session:
        with pytest.raises(ValidationError):
            await list_recipes(session, cache=seeded_ctx.cache, limit=limit, offset=offset, q=q)


async def test_unknown_or_ambiguous_recipe(seeded_ctx: AppContext) -> None:
    async with seeded_ctx.session() as session:
        with pytest.raises(NotFoundError, match="recipes list"):
            await find_recipe(session, "beef wellington", cache=seeded_ctx.cache)
        with pytest.raises(NotFoundError):
            await find_recipe(session, "00000000-0000-0000-0000-000000000000", cache=seeded_ctx.cache)


async def test_reimport_updates_and_invalidates_cache(seeded_ctx: AppContext) -> None:
    path = RECIPES / "perfect-stovetop-rice.jsonld"
    doc = json.loads(path.read_text())
    doc["url"] = "https://example.org/rice"  # a page: edits of it are updates of the same recipe
    async with seeded_ctx.session() as session:
        first = await import_recipe_text(session, json.dumps(doc), cache=seeded_ctx.cache, source="page")
        before = await get_recipe(session, uuid.UUID(first.recipes[0]["id"]), cache=seeded_ctx.cache)
        doc["recipeInstructions"] = doc["recipeInstructions"][:2]
        doc["description"] = "Changed."
        report = await import_recipe_text(session, json.dumps(doc), cache=seeded_ctx.cache, source="edit")
        after = await get_recipe(session, before.id, cache=seeded_ctx.cache)
    assert first.created == ["Perfect Stovetop Rice"] and report.updated == ["Perfect Stovetop Rice"]
    assert after.description == "Changed." and len(after.steps) == 2
    assert before.slug != after.slug or before.slug.startswith("perfect-stovetop-rice")


async def test_the_shared_parse_is_reused_until_the_recipe_changes(seeded_ctx: AppContext) -> None:
    path = RECIPES / "perfect-stovetop-rice.jsonld"
    doc = json.loads(path.read_text())
    async with seeded_ctx.session() as session:
        rice = await find_recipe(session, "Perfect Stovetop Rice", cache=seeded_ctx.cache)
        first = await get_recipe_shared(session, rice.id, cache=seeded_ctx.cache)
        assert await get_recipe_shared(session, rice.id, cache=seeded_ctx.cache) is first
        doc["description"] = "Edited while cooking."
        await import_recipe_text(session, json.dumps(doc), cache=seeded_ctx.cache, source="edit")
        edited = await get_recipe_shared(session, rice.id, cache=seeded_ctx.cache)
    assert edited is not first and edited.description == "Edited while cooking."
    assert first.model_dump(exclude={"description", "updated_at"}) == edited.model_dump(
        exclude={"description", "updated_at"}
    )


async def test_unreadable_document_writes_nothing(seeded_ctx: AppContext) -> None:
    before = await _count(seeded_ctx, Recipe)
    async with seeded_ctx.session() as session:
        with pytest.raises(ValidationError, match="not valid JSON"):
            await import_recipe_text(session, '{"@type": "Recipe", "name": ', cache=seeded_ctx.cache, source="cut")
    assert await _count(seeded_ctx, Recipe) == before
