"""Recipes: cached reads (recipe steps TTL 1 h per spec), lookup by id/slug/name, import."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import orjson
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from chefmentor.cache import BoundedMemo, Cache
from chefmentor.clock import Clock, SystemClock
from chefmentor.errors import NotFoundError, ValidationError
from chefmentor.paging import check_page
from chefmentor.recipes.identity import content_key, page_key, short_hash, slugify
from chefmentor.recipes.models import Difficulty, Recipe, RecipeStep
from chefmentor.recipes.read_query import load_recipe_read
from chefmentor.recipes.schemas import (
    RecipeCreate,
    RecipePage,
    RecipeRead,
    RecipeStepCreate,
    RecipeSummary,
)

CACHE_PREFIX = "recipes:"
DEFAULT_TTL_SECONDS = 3600
MAX_QUERY_LENGTH = 100


def _check_query(limit: int, offset: int, q: str | None) -> None:
    check_page(limit, offset)
    if q is not None and (len(q) > MAX_QUERY_LENGTH or "\x00" in q):
        raise ValidationError(f"q must be at most {MAX_QUERY_LENGTH} characters without NUL bytes")


async def list_recipes_json(
    db: AsyncSession | AsyncEngine,
    *,
    cache: Cache,
    limit: int = 20,
    offset: int = 0,
    q: str | None = None,
    difficulty: Difficulty | None = None,
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
) -> bytes:
    """A page of recipes as camelCase JSON bytes; served from cache when warm (an engine is only
    connected to on a miss)."""
    _check_query(limit, offset, q)
    key = f"{CACHE_PREFIX}list:{limit}:{offset}:{difficulty or ''}:{(q or '').strip().lower()}"
    cached = await cache.get(key)
    if cached is not None:
        return cached
    if isinstance(db, AsyncEngine):
        async with AsyncSession(db) as session:
            page = await _query_page(session, limit=limit, offset=offset, q=q, difficulty=difficulty)
    else:
        page = await _query_page(db, limit=limit, offset=offset, q=q, difficulty=difficulty)
    body = orjson.dumps(page.to_json_dict())
    await cache.set(key, body, ttl_seconds)
    return body


async def list_recipes(session: AsyncSession, *, cache: Cache, **filters: Any) -> RecipePage:
    """A page of recipes (limit 1..100, offset ≥ 0, optional name search and difficulty)."""
    return RecipePage.model_validate(orjson.loads(await list_recipes_json(session, cache=cache, **filters)))


async def _query_page(
    session: AsyncSession, *, limit: int, offset: int, q: str | None, difficulty: Difficulty | None
) -> RecipePage:
    conditions: list[ColumnElement[bool]] = []
    if q and q.strip():
        pattern = "%" + q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        conditions.append(func.lower(Recipe.name).like(pattern, escape="\\"))
    if difficulty is not None:
        conditions.append(col(Recipe.difficulty) == difficulty)
    total = await session.scalar(select(func.count()).select_from(Recipe).where(*conditions))
    rows = await session.scalars(
        select(Recipe).where(*conditions).order_by(col(Recipe.name), col(Recipe.id)).limit(limit).offset(offset)
    )
    items = [RecipeSummary.model_validate(row) for row in rows]
    return RecipePage(items=items, total=int(total or 0), limit=limit, offset=offset)


async def get_recipe_json(
    db: AsyncSession | AsyncEngine, recipe_id: uuid.UUID, *, cache: Cache, ttl_seconds: int = DEFAULT_TTL_SECONDS
) -> bytes:
    """One recipe with ordered steps as JSON bytes; unknown id → NotFoundError. Routes that only read pass
    an engine: a cache hit then takes no connection and no session at all."""
    key = f"{CACHE_PREFIX}one:{recipe_id}"
    cached = await cache.get(key)
    if cached is not None:
        return cached
    body = orjson.dumps((await load_recipe_read(db, recipe_id)).to_json_dict())
    await cache.set(key, body, ttl_seconds)
    return body


async def get_recipe(session: AsyncSession, recipe_id: uuid.UUID, *, cache: Cache) -> RecipeRead:
    """One recipe with its ordered steps; unknown id → NotFoundError."""
    return RecipeRead.model_validate(orjson.loads(await get_recipe_json(session, recipe_id, cache=cache)))


SHARED_PARSES = 64
_shared: BoundedMemo[bytes, RecipeRead] = BoundedMemo(SHARED_PARSES)


async def get_recipe_shared(session: AsyncSession, recipe_id: uuid.UUID, *, cache: Cache) -> RecipeRead:
    """Like get_recipe, but parsed once per distinct cached body and shared: callers must not change it.

    Every cooking step event needs the recipe; validating the whole document each time was ~5% of one.
    Keyed by the cached bytes themselves, so an edited recipe (a new body) is parsed afresh.
    """
    body = await get_recipe_json(session, recipe_id, cache=cache)
    return _shared.get_or_compute(body, _parse_shared)


def _parse_shared(body: bytes) -> RecipeRead:
    return RecipeRead.model_validate(orjson.loads(body))


async def load_recipe_steps(session: AsyncSession, recipe_id: uuid.UUID) -> list[RecipeStep]:
    """Steps of one recipe in order (used by cooking and diagnosis)."""
    rows = await session.scalars(
        select(RecipeStep).where(col(RecipeStep.recipe_id) == recipe_id).order_by(col(RecipeStep.step_number))
    )
    return list(rows)


async def find_recipe(session: AsyncSession, id_or_name: str, *, cache: Cache) -> RecipeRead:
    """Resolve a UUID, slug, exact name, or a unique name prefix or substring (case-insensitive)."""
    text = id_or_name.strip()
    try:
        return await get_recipe(session, uuid.UUID(text), cache=cache)
    except ValueError:
        pass
    lowered = " ".join(text.lower().split())
    pattern = "%" + lowered.replace("\\", "").replace("%", "").replace("_", " ") + "%"
    rows = list(
        await session.scalars(
            select(Recipe).where(or_(col(Recipe.slug) == slugify(text), func.lower(Recipe.name).like(pattern)))
        )
    )
    # Best tier wins: exact slug/name, then name prefix, then any substring.
    exact = [r for r in rows if r.slug == slugify(text) or r.name.lower() == lowered]
    prefix = [r for r in rows if r.name.lower().startswith(lowered)]
    matches = exact or prefix or rows
    if not matches:
        raise NotFoundError(f"No recipe matches {text!r}: see `chefmentor recipes list`")
    if len(matches) > 1:
        names = ", ".join(sorted(r.name for r in matches))
        raise ValidationError(f"{text!r} matches several recipes ({names}): be more specific")
    return await get_recipe(session, matches[0].id, cache=cache)


def recipe_key(data: RecipeCreate) -> str:
    """The page the recipe came from, else a hash of its name, ingredients and steps."""
    return (
        data.source_key
        or page_key(None, data.source_url, None)
        or content_key(data.name, [i.text for i in data.ingredients], [s.instruction for s in data.steps])
    )


def _without_nul(data: RecipeCreate) -> RecipeCreate:
    """PostgreSQL text cannot hold NUL; whoever built `data`, it is stored without it (as SQLite would)."""
    dumped = data.model_dump(mode="json")
    cleaned = _strip_nul(dumped)
    return data if cleaned == dumped else RecipeCreate.model_validate(cleaned)


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    if isinstance(value, dict):
        return {k: _strip_nul(v) for k, v in value.items()}
    return value


def _fingerprint(data: RecipeCreate) -> bytes:
    return orjson.dumps(data.model_dump(mode="json", exclude={"source_key"}), option=orjson.OPT_SORT_KEYS)


def _create_from_row(recipe: Recipe, steps: Sequence[RecipeStep]) -> RecipeCreate:
    return RecipeCreate.model_validate(
        {
            **{k: getattr(recipe, k) for k in RecipeCreate.model_fields if k not in ("steps", "ingredients")},
            "ingredients": recipe.ingredients,
            "steps": [{k: getattr(s, k) for k in RecipeStepCreate.model_fields} for s in steps],
        }
    )


async def _find_by_key(session: AsyncSession, key: str, name: str) -> Recipe | None:
    recipe = await session.scalar(select(Recipe).where(col(Recipe.source_key) == key))
    if recipe is not None:
        return recipe
    # A recipe stored before identities existed (no key yet) is adopted when it has this exact name.
    legacy = await session.scalar(
        select(Recipe).where(col(Recipe.source_key).is_(None), col(Recipe.slug) == slugify(name, fallback=key))
    )
    return legacy if legacy is not None and legacy.name == name else None


async def _free_slug(session: AsyncSession, name: str, key: str) -> str:
    """The name's slug; a different recipe with the same name gets a stable suffix from its identity."""
    base = slugify(name, fallback=key)
    candidates = [base, f"{base[:150]}-{short_hash(key, 6)}"]
    candidates += [f"{base[:140]}-{short_hash(key, 6)}-{n}" for n in range(2, 50)]
    taken = set(await session.scalars(select(col(Recipe.slug)).where(col(Recipe.slug).in_(candidates))))
    return next(c for c in candidates if c not in taken)


