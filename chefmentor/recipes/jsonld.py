"""schema.org Recipe JSON-LD → RecipeCreate: lenient reading, strict storing.

Only a missing name or no steps at all reject a recipe. An invalid optional field (a duration, a yield,
a difficulty, a step's heat) is dropped with a warning; every stored text is decoded, tag-free and bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from chefmentor.errors import ValidationError
from chefmentor.recipes.durations import iso_minutes
from chefmentor.recipes.guidance import apply_page_values, guidance_for_text
from chefmentor.recipes.identity import page_key
from chefmentor.recipes.ingredients import parse_ingredients
from chefmentor.recipes.instructions import RawStep, collect_steps, get_key
from chefmentor.recipes.jsonld_read import load_recipe_nodes, load_recipe_nodes_from_html, looks_like_html
from chefmentor.recipes.models import Difficulty
from chefmentor.recipes.schemas import RecipeCreate, RecipeStepCreate
from chefmentor.recipes.text_clean import clean_text, truncate
from chefmentor.recipes.yields import parse_yield

MAX_STEPS = 200
MAX_INSTRUCTION = 4000
MAX_MINUTES = 7 * 24 * 60


@dataclass
class ParsedRecipe:
    data: RecipeCreate
    warnings: list[str] = field(default_factory=list)


def load_jsonld_text(text: str, *, source: str = "input") -> list[dict[str, Any]]:
    """Every Recipe object found in a JSON-LD document (kept for callers of the old name)."""
    return load_recipe_nodes(text, source=source)


def _first_text(value: Any, max_length: int) -> str | None:
    if isinstance(value, list):
        return next((t for t in (_first_text(v, max_length) for v in value) if t), None)
    if isinstance(value, dict):
        for key in ("url", "contentUrl", "@id", "name", "text"):
            found = _first_text(get_key(value, key), max_length)
            if found:
                return found
        return None
    return clean_text(value, max_length)


def _url(value: Any) -> str | None:
    text = _first_text(value, 2048)
    if text is None or not text.lower().startswith(("http://", "https://")) or len(text) > 1024:
        return None
    return text.replace(" ", "%20")


def _minutes(node: dict[str, Any], key: str, warn: Any) -> int | None:
    value = get_key(node, key)
    if value in (None, "", []):
        return None
    minutes = iso_minutes(value)
    if minutes is None:
        warn(f"{key} {str(value)[:40]!r} dropped: not a duration")
    return minutes


def _difficulty(value: Any, warn: Any) -> Difficulty | None:
    if value in (None, ""):
        return None
    try:
        return Difficulty(str(value).strip().lower())
    except ValueError:
        warn(f"difficulty {str(value)[:30]!r} dropped: not easy, medium or hard")
        return None


def _step(raw: RawStep, warn: Any) -> RecipeStepCreate:
    text = raw.text
    if len(text) > MAX_INSTRUCTION:
        warn(f"a step of {len(text)} characters was cut to {MAX_INSTRUCTION}")
        text = truncate(text, MAX_INSTRUCTION)
    guidance = apply_page_values(guidance_for_text(text), raw.data, warn)
    expected_state = clean_text(raw.data.get("expectedState"), 100) if raw.data else None
    tips = [t for t in (clean_text(tip, 500) for tip in (raw.data.get("tips") or [] if raw.data else [])) if t]
    expected = guidance.minutes.high if guidance.minutes else None
    return RecipeStepCreate(
        instruction=text,
        title=truncate(raw.title, 200) if raw.title else None,
        expected_state=expected_state,
        expected_minutes=min(expected, 24 * 60) if expected is not None else None,
        heat=guidance.heat.level if guidance.heat else None,
        timer_seconds=guidance.timer.seconds if guidance.timer else None,
        tips=[*tips, *raw.tips][:20],
        section=raw.section,
        guidance=guidance,
    )


_ASIDE = re.compile(r"^(?:tips?|notes?|hint|astuce|tipp|consejo|nota)\s*[:\-–]", re.IGNORECASE)


def _without_asides(steps: list[RawStep], name: str) -> list[RawStep]:
    """A line repeating the recipe's name heads what follows; "Tip: …"/"Note: …" lines are the previous
    step's tips, not steps of their own."""
    kept: list[RawStep] = []
    for step in steps:
        if not step.text or step.text.casefold().rstrip(":") == name.casefold():
            continue
        if _ASIDE.match(step.text) and kept:
            kept[-1].tips.append(truncate(step.text, 500))
            continue
        kept.append(step)
    return kept


