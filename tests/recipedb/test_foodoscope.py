"""RecipeDB/FlavorDB client with real httpx against the loopback fake; bundled pairing data offline."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select
from typer.testing import CliRunner

from chefmentor.cache import MemoryCache
from chefmentor.errors import ConfigError, NotFoundError
from chefmentor.recipes.foodoscope import FoodoscopeClient, RecipeDataUnavailableError, build_recipe_source
from chefmentor.recipes.models import Recipe, RecipeStep
from chefmentor.recipes.pairings import answer_question, load_flavor_data, match_ingredient, suggest_for
from chefmentor.recipes.remote import import_recipedb_recipe
from server.app import create_app
from tests.fakes.foodoscope import VALID_KEY, FakeFoodoscope, serve_foodoscope


async def _no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture
def fake() -> FakeFoodoscope:
    with serve_foodoscope() as server:
        yield server


def _client(fake: FakeFoodoscope, key: str = VALID_KEY) -> FoodoscopeClient:
    return FoodoscopeClient(base_url=fake.base_url, api_key=key, timeout=1.0, sleep=_no_sleep)


async def test_search_sends_bearer_key_and_caches(fake) -> None:
    cache = MemoryCache()
    results = await _client(fake).search_recipes("butter rice", cache=cache)
    assert [r.title for r in results] == ["Garlic Butter Rice"]
    assert results[0].id == "2610" and results[0].total_minutes == 25 and results[0].servings == 4
    assert fake.requests[0]["auth"] == f"Bearer {VALID_KEY}" and fake.requests[0]["query"] == {"title": "butter rice"}
    await _client(fake).search_recipes("butter rice", cache=cache)
    assert fake.count("/recipe2-api/recipe-bytitle") == 1, "second search served from the cache"


async def test_import_maps_title_ingredients_steps_and_times(fake, app_ctx) -> None:
    client = _client(fake)
    async with app_ctx.session() as session:
        recipe, outcome = await import_recipedb_recipe(session, "2610", source=client, cache=app_ctx.cache)
    assert outcome == "created" and recipe.name == "Garlic Butter Rice"
    async with app_ctx.session() as session:
        row = await session.get(Recipe, recipe.id)
        steps = list(await session.scalars(select(RecipeStep).where(RecipeStep.recipe_id == recipe.id)))
    assert row.estimated_time_min == 25 and row.servings == 4 and row.difficulty == "easy"
    assert [i["name"] for i in row.ingredients] == ["basmati rice", "butter", "garlic", "water"]
    assert row.ingredients[0]["quantity"] == 1.5 and row.ingredients[0]["unit"] == "cup"
    assert len(steps) == 4 and steps[1].instruction.startswith("Melt the butter")
    assert "2610" in (row.source_url or "")
    async with app_ctx.session() as session:
        _, again = await import_recipedb_recipe(session, "2610", source=client, cache=app_ctx.cache)
    assert again == "unchanged"


async def test_bad_and_missing_keys_name_the_setting(fake, settings) -> None:
    with pytest.raises(ConfigError) as bad:
        await _client(fake, key="wrong").search_recipes("rice", cache=MemoryCache())
    assert "FOODOSCOPE_API_KEY" in bad.value.message and "CHEFMENTOR_RECIPE_DATA__API_KEY" in bad.value.message
    with pytest.raises(ConfigError) as missing:
        FoodoscopeClient.from_settings(settings)
    assert "FOODOSCOPE_API_KEY" in missing.value.message
    assert build_recipe_source(settings) is None


async def test_retries_with_backoff_then_gives_up(fake) -> None:
    fake.modes = ["503", "429"]
    results = await _client(fake).search_recipes("rice", cache=MemoryCache())
    assert results and fake.count("/recipe2-api") == 3
    fake.modes = ["503", "503", "503"]
    with pytest.raises(RecipeDataUnavailableError):
        await _client(fake).search_recipes("garlic", cache=MemoryCache())
    with pytest.raises(NotFoundError):
        await _client(fake).fetch_recipe("999", cache=MemoryCache())


async def test_timeout_is_retried_and_reported(fake) -> None:
    fake.modes = ["slow", "slow", "slow"]
    with pytest.raises(RecipeDataUnavailableError, match="timed out"):
        await _client(fake).search_recipes("rice", cache=MemoryCache())


async def test_flavordb_pairings_with_fallback_to_bundled(fake) -> None:
    cache = MemoryCache()
    live = await suggest_for("3 cloves garlic, minced", flavor=_client(fake), cache=cache)
    assert live.source == "flavordb" and live.key == "garlic"
    assert [p.name for p in live.pairings] == ["onion", "leek"], "the ingredient itself is dropped"
    assert live.pairings[0].shared_molecules == 58
    assert live.substitutes, "substitutes stay bundled"
    fake.modes = ["503"] * 3
    down = await suggest_for("fresh thyme", flavor=_client(fake), cache=MemoryCache())
    assert down.source == "bundled" and "garlic" in [p.name for p in down.pairings]


def test_bundled_data_covers_every_fixture_ingredient() -> None:
    from chefmentor.recipes.jsonld import load_jsonld_text, parse_recipe
    from tests.conftest import FIXTURES_DIR

    missing = []
    for path in sorted((FIXTURES_DIR / "recipes").glob("*.jsonld")):
        for node in load_jsonld_text(path.read_text(), source=str(path)):
            for ingredient in parse_recipe(node, source=str(path)).ingredients:
                key = match_ingredient(ingredient.name)
                if key is None:
                    missing.append(f"{path.name}: {ingredient.name}")
                elif not load_flavor_data()[key].substitutes:
                    missing.append(f"{path.name}: {ingredient.name} has no substitute")
    assert missing == []


async def test_assistant_answers_substitution_and_pairing_questions() -> None:
    answer = await answer_question("What can I use instead of buttermilk?")
    assert answer and answer.startswith("Instead of buttermilk, use milk + 1 tbsp lemon juice")
    pairing = await answer_question("what goes well with chicken")
    assert pairing and "garlic" in pairing and "thyme" in pairing
    assert await answer_question("how long do I simmer the rice?") is None


async def test_pairings_endpoint_offline(seeded_ctx, settings) -> None:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            async with app.state.ctx.session() as session:
                recipe_id = await session.scalar(select(Recipe.id).where(Recipe.slug == "classic-banana-bread"))
            response = await client.get(f"/api/recipes/{recipe_id}/pairings")
            missing = await client.get(f"/api/recipes/{uuid.uuid4()}/pairings")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["source"] == "bundled" and body["recipeName"] == "Classic Banana Bread"
    banana = next(item for item in body["ingredients"] if item["key"] == "banana")
    assert {"cinnamon", "walnut"} <= {p["name"] for p in banana["pairings"]}
    assert banana["substitutes"][0]["name"] == "unsweetened applesauce"
    assert all(item["key"] for item in body["ingredients"])
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"


def test_cli_search_and_import_from_recipedb(fake, settings, monkeypatch) -> None:
    from cli.main import app

    monkeypatch.setenv("CHEFMENTOR_HOME", str(settings.home))
    monkeypatch.setenv("CHEFMENTOR_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CHEFMENTOR_ENV", "test")
    monkeypatch.setenv("CHEFMENTOR_JWT_SECRET", settings.jwt_secret)
    monkeypatch.setenv("CHEFMENTOR_RECIPE_DATA__BASE_URL", fake.base_url)
    runner = CliRunner()
    no_key = runner.invoke(app, ["recipes", "search", "rice", "--source", "recipedb"])
    assert no_key.exit_code == 3 and "FOODOSCOPE_API_KEY" in no_key.output
    monkeypatch.setenv("FOODOSCOPE_API_KEY", VALID_KEY)
    found = runner.invoke(app, ["--json", "recipes", "search", "butter rice", "--source", "recipedb"])
    assert found.exit_code == 0, found.output
    assert json.loads(found.stdout)["items"][0]["id"] == "2610"
    imported = runner.invoke(app, ["--json", "recipes", "import", "--source", "recipedb", "2610"])
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["outcome"] == "created"
    local = runner.invoke(app, ["--json", "recipes", "search", "garlic butter"])
    assert [i["title"] for i in json.loads(local.stdout)["items"]] == ["Garlic Butter Rice"]
    monkeypatch.setenv("FOODOSCOPE_API_KEY", "nope")
    bad = runner.invoke(app, ["recipes", "import", "--source", "recipedb", "2610"])
    assert bad.exit_code == 3 and "rejected the API key" in bad.output


def test_settings_alias_reaches_the_client(settings) -> None:
    tuned = settings.model_copy(
        update={"recipe_data": settings.recipe_data.model_copy(update={"api_key": SecretStr("k")})}
    )
    client = build_recipe_source(tuned)
    assert isinstance(client, FoodoscopeClient) and client.base_url == "https://api.foodoscope.com"


def test_voice_assistant_uses_bundled_pairings() -> None:
    from chefmentor.voice.knowledge import answer_question as voice_answer

    answer = voice_answer("what goes well with garlic?", None, None)
    assert answer.startswith("Garlic goes well with") and "thyme" in answer
