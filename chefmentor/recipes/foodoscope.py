"""RecipeDB and FlavorDB (Foodoscope API) behind small protocols, with bearer auth, timeouts, retries with
backoff, and responses cached through the app cache (Redis when configured).

Endpoints (as Foodoscope's API documents and clients use them):
  GET /recipe2-api/recipe-bytitle/recipeByTitle?title=T  -> {"success", "message", "data": [recipe summary]}
  GET /recipe2-api/search-recipe/{id}                    -> {"recipe": {...}, "ingredients": [{...}]}
  GET /recipe2-api/instructions/{id}                     -> {"steps": ["...", ...]}
  GET /flavordb/food/by-alias?food_pair=NAME             -> {"entityId", "topSimilarEntities": [{entityName,
                                                             category, similarMolecules, wikipedia}]}
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson

from chefmentor.cache import Cache
from chefmentor.config import Settings
from chefmentor.errors import ConfigError, NotFoundError, ServiceUnavailableError, ValidationError
from chefmentor.recipes.models import Difficulty
from chefmentor.recipes.schemas import Ingredient, RecipeCreate, RecipeStepCreate

log = logging.getLogger("chefmentor.recipes.foodoscope")

KEY_HINT = "set FOODOSCOPE_API_KEY (or CHEFMENTOR_RECIPE_DATA__API_KEY)"
SEARCH_PATH = "/recipe2-api/recipe-bytitle/recipeByTitle"
DETAIL_PATH = "/recipe2-api/search-recipe/{id}"
INSTRUCTIONS_PATH = "/recipe2-api/instructions/{id}"
PAIRING_PATH = "/flavordb/food/by-alias"
CACHE_PREFIX = "foodoscope:"
SEARCH_TTL_SECONDS = 3600
DETAIL_TTL_SECONDS = 24 * 3600
MAX_ATTEMPTS = 3
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_RETRY_AFTER_SECONDS = 5.0
MAX_RESPONSE_BYTES = 5 * 1024 * 1024


class RecipeDataUnavailableError(ServiceUnavailableError):
    code = "RECIPE_DATA_UNAVAILABLE"
    default_message = "RecipeDB/FlavorDB is unavailable right now, try again shortly"


@dataclass(frozen=True, slots=True)
class RemoteRecipeSummary:
    id: str
    title: str
    region: str | None = None
    total_minutes: int | None = None
    servings: int | None = None
    image_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "region": self.region,
            "totalMinutes": self.total_minutes,
            "servings": self.servings,
            "imageUrl": self.image_url,
        }


@dataclass(frozen=True, slots=True)
class FlavorEntity:
    name: str
    category: str | None = None
    shared_molecules: int | None = None
    url: str | None = None


@dataclass(slots=True)
class RemoteRecipe:
    id: str
    data: RecipeCreate
    extra: dict[str, Any] = field(default_factory=dict)


class RecipeSource(Protocol):
    async def search_recipes(self, text: str, *, cache: Cache, limit: int = 10) -> list[RemoteRecipeSummary]: ...
    async def fetch_recipe(self, recipe_id: str, *, cache: Cache) -> RemoteRecipe: ...


class FlavorSource(Protocol):
    async def similar_entities(self, ingredient: str, *, cache: Cache) -> list[FlavorEntity]: ...


def api_key_of(settings: Settings) -> str | None:
    secret = settings.recipe_data.api_key
    value = secret.get_secret_value().strip() if secret is not None else ""
    return value or None


class FoodoscopeClient:
    """RecipeDB + FlavorDB over httpx; one short-lived connection pool per call burst."""

    name = "foodoscope"

    def __init__(self, *, base_url: str, api_key: str, timeout: float, sleep: Any = asyncio.sleep) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.timeout = timeout
        self._sleep = sleep

    @classmethod
    def from_settings(cls, settings: Settings) -> FoodoscopeClient:
        key = api_key_of(settings)
        if key is None:
            raise ConfigError(f"No RecipeDB/FlavorDB API key: {KEY_HINT}")
        return cls(base_url=settings.recipe_data.base_url, api_key=key, timeout=settings.recipe_data.timeout_seconds)

    async def _get(self, path: str, params: dict[str, str] | None, *, cache: Cache, ttl: int) -> Any:
        raw_key = path + "?" + "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        key = CACHE_PREFIX + hashlib.sha256(raw_key.encode()).hexdigest()[:32]
        cached = await cache.get(key)
        if cached is not None:
            return orjson.loads(cached)
        body = await self._fetch(path, params)
        await cache.set(key, body, ttl)
        return orjson.loads(body)

    async def _fetch(self, path: str, params: dict[str, str] | None) -> bytes:
        import httpx

        headers = {"Authorization": f"Bearer {self._api_key}", "Accept": "application/json"}
        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, 5.0))
        async with httpx.AsyncClient(base_url=self.base_url, headers=headers, timeout=timeout) as client:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    response = await client.get(path, params=params)
                except httpx.TimeoutException as exc:
                    error: Exception = RecipeDataUnavailableError(
                        f"Foodoscope timed out after {self.timeout:g} s ({type(exc).__name__})"
                    )
                    delay = _backoff(attempt)
                except httpx.TransportError as exc:
                    error = RecipeDataUnavailableError(f"Foodoscope is unreachable at {self.base_url}: {exc}")
                    delay = _backoff(attempt)
                else:
                    status = response.status_code
                    if status in (401, 403):
                        raise ConfigError(f"Foodoscope rejected the API key (HTTP {status}): {KEY_HINT}")
                    if status == 404:
                        raise NotFoundError("RecipeDB has no such recipe")
                    if status in RETRY_STATUSES:
                        error = RecipeDataUnavailableError(f"Foodoscope answered HTTP {status}")
                        delay = _retry_after(response.headers.get("retry-after")) or _backoff(attempt)
                    elif status >= 400:
                        raise RecipeDataUnavailableError(f"Foodoscope answered HTTP {status}")
                    else:
                        if len(response.content) > MAX_RESPONSE_BYTES:
                            raise RecipeDataUnavailableError("Foodoscope answered with an oversized body")
                        try:
                            orjson.loads(response.content)
                        except orjson.JSONDecodeError as exc:
                            raise RecipeDataUnavailableError("Foodoscope answered with invalid JSON") from exc
                        return response.content
                if attempt < MAX_ATTEMPTS:
                    log.info("foodoscope retry", extra={"path": path, "attempt": attempt, "error": str(error)})
                    await self._sleep(delay)
            raise error

    async def search_recipes(self, text: str, *, cache: Cache, limit: int = 10) -> list[RemoteRecipeSummary]:
        query = " ".join(text.split())
        if not query or len(query) > 100:
            raise ValidationError("Search text must be 1-100 characters")
        body = await self._get(SEARCH_PATH, {"title": query}, cache=cache, ttl=SEARCH_TTL_SECONDS)
        items = _list_of(body, "data") or _list_of(_dict_of(body, "payload"), "data")
        results = [_summary(item) for item in items if isinstance(item, dict)]
        return [r for r in results if r is not None][: max(1, limit)]

    async def fetch_recipe(self, recipe_id: str, *, cache: Cache) -> RemoteRecipe:
        clean = _clean_id(recipe_id)
        detail = await self._get(DETAIL_PATH.format(id=clean), None, cache=cache, ttl=DETAIL_TTL_SECONDS)
        try:
            steps_body = await self._get(INSTRUCTIONS_PATH.format(id=clean), None, cache=cache, ttl=DETAIL_TTL_SECONDS)
        except NotFoundError:
            steps_body = {}
        return map_recipe(clean, detail, steps_body, source_url=f"{self.base_url}{DETAIL_PATH.format(id=clean)}")

    async def similar_entities(self, ingredient: str, *, cache: Cache) -> list[FlavorEntity]:
        name = " ".join(ingredient.lower().split())[:80]
        if not name:
            return []
        try:
            body = await self._get(PAIRING_PATH, {"food_pair": name}, cache=cache, ttl=DETAIL_TTL_SECONDS)
        except NotFoundError:
            return []
        entities = []
        for item in _list_of(body, "topSimilarEntities"):
            if not isinstance(item, dict):
                continue
            entity_name = item.get("entityName") or item.get("entity_name")
            if not isinstance(entity_name, str) or not entity_name.strip():
                continue
            molecules = item.get("similarMolecules", item.get("similar_molecules"))
            entities.append(
                FlavorEntity(
                    name=entity_name.strip()[:100],
                    category=_text(item.get("category")),
                    shared_molecules=_int(molecules),
                    url=_text(item.get("wikipedia")),
                )
            )
        return entities


def _backoff(attempt: int) -> float:
    ceiling = 0.25 * (2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter


def _retry_after(value: str | None) -> float | None:
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return min(seconds, MAX_RETRY_AFTER_SECONDS) if seconds is not None and seconds >= 0 else None


def _clean_id(recipe_id: str) -> str:
    clean = recipe_id.strip()
    if not clean or len(clean) > 40 or not all(ch.isalnum() or ch in "-_" for ch in clean):
        raise ValidationError("A RecipeDB id is 1-40 letters, digits, '-' or '_'")
    return clean


def _dict_of(body: Any, key: str) -> Any:
    return body.get(key) if isinstance(body, dict) else None


def _list_of(body: Any, key: str) -> list[Any]:
    value = body.get(key) if isinstance(body, dict) else None
    return value if isinstance(value, list) else []


def _text(value: Any, limit: int = 1024) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text[:limit] or None


def _int(value: Any) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(round(number)) if number >= 0 else None


def _summary(item: dict[str, Any]) -> RemoteRecipeSummary | None:
    rid = _text(item.get("Recipe_id") or item.get("recipe_id") or item.get("_id"), 40)
    title = _text(item.get("Recipe_title") or item.get("recipeTitle") or item.get("title"), 150)
    if rid is None or title is None:
        return None
    return RemoteRecipeSummary(
        id=rid,
        title=title,
        region=_text(item.get("Region") or item.get("Sub_region"), 100),
        total_minutes=_int(item.get("total_time")),
        servings=_int(item.get("servings")),
        image_url=_text(item.get("img_url")),
    )


def _difficulty(steps: int, minutes: int | None) -> Difficulty:
    if steps <= 6 and (minutes or 0) <= 30:
        return Difficulty.EASY
    if steps <= 12 and (minutes or 0) <= 90:
        return Difficulty.MEDIUM
    return Difficulty.HARD


def _ingredient(item: dict[str, Any]) -> Ingredient | None:
    from chefmentor.recipes.ingredients import parse_ingredient

    phrase = _text(item.get("ingredient_Phrase") or item.get("ingredient_phrase"), 300)
    name = _text(item.get("ingredient") or item.get("name"), 200)
    if phrase is None and name is None:
        return None
    parsed = parse_ingredient(phrase or name or "")
    unit = _text(item.get("unit"), 30) or parsed.unit
    quantity = parsed.quantity
    raw_quantity = item.get("quantity")
    if quantity is None and isinstance(raw_quantity, str | int | float) and raw_quantity != "":
        try:
            quantity = float(raw_quantity)
        except ValueError:
            quantity = None
    return Ingredient(
        text=(phrase or name or "")[:300],
        name=(name or parsed.name)[:200],
        quantity=quantity,
        unit=unit,
        note=_text(item.get("state"), 200) or parsed.note,
    )


def map_recipe(recipe_id: str, detail: Any, steps_body: Any, *, source_url: str) -> RemoteRecipe:
    """RecipeDB detail + instructions -> our RecipeCreate (title, ingredients, steps, times, servings)."""
    recipe = _dict_of(detail, "recipe")
    if not isinstance(recipe, dict):
        raise NotFoundError(f"RecipeDB has no recipe {recipe_id}")
    title = _text(recipe.get("Recipe_title") or recipe.get("title"), 150)
    if title is None:
        raise ValidationError(f"RecipeDB recipe {recipe_id} has no title")
    raw_steps = _list_of(steps_body, "steps") or _list_of(recipe, "instructions")
    steps = [
        RecipeStepCreate(instruction=text[:4000])
        for text in (" ".join(str(step).split()) for step in raw_steps if step is not None)
        if text
    ][:200]
    if not steps:
        raise ValidationError(f"RecipeDB recipe {recipe_id} has no instructions to cook from")
    ingredients = [i for i in (_ingredient(x) for x in _list_of(detail, "ingredients") if isinstance(x, dict)) if i]
    prep, cook = _int(recipe.get("prep_time")), _int(recipe.get("cook_time"))
    total = _int(recipe.get("total_time")) or ((prep or 0) + (cook or 0)) or None
    region = ", ".join(p for p in (_text(recipe.get("Sub_region")), _text(recipe.get("Continent"))) if p)
    servings = _int(recipe.get("servings"))
    data = RecipeCreate(
        name=title,
        difficulty=_difficulty(len(steps), total),
        estimated_time_min=min(total, 7 * 24 * 60) if total else None,
        description=f"Imported from RecipeDB (recipe {recipe_id}{'; ' + region if region else ''}).",
        servings=servings if servings and 1 <= servings <= 1000 else None,
        source_url=source_url[:1024],
        image_url=_text(recipe.get("img_url")),
        ingredients=ingredients[:200],
        steps=steps,
    )
    extra = {"prepMinutes": prep, "cookMinutes": cook, "processes": _split(recipe.get("Processes"))}
    return RemoteRecipe(id=recipe_id, data=data, extra=extra)


def _split(value: Any) -> list[str]:
    return [part.strip() for part in str(value).split("||") if part.strip()] if value else []


def build_recipe_source(settings: Settings) -> FoodoscopeClient | None:
    """The Foodoscope client with a key, else None (bundled data only)."""
    if settings.offline or api_key_of(settings) is None:
        return None
    return FoodoscopeClient.from_settings(settings)
