from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from chefmentor.db.base import created_at_field, enum_field, fk_field, json_field, uuid_pk
from chefmentor.db.types import JSONType


class Difficulty(enum.StrEnum):
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"


class Heat(enum.StrEnum):
    OFF = "off"
    LOW = "low"
    MEDIUM_LOW = "medium_low"
    MEDIUM = "medium"
    MEDIUM_HIGH = "medium_high"
    HIGH = "high"
    OVEN = "oven"


class Recipe(SQLModel, table=True):
    __tablename__ = "recipes"
    __table_args__ = (sa.Index("idx_recipes_name", "name"),)

    id: uuid.UUID = uuid_pk()
    name: str = Field(max_length=150, nullable=False)
    slug: str = Field(max_length=160, unique=True)
    difficulty: Difficulty | None = enum_field(Difficulty, "recipe_difficulty", nullable=True)
    estimated_time_min: int | None = None
    description: str | None = None
    servings: int | None = None
    source_url: str | None = Field(default=None, max_length=1024)
    image_url: str | None = Field(default=None, max_length=1024)
    ingredients: list[dict[str, Any]] = json_field(default_factory=list)
    # Identity of an imported recipe: its page (URL / @id) or, without one, a hash of its content.
    source_key: str | None = Field(default=None, max_length=300, unique=True)
    content_hash: str | None = Field(default=None, max_length=64)
    # "24 cookies", "1 loaf", "4–6 servings": quantity (and range end) plus unit; servings stays for people.
    yield_quantity: float | None = None
    yield_quantity_max: float | None = None
    yield_unit: str | None = Field(default=None, max_length=60)
    yield_text: str | None = Field(default=None, max_length=200)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class RecipeStep(SQLModel, table=True):
    __tablename__ = "recipe_steps"
    __table_args__ = (
        sa.Index("idx_steps_recipe", "recipe_id"),
        sa.UniqueConstraint("recipe_id", "step_number", name="uq_recipe_steps_recipe_id_step_number"),
    )

    id: uuid.UUID = uuid_pk()
    recipe_id: uuid.UUID = fk_field("recipes.id", nullable=False, index=False)
    step_number: int = Field(nullable=False)
    title: str | None = Field(default=None, max_length=200)
    instruction: str = Field(sa_column=sa.Column(sa.Text, nullable=False))
    expected_state: str | None = Field(default=None, max_length=100)
    expected_minutes: float | None = None
    heat: Heat | None = enum_field(Heat, "step_heat", nullable=True)
    timer_seconds: int | None = None
    tips: list[str] = json_field(default_factory=list)
    section: str | None = Field(default=None, max_length=200)
    # Where expected minutes/heat/timer came from and what else the text says (guidance.StepGuidance).
    guidance: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(JSONType, nullable=True))
