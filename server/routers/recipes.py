"""GET /api/recipes (bounded pages, name search, difficulty) and GET /api/recipes/{id} with ordered steps.

Both answer the cached JSON bytes from the recipes service directly: no model round trip on a cache hit.
They take the Request rather than one dependency per resource (see server/deps.py): the hottest reads.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chefmentor.paging import MAX_PAGE_SIZE
from chefmentor.recipes import service
from chefmentor.recipes.models import Difficulty
from chefmentor.recipes.schemas import RecipePage, RecipeRead
from server.deps import actor_of, ctx_of, read_engine
from server.errors import AUTH_ERROR_RESPONSES, error_responses
from server.lean_route import LeanRoute

router = APIRouter(prefix="/api/recipes", tags=["recipes"], route_class=LeanRoute)

MAX_LIMIT = MAX_PAGE_SIZE
MAX_OFFSET = 1_000_000
NO_NUL = r"^[^\x00]*$"


@router.get("", response_model=RecipePage, responses=AUTH_ERROR_RESPONSES)
async def list_recipes(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    q: Annotated[
        str | None, Query(max_length=service.MAX_QUERY_LENGTH, pattern=NO_NUL, description="Name contains")
    ] = None,
    difficulty: Difficulty | None = None,
) -> Response:
    """Supported recipes, sorted by name; optional auth (a bad token is still a 401)."""
    ctx = ctx_of(request)
    actor_of(request)
    body = await service.list_recipes_json(
        read_engine(ctx),
        cache=ctx.cache,
        limit=limit,
        offset=offset,
        q=q,
        difficulty=difficulty,
        ttl_seconds=ctx.settings.server.recipe_cache_ttl_seconds,
    )
    return Response(body, media_type="application/json")


@router.get("/{recipe_id}", response_model=RecipeRead, responses={**AUTH_ERROR_RESPONSES, **error_responses(404)})
async def get_recipe(recipe_id: uuid.UUID, request: Request) -> Response:
    """One recipe with its ingredients and steps in order; optional auth (a bad token is still a 401)."""
    ctx = ctx_of(request)
    actor_of(request)
    body = await service.get_recipe_json(
        read_engine(ctx), recipe_id, cache=ctx.cache, ttl_seconds=ctx.settings.server.recipe_cache_ttl_seconds
    )
    return Response(body, media_type="application/json")
