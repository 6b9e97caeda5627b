"""GET /api/recipes (bounded pages, name search, difficulty) and GET /api/recipes/{id} with ordered steps.

Both answer the recipes service's cached JSON bytes as they are (a Response declared with its model):
the cache holds the serialised page, so a hit costs no model validation and no serialisation. Reads only:
the engine is connected to on a cache miss alone. Every other route returns its model.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from chefmentor.paging import MAX_PAGE_SIZE
from chefmentor.recipes import service
from chefmentor.recipes.models import Difficulty
from chefmentor.recipes.schemas import RecipePage, RecipeRead
from server.deps import CtxDep, OptionalActorDep
from server.openapi_errors import errors
from server.openapi_security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/recipes", tags=["recipes"])

MAX_LIMIT = MAX_PAGE_SIZE
MAX_OFFSET = 1_000_000
NO_NUL = r"^[^\x00]*$"


@router.get("", operation_id="recipes_list", response_model=RecipePage, openapi_extra=OPTIONAL_AUTH)
async def list_recipes(
    ctx: CtxDep,
    _actor: OptionalActorDep,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    q: Annotated[
        str | None, Query(max_length=service.MAX_QUERY_LENGTH, pattern=NO_NUL, description="Name contains")
    ] = None,
    difficulty: Difficulty | None = None,
) -> Response:
    """Supported recipes, sorted by name; optional auth (a bad token is still a 401)."""
    body = await service.list_recipes_json(
        ctx.engine,
        cache=ctx.cache,
        limit=limit,
        offset=offset,
        q=q,
        difficulty=difficulty,
        ttl_seconds=ctx.settings.server.recipe_cache_ttl_seconds,
    )
    return Response(body, media_type="application/json")


@router.get(
    "/{recipe_id}",
    operation_id="recipes_get",
    response_model=RecipeRead,
    responses=errors("NOT_FOUND"),
    openapi_extra=OPTIONAL_AUTH,
)
async def get_recipe(recipe_id: uuid.UUID, ctx: CtxDep, _actor: OptionalActorDep) -> Response:
    """One recipe with its ingredients and steps in order; optional auth (a bad token is still a 401)."""
    body = await service.get_recipe_json(
        ctx.engine, recipe_id, cache=ctx.cache, ttl_seconds=ctx.settings.server.recipe_cache_ttl_seconds
    )
    return Response(body, media_type="application/json")
