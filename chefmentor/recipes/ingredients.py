"""Split a free-text ingredient line ("1 1/2 cups long-grain rice, rinsed") into quantity, unit, name, note."""

from __future__ import annotations

import re
from fractions import Fraction

from chefmentor.recipes.schemas import Ingredient

_UNICODE_FRACTIONS = {
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5",
    "⅛": "1/8", "⅜": "3/8", "⅝": "5/8", "⅞": "7/8", "⅙": "1/6", "⅚": "5/6",
}  # fmt: skip

_UNITS = {
    "cup": ("cup", "cups", "c"),
    "tablespoon": ("tablespoon", "tablespoons", "tbsp", "tbs", "tbsps", "tb"),
    "teaspoon": ("teaspoon", "teaspoons", "tsp", "tsps"),
    "gram": ("g", "gram", "grams", "gr"),
    "kilogram": ("kg", "kilogram", "kilograms"),
    "milliliter": ("ml", "milliliter", "milliliters", "millilitre", "millilitres"),
    "liter": ("l", "liter", "liters", "litre", "litres"),
    "ounce": ("oz", "ounce", "ounces"),
    "fluid ounce": ("fl oz", "fluid ounce", "fluid ounces"),
    "pound": ("lb", "lbs", "pound", "pounds"),
    "pinch": ("pinch", "pinches"),
    "dash": ("dash", "dashes"),
    "clove": ("clove", "cloves"),
    "slice": ("slice", "slices"),
    "can": ("can", "cans"),
    "stick": ("stick", "sticks"),
    "sprig": ("sprig", "sprigs"),
    "bunch": ("bunch", "bunches"),
    "piece": ("piece", "pieces"),
    "large": ("large",),
    "medium": ("medium",),
    "small": ("small",),
}
_UNIT_LOOKUP = {alias: unit for unit, aliases in _UNITS.items() for alias in aliases}
_SIZE_WORDS = {"large", "medium", "small"}

_QUANTITY = re.compile(
    r"^\s*(?P<q>(?:\d+\s+\d+/\d+)|(?:\d+/\d+)|(?:\d+(?:[.,]\d+)?))"
    r"(?:\s*(?:-|–|to)\s*(?P<q2>(?:\d+/\d+)|(?:\d+(?:[.,]\d+)?)))?\s*"
)


def _to_number(text: str) -> float:
    text = text.replace(",", ".").strip()
    if " " in text:
        whole, frac = text.split(None, 1)
        return float(int(whole) + Fraction(frac))
    return float(Fraction(text)) if "/" in text else float(text)


def parse_ingredient(line: str) -> Ingredient:
    """Best-effort parse; the original text is always kept."""
    text = " ".join(line.split())
    work = text
    for symbol, ascii_frac in _UNICODE_FRACTIONS.items():
        work = re.sub(rf"(\d)\s*{symbol}", rf"\1 {ascii_frac}", work).replace(symbol, ascii_frac)
    quantity: float | None = None
    match = _QUANTITY.match(work)
    if match:
        try:
            quantity = _to_number(match.group("q"))
        except (ValueError, ZeroDivisionError):
            quantity = None
        if quantity is not None:
            work = work[match.end() :]
    unit: str | None = None
    lowered = work.lower()
    for alias in sorted(_UNIT_LOOKUP, key=len, reverse=True):
        if re.match(rf"{re.escape(alias)}\.?(\s|$)", lowered):
            candidate = _UNIT_LOOKUP[alias]
            # "2 large eggs": a size word is a unit only when a quantity precedes it.
            if candidate in _SIZE_WORDS and quantity is None:
                break
            unit = candidate
            work = work[len(alias) :].lstrip(". ")
            break
    if work.lower().startswith("of "):
        work = work[3:]
    name, _, note = work.partition(",")
    name = name.strip() or text
    return Ingredient(
        text=text[:300],
        name=name[:200],
        quantity=quantity,
        unit=unit,
        note=note.strip()[:200] or None,
    )
