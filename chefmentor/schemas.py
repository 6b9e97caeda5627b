"""Base for API/IO models: camelCase on the wire, snake_case in Python.

Response models list every field as `required` in the OpenAPI document (a field with a default is still always
sent, as null or its default), so generated clients type them as present. Request models keep optional fields
optional. Property titles are the field name in words ("Preferred Units"): client generators build type names
from them, and pydantic's default from the camelCase alias gave names like `CookingHabitsPreferredunits`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


def field_title(name: str, _info: Any) -> str:
    return " ".join(part.capitalize() for part in name.split("_") if part)


class CamelModel(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        populate_by_name=True,
        from_attributes=True,
        json_schema_serialization_defaults_required=True,
        field_title_generator=field_title,
    )

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json", by_alias=True)


class StrictCamelModel(CamelModel):
    """Request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")
