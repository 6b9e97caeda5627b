"""Scale a recipe by a factor or to a wanted yield ("24 cookies" → 36), with amounts a cook can measure.

Spoons and cups round to eighths and quarters, grams and millilitres to sensible steps, counted things
(eggs, cloves) to halves; a pinch stays a pinch. Times and temperatures do not scale and are left as they are.
"""

from __future__ import annotations

from fractions import Fraction

from chefmentor.errors import ValidationError
from chefmentor.recipes.schemas import Ingredient, RecipeRead

MIN_FACTOR, MAX_FACTOR = 0.05, 50.0
_SPOONS = {"teaspoon", "tablespoon"}
_CUPS = {"cup", "pint", "quart", "ounce", "fluid ounce", "pound"}
_METRIC = {"gram", "milliliter", "centiliter", "deciliter", "liter", "kilogram", "milligram"}
_UNSCALED = {"pinch", "dash", "drop"}


def _round_to(value: float, step: float) -> float:
    return max(step, round(value / step) * step)


def sensible_amount(quantity: float, unit: str | None) -> float:
    """`quantity` rounded the way the unit is measured in a kitchen."""
    if unit in _SPOONS:
        return _round_to(quantity, 0.125)
    if unit in _CUPS:
        return _round_to(quantity, 0.25)
    if unit in _METRIC:
        step = 0.5 if quantity < 10 else 1 if quantity < 100 else 5 if quantity < 1000 else 10
        return _round_to(quantity, step)
    return _round_to(quantity, 0.5)  # counted: eggs, cloves, cans


def format_amount(value: float) -> str:
    """1.5 → "1 1/2", 0.25 → "1/4", 3.0 → "3", 2.3 → "2.3"."""
    whole = int(value)
    fraction = Fraction(value - whole).limit_denominator(8)
    if abs(float(fraction) - (value - whole)) > 0.01:
        return f"{value:g}"
    if fraction == 0:
        return str(whole)
    if fraction == 1:
        return str(whole + 1)
    return f"{whole} {fraction}" if whole else str(fraction)


def _scale_ingredient(item: Ingredient, factor: float) -> Ingredient:
    if item.quantity is None or item.unit in _UNSCALED:
        return item
    quantity = sensible_amount(item.quantity * factor, item.unit)
    quantity_max = sensible_amount(item.quantity_max * factor, item.unit) if item.quantity_max else None
    amount = format_amount(quantity) + (f"–{format_amount(quantity_max)}" if quantity_max else "")
    words = [amount, item.unit or "", item.name]
    text = " ".join(w for w in words if w) + (f", {item.note}" if item.note else "")
    return item.model_copy(update={"quantity": quantity, "quantity_max": quantity_max, "text": text[:300]})


def scale_recipe(recipe: RecipeRead, *, factor: float | None = None, target: float | None = None) -> RecipeRead:
    """A copy with ingredients and yield scaled by `factor`, or by `target` / the recipe's yield."""
    base = recipe.yield_quantity or (float(recipe.servings) if recipe.servings else None)
    if factor is None:
        if target is None:
            raise ValidationError("Give a factor or a target yield to scale to")
        if not base:
            raise ValidationError(f"{recipe.name!r} states no yield to scale from: give a factor instead")
        factor = target / base
    if not MIN_FACTOR <= factor <= MAX_FACTOR:
        raise ValidationError(f"A scale factor must be between {MIN_FACTOR} and {MAX_FACTOR:g}")
    update: dict[str, object] = {"ingredients": [_scale_ingredient(i, factor) for i in recipe.ingredients]}
    if recipe.yield_quantity:
        quantity = round(recipe.yield_quantity * factor, 2)
        update["yield_quantity"] = quantity
        update["yield_quantity_max"] = (
            round(recipe.yield_quantity_max * factor, 2) if recipe.yield_quantity_max else None
        )
        unit = recipe.yield_unit or ""
        update["yield_text"] = f"{format_amount(quantity)} {unit}".strip()
    if recipe.servings:
        update["servings"] = max(1, round(recipe.servings * factor))
    return recipe.model_copy(update=update)
