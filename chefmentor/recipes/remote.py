"""RecipeDB import and per-recipe pairing suggestions (the services behind the CLI and the pairings route)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.cache import Cache
from chefmentor.clock import Clock
from chefmentor.errors import NotFoundError
from chefmentor.recipes.foodoscope import FlavorSource, RecipeSource
from chefmentor.recipes.models import Recipe
from chefmentor.recipes.pairings import suggest_for

PAIRINGS_TTL_SECONDS = 3600


async def import_recipedb_recipe(
    session: AsyncSession, recipe_id: str, *, source: RecipeSource, cache: Cache, clock: Clock | None = None
) -> tuple[Recipe, str]:
    """Fetch one RecipeDB recipe and create or update it here (by name slug); returns (recipe, outcome)."""
    from chefmentor.recipes.service import upsert_recipe

    remote = await source.fetch_recipe(recipe_id, cache=cache)
    return await upsert_recipe(session, remote.data, cache=cache, clock=clock)


async def recipe_pairings(
    session: AsyncSession, recipe_id: uuid.UUID, *, cache: Cache, flavor: FlavorSource | None = None
) -> dict[str, Any]:
    """Pairings and substitutes for every ingredient of a recipe (FlavorDB when configured, else bundled)."""
    recipe = await session.get(Recipe, recipe_id)
    if recipe is None:
        raise NotFoundError("Recipe not found")
    items = []
    seen: set[str] = set()
    for raw in recipe.ingredients or []:
        name = str(raw.get("name") or raw.get("text") or "").strip()
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        suggestions = await suggest_for(name, flavor=flavor, cache=cache)
        items.append(suggestions.to_json())
    sources = {item["source"] for item in items if item["source"] != "none"}
    return {
        "recipeId": str(recipe.id),
        "recipeName": recipe.name,
        "source": "flavordb" if "flavordb" in sources else "bundled",
        "ingredients": items,
    }
