"""Profile shapes: the cook's habits (the only writable part) and computed history stats."""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import ConfigDict, Field, field_validator

from chefmentor.failure.schemas import DiagnosisCategory
from chefmentor.schemas import CamelModel, StrictCamelModel


class SkillLevel(enum.StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Units(enum.StrEnum):
    METRIC = "metric"
    IMPERIAL = "imperial"


MAX_LIST_ITEMS = 20
MAX_ITEM_CHARS = 40


def clean_labels(values: list[str]) -> list[str]:
    """Trim and collapse whitespace, drop duplicates (case-insensitive), refuse control characters."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        label = re.sub(r"\s+", " ", value).strip()
        if not label:
            continue
        if len(label) > MAX_ITEM_CHARS:
            raise ValueError(f"each item is at most {MAX_ITEM_CHARS} characters")
        if any(ord(ch) < 32 or ch == "\x7f" for ch in label):
            raise ValueError("items cannot contain control characters")
        if label.casefold() not in seen:
            seen.add(label.casefold())
            out.append(label)
    return out


class CookingHabits(CamelModel):
    skill_level: SkillLevel = SkillLevel.BEGINNER
    dietary_preferences: list[str] = Field(default_factory=list)
    equipment: list[str] = Field(default_factory=list)
    preferred_units: Units = Units.METRIC
    voice_enabled: bool = True

    @classmethod
    def from_stored(cls, data: dict[str, Any] | None) -> CookingHabits:
        """Read stored JSON leniently: unknown keys are ignored and bad values fall back to defaults."""
        habits = cls()
        for name in cls.model_fields:
            key = cls.model_fields[name].alias or name
            if data and key in data:
                try:
                    habits = cls.model_validate({**habits.model_dump(by_alias=True), key: data[key]})
                except ValueError:
                    continue
        return habits


# One habit label ("cast iron pan", "vegetarian"): whitespace is trimmed and collapsed, duplicates dropped.
Label = Annotated[str, Field(max_length=MAX_ITEM_CHARS, pattern=r"^[^\x00-\x1f\x7f]*$")]


class CookingHabitsUpdate(StrictCamelModel):
    """Only these five fields are writable (OWASP API3); omitted fields keep their stored value."""

    skill_level: SkillLevel | None = None
    dietary_preferences: list[Label] | None = Field(default=None, max_length=MAX_LIST_ITEMS)
    equipment: list[Label] | None = Field(default=None, max_length=MAX_LIST_ITEMS)
    preferred_units: Units | None = None
    voice_enabled: bool | None = None

    @field_validator("dietary_preferences", "equipment")
    @classmethod
    def _labels(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else clean_labels(value)


class ProfileUpdate(StrictCamelModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"cookingHabits": {"skillLevel": "intermediate", "equipment": ["cast iron pan"], "voiceEnabled": True}}
            ]
        }
    )

    cooking_habits: CookingHabitsUpdate


class CategoryCount(CamelModel):
    category: DiagnosisCategory
    count: int


class CookingStats(CamelModel):
    sessions_cooked: int = 0
    sessions_completed: int = 0
    sessions_abandoned: int = 0
    sessions_in_progress: int = 0
    completion_rate: float | None = None
    analyses_count: int = 0
    most_common_failure_categories: list[CategoryCount] = Field(default_factory=list)


class ProfileRead(CamelModel):
    """The cook's habits and stats. A demo session reads default habits (nothing is saved for it) and the
    stats of its own sessions and analyses; `editable` is false for it and PUT answers 403 DEMO_RESTRICTED."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cookingHabits": {
                        "skillLevel": "beginner",
                        "dietaryPreferences": ["vegetarian"],
                        "equipment": [],
                        "preferredUnits": "metric",
                        "voiceEnabled": True,
                    },
                    "stats": {
                        "sessionsCooked": 3,
                        "sessionsCompleted": 2,
                        "sessionsAbandoned": 0,
                        "sessionsInProgress": 1,
                        "completionRate": 1.0,
                        "analysesCount": 1,
                        "mostCommonFailureCategories": [{"category": "heat_too_high", "count": 1}],
                    },
                    "updatedAt": None,
                    "editable": True,
                }
            ]
        }
    )

    cooking_habits: CookingHabits
    stats: CookingStats
    updated_at: datetime | None = Field(default=None, description="When the habits were last saved (null: never)")
    editable: bool = Field(default=True, description="False for demo sessions: their habits cannot be saved")