def parse_recipe_with_warnings(node: dict[str, Any], *, source: str = "input") -> ParsedRecipe:
    """Validate one Recipe node; only an unnamed recipe or one without steps is an error."""
    warnings: list[str] = []
    name = clean_text(get_key(node, "name") or get_key(node, "headline"), 150)
    if not name:
        raise ValidationError(f"{source}: the Recipe has no name")

    def warn(message: str) -> None:
        warnings.append(f"{name}: {message}")

    raw_steps = _without_asides(collect_steps(get_key(node, "recipeInstructions")), name)
    if not raw_steps:
        raise ValidationError(f"{source}: recipe {name!r} has no recipeInstructions")
    if len(raw_steps) > MAX_STEPS:
        warn(f"{len(raw_steps)} steps: only the first {MAX_STEPS} were kept")
    total = _minutes(node, "totalTime", warn)
    if total is None:
        parts = [_minutes(node, k, warn) for k in ("prepTime", "cookTime")]
        total = sum(p for p in parts if p) or None
    recipe_yield = parse_yield(get_key(node, "recipeYield") or get_key(node, "yield"))
    if recipe_yield is None and get_key(node, "recipeYield") not in (None, "", []):
        warn(f"recipeYield {str(get_key(node, 'recipeYield'))[:40]!r} dropped: no amount in it")
    main_entity = get_key(node, "mainEntityOfPage")
    page = main_entity.get("@id") if isinstance(main_entity, dict) else main_entity
    try:
        data = RecipeCreate(
            name=name,
            difficulty=_difficulty(get_key(node, "difficulty"), warn),
            estimated_time_min=min(total, MAX_MINUTES) if total else None,
            description=clean_text(get_key(node, "description"), 5000),
            servings=recipe_yield.servings if recipe_yield else None,
            yield_quantity=recipe_yield.quantity if recipe_yield else None,
            yield_quantity_max=recipe_yield.quantity_max if recipe_yield else None,
            yield_unit=recipe_yield.unit if recipe_yield else None,
            yield_text=recipe_yield.text if recipe_yield else None,
            source_url=_url(get_key(node, "url")) or _url(page),
            image_url=_url(get_key(node, "image")),
            source_key=page_key(get_key(node, "@id"), get_key(node, "url"), page),
            ingredients=parse_ingredients(get_key(node, "recipeIngredient") or get_key(node, "ingredients"), warn),
            steps=[_step(raw, warn) for raw in raw_steps[:MAX_STEPS]],
        )
    except PydanticValidationError as exc:  # a bound we did not foresee: name the field, store nothing
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValidationError(f"{source}: recipe {name!r}: {where}: {first['msg']}") from exc
    return ParsedRecipe(data, warnings)


def parse_recipe(node: dict[str, Any], *, source: str = "input") -> RecipeCreate:
    return parse_recipe_with_warnings(node, source=source).data


def parse_document(text: str, *, source: str = "input") -> list[ParsedRecipe]:
    """Every importable Recipe of one document. A Recipe without a name or steps beside good ones is left
    out with a warning on the first good one; when none is importable the first reason is the error."""
    parsed: list[ParsedRecipe] = []
    left_out: list[str] = []
    first_error: ValidationError | None = None
    for node in recipe_nodes(text, source=source):
        try:
            parsed.append(parse_recipe_with_warnings(node, source=source))
        except ValidationError as exc:
            first_error = first_error or exc
            left_out.append(f"left out: {exc.message.removeprefix(source + ': ')}")
    if first_error is not None and not parsed:
        raise first_error
    parsed[0].warnings.extend(left_out)
    return parsed


def recipe_nodes(text: str, *, source: str = "input") -> list[dict[str, Any]]:
    """Recipe objects of a JSON-LD document or of a saved HTML page's JSON-LD blocks."""
    if looks_like_html(text):
        return load_recipe_nodes_from_html(text, source=source)
    return load_recipe_nodes(text, source=source)
