from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from chefmentor.recipes.guidance import StepGuidance
from chefmentor.recipes.models import Difficulty, Heat
from chefmentor.schemas import CamelModel


class Ingredient(CamelModel):
    text: str = Field(max_length=300)
    name: str = Field(max_length=200)
    quantity: float | None = None
    quantity_max: float | None = None  # "2–3 cloves": quantity 2, quantityMax 3
    unit: str | None = Field(default=None, max_length=30)
    note: str | None = Field(default=None, max_length=200)
    section: str | None = Field(default=None, max_length=200)  # "For the sauce"


class RecipeStepRead(CamelModel):
    step_number: int
    title: str | None = None
    instruction: str
    expected_state: str | None = None
    expected_minutes: float | None = None
    heat: Heat | None = None
    timer_seconds: int | None = None
    tips: list[str] = Field(default_factory=list)
    section: str | None = None
    guidance: StepGuidance | None = None


class RecipeSummary(CamelModel):
    id: uuid.UUID
    name: str
    slug: str
    difficulty: Difficulty | None = None
    estimated_time_min: int | None = None
    description: str | None = None
    servings: int | None = None
    image_url: str | None = None


class RecipeRead(RecipeSummary):
    source_url: str | None = None
    yield_quantity: float | None = None
    yield_quantity_max: float | None = None
    yield_unit: str | None = None
    yield_text: str | None = None
    ingredients: list[Ingredient] = Field(default_factory=list)
    steps: list[RecipeStepRead] = Field(default_factory=list)
    created_at: datetime
    updated_at: datetime


class RecipePage(CamelModel):
    items: list[RecipeSummary]
    total: int
    limit: int
    offset: int


class RecipeStepCreate(CamelModel):
    instruction: str = Field(min_length=1, max_length=4000)
    title: str | None = Field(default=None, max_length=200)
    expected_state: str | None = Field(default=None, max_length=100)
    expected_minutes: float | None = Field(default=None, ge=0, le=24 * 60)
    heat: Heat | None = None
    timer_seconds: int | None = Field(default=None, ge=0, le=24 * 3600)
    tips: list[str] = Field(default_factory=list, max_length=20)
    section: str | None = Field(default=None, max_length=200)
    guidance: StepGuidance | None = None


class RecipeCreate(CamelModel):
    name: str = Field(min_length=1, max_length=150)
    difficulty: Difficulty | None = None
    estimated_time_min: int | None = Field(default=None, ge=0, le=7 * 24 * 60)
    description: str | None = Field(default=None, max_length=5000)
    servings: int | None = Field(default=None, ge=1, le=1000)
    source_url: str | None = Field(default=None, max_length=1024)
    image_url: str | None = Field(default=None, max_length=1024)
    # The page's own identity (its @id or canonical URL); without one the recipe is known by its content.
    source_key: str | None = Field(default=None, max_length=300)
    yield_quantity: float | None = Field(default=None, gt=0, le=100000)
    yield_quantity_max: float | None = Field(default=None, gt=0, le=100000)
    yield_unit: str | None = Field(default=None, max_length=60)
    yield_text: str | None = Field(default=None, max_length=200)
    ingredients: list[Ingredient] = Field(default_factory=list, max_length=200)
    steps: list[RecipeStepCreate] = Field(min_length=1, max_length=200)
