"""Display helpers: minutes, heat, quantities scaled for the chosen servings, relative times."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.text import Text

    from chefmentor.recipes.schemas import Ingredient

HEAT_LABELS = {
    "off": "off",
    "low": "low",
    "medium_low": "medium-low",
    "medium": "medium",
    "medium_high": "medium-high",
    "high": "high",
    "oven": "oven",
}
HEAT_STYLES = {
    "low": "$success",
    "medium_low": "$success",
    "medium": "$warning",
    "medium_high": "$warning",
    "high": "$error",
    "oven": "$error",
}
DIFFICULTY_STYLES = {"easy": "$success", "medium": "$warning", "hard": "$error"}
# Measuring cups and spoons come in halves, thirds, quarters and eighths.
_NICE_FRACTIONS = tuple(sorted({Fraction(n, 8) for n in range(1, 8)} | {Fraction(1, 3), Fraction(2, 3)}))


def minutes(value: float | int | None) -> str:
    if value is None:
        return "–"
    total = round(float(value))
    if total < 60:
        return f"{total} min"
    hours, rest = divmod(total, 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


def clock_time(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    hours, rest = divmod(whole, 3600)
    mins, secs = divmod(rest, 60)
    return f"{hours}:{mins:02d}:{secs:02d}" if hours else f"{mins:02d}:{secs:02d}"


def heat(value: str | None) -> str:
    if not value:
        return "–"
    label = HEAT_LABELS.get(str(value), str(value))
    style = HEAT_STYLES.get(str(value))
    return f"[{style}]{label}[/]" if style else label


def difficulty(value: str | None) -> str:
    if not value:
        return "–"
    style = DIFFICULTY_STYLES.get(str(value), "$text")
    return f"[{style}]{value}[/]"


def quantity(value: float) -> str:
    """1.5 → '1 1/2', 0.333 → '1/3', 3.375 → '3 3/8' (as recipes write them); big or odd values stay decimal."""
    whole = int(value)
    frac = Fraction(value - whole).limit_denominator(8)
    if frac == 0:
        return str(whole)
    if frac == 1:
        return str(whole + 1)
    nearest = min(_NICE_FRACTIONS, key=lambda f: abs(f - frac))
    if abs(nearest - frac) > 0.02 or value >= 20:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{whole} {nearest}" if whole else str(nearest)


_NO_PLURAL = {"large", "medium", "small", "g", "kg", "ml", "l", "oz", "lb", "tsp", "tbsp"}


def unit_label(unit: str, amount: float) -> str:
    if amount <= 1 or unit in _NO_PLURAL or unit.endswith("s"):
        return unit
    return unit + ("es" if unit.endswith(("ch", "sh")) else "s")


def scaled_ingredient(item: Ingredient, factor: float) -> str:
    """The ingredient line for `factor` × the recipe's servings (unparsed lines are shown as written)."""
    if item.quantity is None or factor == 1:
        return item.text
    amount = item.quantity * factor
    parts = [quantity(amount)]
    if item.unit:
        parts.append(unit_label(item.unit, amount))
    parts.append(item.name)
    line = " ".join(parts)
    return f"{line}, {item.note}" if item.note else line


_NUMBER = r"\d+(?:\s+\d+/\d+)?|\d+/\d+|\d+\.\d+"


def _parse_amount(text: str) -> float:
    total = 0.0
    for part in text.split():
        if "/" in part:
            top, bottom = part.split("/", 1)
            total += int(top) / int(bottom)
        else:
            total += float(part)
    return total


def scale_text(text: str, ingredients: Sequence[Ingredient], factor: float) -> str:
    """A step's "2 1/4 cups water" becomes "3 3/8 cups water" at 1.5×, written like the ingredient list:
    only amounts followed by the unit of one of the recipe's parsed ingredients are scaled."""
    import re

    if factor == 1:
        return text
    units = {item.unit for item in ingredients if item.quantity is not None and item.unit}
    if not units:
        return text
    forms = sorted({form for unit in units for form in (unit, unit_label(unit, 2))}, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w/.])({_NUMBER})\s+({'|'.join(re.escape(form) for form in forms)})\b", re.IGNORECASE)

    def scaled(match: re.Match[str]) -> str:
        amount = _parse_amount(match.group(1)) * factor
        unit = match.group(2)
        base = next((u for u in units if unit.lower() in (u.lower(), unit_label(u, 2).lower())), unit)
        return f"{quantity(amount)} {unit_label(base, amount)}"

    return pattern.sub(scaled, text)


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """'1 session', '2 sessions', '0 sessions'."""
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"


def ago(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "–"
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 7 * 86400:
        return f"{int(seconds // 86400)} d ago"
    return moment.strftime("%Y-%m-%d")


def category_label(value: str | None) -> str:
    return (value or "unknown").replace("_", " ")


_DURATION_UNITS = {
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), 3600),
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), 60),
    **dict.fromkeys(("s", "sec", "secs", "second", "seconds"), 1),
}


def parse_duration(text: str) -> int | None:
    """'10' (minutes), '90s', '2.5m', '1h 20m', '1:30' (m:ss) or '1:02:00' → seconds; None if unreadable."""
    import re

    value = text.strip().lower()
    if not value:
        return None
    if re.fullmatch(r"\d+(:\d{1,2}){1,2}", value):
        total = 0
        for part in value.split(":"):
            total = total * 60 + int(part)
        return total or None
    if re.fullmatch(r"\d+(\.\d+)?", value):
        return round(float(value) * 60) or None
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]+)", value)
    if not parts or re.sub(r"(\d+(?:\.\d+)?)\s*([a-z]+)|\s+", "", value):
        return None
    total_seconds = 0.0
    for number, unit in parts:
        if unit not in _DURATION_UNITS:
            return None
        total_seconds += float(number) * _DURATION_UNITS[unit]
    return round(total_seconds) or None


CELL_COLORS = {"$success": "green", "$warning": "yellow", "$error": "red"}


def cell(text: str, style: str = "") -> Text:
    """A DataTable cell (Rich text: no markup parsing of user data, plain colours for both themes)."""
    from rich.text import Text

    return Text(text, style=CELL_COLORS.get(style, style))


def difficulty_cell(value: str | None) -> Text:
    return cell(str(value) if value else "–", DIFFICULTY_STYLES.get(str(value), ""))
