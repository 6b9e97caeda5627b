"""Identity, all-or-nothing files and batch import on SQLite and the real PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlmodel import col

from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.errors import ValidationError
from chefmentor.recipes.models import Recipe, RecipeStep
from chefmentor.recipes.schemas import RecipeCreate, RecipeStepCreate
from chefmentor.recipes.seed import import_files, import_recipe_text
from chefmentor.recipes.service import find_recipe, get_recipe, upsert_recipe

PAGES = Path(__file__).parent / "data" / "pages"


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_settings(request: pytest.FixtureRequest) -> Settings:
    return request.getfixturevalue("pg_settings" if request.param == "pg" else "settings")  # type: ignore[no-any-return]


@pytest.fixture
async def ctx(db_settings: Settings) -> AsyncIterator[AppContext]:
    async with open_context(db_settings) as context:
        yield context


def _recipe(name: str, url: str | None = None, steps: tuple[str, ...] = ("Fry 5 minutes.",), **extra: Any) -> dict:  # type: ignore[type-arg]
    doc: dict[str, Any] = {"@type": "Recipe", "name": name, "recipeInstructions": list(steps), **extra}
    if url:
        doc["url"] = url
    return doc


async def _import(ctx: AppContext, document: object, source: str = "test") -> list[tuple[str, str]]:
    async with ctx.session() as session:
        report = await import_recipe_text(session, json.dumps(document), cache=ctx.cache, source=source)
    return [(r["name"], r["outcome"]) for r in report.recipes]


async def _count(ctx: AppContext, model: type = Recipe) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_recipes_are_known_by_their_page_not_their_name(ctx: AppContext) -> None:
    one = _recipe("Korean Fried Chicken", "https://one.example/kfc", ("Fry twice.",))
    other = _recipe("Korean Fried Chicken", "https://other.example/chicken", ("Double fry.",))
    assert await _import(ctx, one) == [("Korean Fried Chicken", "created")]
    assert await _import(ctx, other) == [("Korean Fried Chicken", "created")]
    assert await _import(ctx, one) == [("Korean Fried Chicken", "unchanged")]
    tracked = {**one, "url": "http://www.one.example/kfc/?utm_source=feed"}  # the same page, written differently
    assert await _import(ctx, tracked) == [("Korean Fried Chicken", "updated")]  # its stored URL changed
    assert await _count(ctx) == 2
    edited = {**one, "recipeInstructions": ["Fry twice.", "Glaze."]}
    assert await _import(ctx, edited) == [("Korean Fried Chicken", "updated")]
    async with ctx.session() as session:
        slugs = sorted((await session.scalars(select(col(Recipe.slug)))).all())
    assert len(slugs) == 2 and slugs[0] == "korean-fried-chicken" and slugs[1].startswith("korean-fried-chicken-")
    async with ctx.session() as session:
        with pytest.raises(ValidationError, match="several recipes"):
            await find_recipe(session, "Korean Fried Chicken", cache=ctx.cache)
        assert (await find_recipe(session, slugs[1], cache=ctx.cache)).slug == slugs[1]


async def test_without_a_page_the_content_is_the_identity(ctx: AppContext) -> None:
    soup = _recipe("Soup", steps=("Simmer 20 minutes.",), recipeIngredient=["1 l stock"])
    assert await _import(ctx, soup) == [("Soup", "created")]
    assert await _import(ctx, {**soup, "description": "Better."}) == [("Soup", "updated")]  # same dish, new words
    assert await _import(ctx, {**soup, "recipeIngredient": ["2 l water"]}) == [("Soup", "created")]  # other dish
    # one file, two names that reduce to one slug: both are kept
    pair = [_recipe("Crème brûlée", steps=("Torch.",)), _recipe("Creme Brulee", steps=("Bake 40 minutes.",))]
    assert await _import(ctx, pair) == [("Crème brûlée", "created"), ("Creme Brulee", "created")]
    japanese = _recipe("簡単15分！温泉たまご", steps=("卵を70度の湯に15分入れる。",))
    assert await _import(ctx, japanese) == [("簡単15分！温泉たまご", "created")]
    assert await _import(ctx, japanese) == [("簡単15分！温泉たまご", "unchanged")]
    async with ctx.session() as session:
        egg = await find_recipe(session, "簡単15分！温泉たまご", cache=ctx.cache)
    assert egg.slug == "jian-dan-15-fen-wen-quan-ta-ma-go" and egg.steps[0].expected_minutes == 15
    assert await _count(ctx) == 5


async def test_a_recipe_stored_before_identities_is_adopted(ctx: AppContext) -> None:
    doc = _recipe("Old Favourite", steps=("Bake 30 minutes.",))
    await _import(ctx, doc)
    async with ctx.session() as session:
        await session.execute(text("UPDATE recipes SET source_key = NULL"))
        await session.commit()
    assert await _import(ctx, doc) == [("Old Favourite", "updated")]
    assert await _import(ctx, doc) == [("Old Favourite", "unchanged")]
    assert await _count(ctx) == 1


async def test_stored_guidance_sections_and_yield_round_trip(ctx: AppContext) -> None:
    doc = {
        **_recipe("Cookies", "https://cookies.example/x"),
        "recipeYield": ["24", "24 cookies"],
        "recipeIngredient": ["For the dough:", "2–3 cups flour", None],
        "recipeInstructions": [
            {"@type": "HowToSection", "name": "Bake", "itemListElement": ["Bake at 180°C for 10–12 minutes."]}
        ],
    }
    await _import(ctx, doc)
    async with ctx.session() as session:
        recipe = await find_recipe(session, "cookies", cache=ctx.cache)
        fresh = await get_recipe(session, recipe.id, cache=ctx.cache)
    (step,) = fresh.steps
    assert (step.section, step.expected_minutes, step.heat, step.timer_seconds) == ("Bake", 12, "oven", 600)
    assert step.guidance and step.guidance.minutes and step.guidance.minutes.source == "text"
    assert step.guidance.oven_temperature and step.guidance.oven_temperature.celsius == 180
    assert (fresh.yield_quantity, fresh.yield_unit, fresh.servings) == (24, "cookies", None)
    (flour,) = fresh.ingredients
    assert (flour.section, flour.quantity, flour.quantity_max, flour.unit) == ("For the dough", 2, 3, "cup")


async def test_a_file_is_written_whole_or_not_at_all(ctx: AppContext) -> None:
    """A database failure on the second recipe leaves no trace of the first (a real trigger raises it)."""
    pg = ctx.engine.dialect.name == "postgresql"
    create = (
        [
            "CREATE FUNCTION cmx_refuse_boom() RETURNS trigger AS $$ BEGIN "
            "IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER cmx_boom BEFORE INSERT ON recipes FOR EACH ROW EXECUTE FUNCTION cmx_refuse_boom()",
        ]
        if pg
        else [
            "CREATE TRIGGER cmx_boom BEFORE INSERT ON recipes WHEN NEW.name = 'Boom' "
            "BEGIN SELECT RAISE(ABORT, 'boom'); END"
        ]
    )
    drop = ["DROP TRIGGER cmx_boom ON recipes", "DROP FUNCTION cmx_refuse_boom()"] if pg else ["DROP TRIGGER cmx_boom"]
    async with ctx.session() as session:
        for statement in create:
            await session.execute(text(statement))
        await session.commit()
    try:
        document = [_recipe("Fine", "https://fine.example/"), _recipe("Boom", "https://boom.example/")]
        with pytest.raises(Exception, match="boom"):
            await _import(ctx, document)
        assert await _count(ctx) == 0 and await _count(ctx, RecipeStep) == 0
        folder = ctx.settings.home / "batch"
        folder.mkdir()
        (folder / "a.jsonld").write_text(json.dumps(document))
        (folder / "b.jsonld").write_text(json.dumps(_recipe("Fine", "https://fine.example/")))
        batch = await import_files(ctx.session, [folder], cache=ctx.cache)
        assert [(f.status, f.reason is not None) for f in batch.files] == [("skipped", True), ("imported", False)]
        assert "database refused" in (batch.files[0].reason or "")
        assert await _count(ctx) == 1
    finally:
        async with ctx.session() as session:
            for statement in drop:
                await session.execute(text(statement))
            await session.commit()


async def test_nul_characters_never_reach_the_database(ctx: AppContext) -> None:
    """PostgreSQL text refuses NUL: it used to fail the second recipe of a file with the first committed."""
    document = [
        _recipe("First", "https://nul.example/1"),
        _recipe(
            "Sec\u0000ond", "https://nul.example/2", ("Stir\u0000 well 2 minutes.",), recipeIngredient=["1\u0000 egg"]
        ),
    ]
    assert await _import(ctx, document) == [("First", "created"), ("Second", "created")]
    direct = RecipeCreate(name="Di\x00rect", steps=[RecipeStepCreate(instruction="Mix\x00.", tips=["t\x00"])])
    async with ctx.session() as session:
        recipe, outcome = await upsert_recipe(session, direct, cache=ctx.cache)
        stored = await get_recipe(session, recipe.id, cache=ctx.cache)
    assert outcome == "created" and stored.name == "Direct" and stored.steps[0].instruction == "Mix."
    async with ctx.session() as session:
        second = await find_recipe(session, "second", cache=ctx.cache)
    assert second.steps[0].instruction == "Stir well 2 minutes." and second.ingredients[0].text == "1 egg"


async def test_batch_import_of_a_folder_with_progress(ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted(PAGES.glob("*.jsonld")):
        (folder / page.name).write_bytes(page.read_bytes())
    (folder / "broken.json").write_text('{"@type": "Recipe", "name": ')
    (folder / "notes.txt").write_text("not a recipe file")
    (folder / "saved.html").write_text(
        f'<html><head><script type="application/ld+json">{json.dumps(_recipe("Saved page"))}</script></head></html>'
    )
    seen: list[tuple[int, int]] = []
    batch = await import_files(ctx.session, [folder], cache=ctx.cache, progress=lambda d, t, _r: seen.append((d, t)))
    counts = batch.counts()
    assert seen[-1] == (22, 22) and len(seen) == 22
    reasons = {Path(f.path).name: f.reason for f in batch.files if f.status == "skipped"}
    assert set(reasons) == {"broken.json", "eatwell101.jsonld"}
    assert "not valid JSON" in (reasons["broken.json"] or "") and "no recipeInstructions" in (
        reasons["eatwell101.jsonld"] or ""
    )
    # feastingathome and feastingathome_2 are the same page: the second is "unchanged"
    assert counts == {
        "files": 22, "imported": 19, "unchanged": 1, "skipped": 2, "created": 19, "updated": 0, "recipesUnchanged": 1,
    }  # fmt: skip
    again = (await import_files(ctx.session, [folder], cache=ctx.cache)).counts()
    assert (again["imported"], again["unchanged"], again["skipped"], again["created"]) == (0, 20, 2, 0)
    assert await _count(ctx) == 19
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValidationError, match="No recipe files"):
        await import_files(ctx.session, [tmp_path / "empty"], cache=ctx.cache)
    (missing,) = (await import_files(ctx.session, [tmp_path / "gone.jsonld"], cache=ctx.cache)).files
    assert (missing.status, missing.reason) == ("skipped", "no such file")