async def upsert_recipe(
    session: AsyncSession,
    data: RecipeCreate,
    *,
    cache: Cache,
    clock: Clock | None = None,
    commit: bool = True,
) -> tuple[Recipe, str]:
    """Create or update a recipe by its identity (page URL / @id, else content hash), never by its name.

    Returns (recipe, created|updated|unchanged). With commit=False the caller commits (a file's recipes
    are written together or not at all) and drops the recipe cache after its commit.
    """
    now = (clock or SystemClock()).now()
    data = _without_nul(data)
    key = recipe_key(data)
    recipe = await _find_by_key(session, key, data.name)
    if recipe is not None:
        steps = await load_recipe_steps(session, recipe.id)
        if _fingerprint(_create_from_row(recipe, steps)) == _fingerprint(data) and recipe.source_key == key:
            return recipe, "unchanged"
        for step in steps:
            await session.delete(step)
        await session.flush()
        outcome = "updated"
        if recipe.name != data.name:
            recipe.slug = await _free_slug(session, data.name, key)
    else:
        recipe = Recipe(name=data.name, slug=await _free_slug(session, data.name, key), created_at=now)
        session.add(recipe)
        outcome = "created"
    for field in (
        "name",
        "difficulty",
        "estimated_time_min",
        "description",
        "servings",
        "source_url",
        "image_url",
        "yield_quantity",
        "yield_quantity_max",
        "yield_unit",
        "yield_text",
    ):
        setattr(recipe, field, getattr(data, field))
    recipe.source_key = key
    recipe.content_hash = content_key(
        data.name, [i.text for i in data.ingredients], [s.instruction for s in data.steps]
    ).removeprefix("hash:")
    recipe.ingredients = [i.model_dump(mode="json", exclude_none=True) for i in data.ingredients]
    recipe.updated_at = now
    await session.flush()
    for number, step_data in enumerate(data.steps, start=1):
        values = step_data.model_dump(exclude={"guidance"})
        guidance = step_data.guidance.to_storage() if step_data.guidance else None
        session.add(RecipeStep(recipe_id=recipe.id, step_number=number, guidance=guidance, **values))
    await session.flush()
    if commit:
        await session.commit()
        await cache.delete_prefix(CACHE_PREFIX)
    return recipe, outcome
