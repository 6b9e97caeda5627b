"""recipeYield as cooks read it: "24 cookies", "1 loaf", "4–6 servings", "Serves 4", "Makes 12", "2 Portionen"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from chefmentor.recipes.text_clean import clean_text

_SERVING_WORDS = re.compile(
    r"^(?:servings?|serves|people|persons?|portions?|personen|portionen|personnes?|parts?|porzioni|porciones|"
    r"raciones|pessoas|porções|porcij[ae]|porcie|porce|adag|osob[ay]?|port\.?|pers\.?|pax|covers)$",
    re.IGNORECASE,
)
_LEAD_WORDS = re.compile(
    r"^\s*(?:yields?|makes|serves|servings|portions?|für|pour|per|para|voor|rendimiento|recipe makes|"
    r"personen|portionen|porzioni)\b\s*[:—–-]?\s*",
    re.IGNORECASE,
)
_NUMBER = r"\d+(?:[.,]\d+)?(?:\s+\d/\d|/\d+)?"
_AMOUNT = re.compile(rf"(?P<low>{_NUMBER})(?:\s*(?:-|–|—|to|or|à|bis|a|tot)\s*(?P<high>{_NUMBER}))?")


@dataclass(frozen=True, slots=True)
class Yield:
    quantity: float | None
    quantity_max: float | None
    unit: str | None  # "servings" for people; otherwise what is made ("cookies", "loaf", "9-inch cakes")
    text: str

    @property
    def servings(self) -> int | None:
        if self.unit == "servings" and self.quantity and 1 <= self.quantity <= 1000:
            return int(self.quantity)
        return None


def _number(text: str) -> float | None:
    text = text.replace(",", ".").strip()
    try:
        if " " in text:
            whole, fraction = text.split()
            num, den = fraction.split("/")
            return float(whole) + float(num) / float(den)
        if "/" in text:
            num, den = text.split("/")
            return float(num) / float(den)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


def _parse_one(text: str) -> Yield | None:
    lead = _LEAD_WORDS.match(text)
    serving_lead = bool(lead and re.search(r"serv|portion|person|für|pour|para|voor", lead.group(0), re.I))
    rest = text[lead.end() :] if lead else text
    match = _AMOUNT.search(rest)
    if match is None:
        return None
    low = _number(match.group("low"))
    high = _number(match.group("high")) if match.group("high") else None
    if low is None or low <= 0 or (high is not None and high < low):
        return None
    before = rest[: match.start()].strip(" :—–-")
    after = rest[match.end() :].strip(" .:,)")
    unit_text: str | None = re.sub(r"\s+", " ", after or before)[:60].strip() or None
    if unit_text is not None and (_SERVING_WORDS.match(unit_text) or _SERVING_WORDS.match(unit_text.split(" ")[0])):
        unit_text = "servings"
    elif unit_text is None and (serving_lead or lead is None):
        unit_text = "servings"  # a bare number: schema.org recipeYield is people served
    if unit_text and not re.search(r"[^\W\d_]", unit_text):
        unit_text = "servings"
    return Yield(low, high if high and high != low else None, unit_text, text[:200])


def parse_yield(value: Any) -> Yield | None:
    """The most informative reading of recipeYield (a list often holds "12" and "12 cupcakes")."""
    values = value if isinstance(value, list) else [value]
    readings: list[Yield] = []
    for item in values:
        if isinstance(item, bool) or item is None:
            continue
        if isinstance(item, int | float):
            if item > 0:
                readings.append(Yield(float(item), None, "servings", str(item)))
            continue
        text = clean_text(item, 200)
        if text:
            parsed = _parse_one(text)
            if parsed is not None:
                readings.append(parsed)
    if not readings:
        return None
    # Prefer one that names what is made, then one with a range.
    readings.sort(key=lambda y: (y.unit not in (None, "servings"), y.quantity_max is not None), reverse=True)
    return readings[0]
