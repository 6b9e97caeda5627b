"""GET /api/recipes/{recipe_id}/pairings: pairing and substitution ideas for each ingredient of a recipe."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from pydantic import Field

from chefmentor.recipes.remote import recipe_pairings
from chefmentor.schemas import CamelModel
from server.deps import CtxDep, DbDep, OptionalActorDep
from server.openapi_errors import errors
from server.openapi_security import OPTIONAL_AUTH

router = APIRouter(prefix="/api/recipes", tags=["recipes"])


class PairingRead(CamelModel):
    name: str
    category: str | None = None
    shared_molecules: int | None = Field(default=None, description="Flavour molecules shared (FlavorDB only)")


class SubstituteRead(CamelModel):
    name: str
    ratio: str | None = None
    note: str | None = None


class IngredientPairingsRead(CamelModel):
    ingredient: str
    key: str | None = Field(default=None, description="Canonical ingredient matched in the pairing data")
    source: str = Field(description="flavordb, bundled, or none when nothing is known")
    pairings: list[PairingRead]
    substitutes: list[SubstituteRead]


class RecipePairingsRead(CamelModel):
    recipe_id: uuid.UUID
    recipe_name: str
    source: str
    ingredients: list[IngredientPairingsRead]


@router.get(
    "/{recipe_id}/pairings",
    response_model=RecipePairingsRead,
    operation_id="recipes_pairings",
    responses=errors("NOT_FOUND"),
    openapi_extra=OPTIONAL_AUTH,
)
async def get_recipe_pairings(
    recipe_id: uuid.UUID, db: DbDep, ctx: CtxDep, _actor: OptionalActorDep
) -> RecipePairingsRead:
    """What goes with each ingredient (FlavorDB with a key, bundled data otherwise) and what can replace it."""
    from chefmentor.recipes.foodoscope import build_recipe_source

    source = ctx.extras.get("recipe_source", _MISSING)
    if source is _MISSING:
        source = build_recipe_source(ctx.settings)
        ctx.extras["recipe_source"] = source
    data = await recipe_pairings(db, recipe_id, cache=ctx.cache, flavor=source)
    return RecipePairingsRead.model_validate(data)


_MISSING = object()
