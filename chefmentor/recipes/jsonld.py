"""schema.org Recipe JSON-LD → RecipeCreate (HowToStep/HowToSection, ISO-8601 durations, our step extensions)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from chefmentor.errors import ValidationError
from chefmentor.recipes.ingredients import parse_ingredient
from chefmentor.recipes.schemas import RecipeCreate, RecipeStepCreate

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024


def load_jsonld_text(text: str, *, source: str = "input") -> list[dict[str, Any]]:
    """Every Recipe object found in a JSON-LD document (top level, list or @graph)."""
    if len(text.encode("utf-8", "ignore")) > MAX_DOCUMENT_BYTES:
        raise ValidationError(f"{source}: JSON-LD document is larger than 2 MB")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(f"{source}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from exc
    recipes = list(_find_recipes(document))
    if not recipes:
        raise ValidationError(f'{source}: no schema.org Recipe object found (expected "@type": "Recipe")')
    return recipes


def _is_type(node: dict[str, Any], wanted: str) -> bool:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1].rsplit(":", 1)[-1] == wanted for k in kinds)


def _find_recipes(node: Any) -> Any:
    if isinstance(node, list):
        for item in node:
            yield from _find_recipes(item)
    elif isinstance(node, dict):
        if _is_type(node, "Recipe"):
            yield node
        elif "@graph" in node:
            yield from _find_recipes(node["@graph"])


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = next((v for v in value if v), None)
        return _text(value)
    if isinstance(value, dict):
        return _text(value.get("url") or value.get("@id") or value.get("name") or value.get("text"))
    cleaned = re.sub(r"<[^>]+>", " ", str(value))
    return " ".join(cleaned.split()) or None


def _minutes(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    import isodate

    try:
        parsed = isodate.parse_duration(str(value).strip())
    except (isodate.ISO8601Error, ValueError) as exc:
        raise ValidationError(f"{field}: {value!r} is not an ISO-8601 duration such as PT25M") from exc
    if not isinstance(parsed, timedelta):
        parsed = parsed.totimedelta(start=None) if hasattr(parsed, "totimedelta") else timedelta(0)
    return int(round(parsed.total_seconds() / 60))


def _servings(value: Any) -> int | None:
    values = value if isinstance(value, list) else [value]
    for item in values:
        if isinstance(item, int | float) and item > 0:
            return int(item)
        match = re.search(r"\d+", str(item or ""))
        if match:
            return int(match.group())
    return None


def _steps(instructions: Any) -> list[dict[str, Any]]:
    if instructions is None:
        return []
    if isinstance(instructions, str):
        parts = [p.strip() for p in re.split(r"\n+|(?<=\.)\s+(?=\d+\.)", instructions) if p.strip()]
        return [{"text": re.sub(r"^\d+[.)]\s*", "", p)} for p in parts]
    if isinstance(instructions, dict):
        instructions = [instructions]
    steps: list[dict[str, Any]] = []
    for item in instructions:
        if isinstance(item, str):
            steps.append({"text": item})
        elif isinstance(item, dict) and (_is_type(item, "HowToSection") or "itemListElement" in item):
            steps.extend(_steps(item.get("itemListElement")))
        elif isinstance(item, dict):
            steps.append(item)
    return steps


def _step(raw: dict[str, Any], index: int) -> dict[str, Any]:
    text = _text(raw.get("text")) or _text(raw.get("name"))
    if not text:
        raise ValidationError(f"recipeInstructions step {index}: has no text")
    title = _text(raw.get("name"))
    return {
        "instruction": text,
        "title": title if title and title != text else None,
        "expected_state": raw.get("expectedState"),
        "expected_minutes": raw.get("expectedMinutes"),
        "heat": raw.get("heat"),
        "timer_seconds": raw.get("timerSeconds"),
        "tips": raw.get("tips") or [],
    }


def parse_recipe(node: dict[str, Any], *, source: str = "input") -> RecipeCreate:
    """Validate one Recipe node; errors name the field so the file can be fixed."""
    name = _text(node.get("name"))
    if not name:
        raise ValidationError(f"{source}: the Recipe has no name")
    raw_steps = _steps(node.get("recipeInstructions"))
    if not raw_steps:
        raise ValidationError(f"{source}: recipe {name!r} has no recipeInstructions")
    ingredients = node.get("recipeIngredient") or node.get("ingredients") or []
    if isinstance(ingredients, str):
        ingredients = [ingredients]
    total = _minutes(node.get("totalTime"), "totalTime")
    if total is None:
        parts = [_minutes(node.get(k), k) for k in ("prepTime", "cookTime")]
        total = sum(p for p in parts if p) or None
    try:
        steps = [RecipeStepCreate.model_validate(_step(raw, i)) for i, raw in enumerate(raw_steps, start=1)]
        return RecipeCreate(
            name=name,
            difficulty=str(node["difficulty"]).lower() if node.get("difficulty") else None,
            estimated_time_min=total,
            description=_text(node.get("description")),
            servings=_servings(node.get("recipeYield")),
            source_url=_text(node.get("url")),
            image_url=_text(node.get("image")),
            ingredients=[parse_ingredient(str(line)) for line in ingredients if str(line).strip()],
            steps=steps,
        )
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationError(f"{source}: recipe {name!r}: {where}: {first['msg']}") from exc
