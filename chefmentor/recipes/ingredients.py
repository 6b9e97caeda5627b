"""Ingredient lines as cooks read them: quantity (and range end), unit, name, note, section.

"1 1/2 cups long-grain rice, rinsed", "2–3 cloves garlic", "500 gr bloem", "1 el suiker", "200 ml lait",
"Moulin à poivre : 6 tour(s)", "For the noodles:" (a group heading, not an ingredient).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from chefmentor.recipes.schemas import Ingredient
from chefmentor.recipes.text_clean import clean_text, html_to_lines, truncate

MAX_INGREDIENTS = 200

_UNICODE_FRACTIONS = {
    "½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5",
    "⅛": "1/8", "⅜": "3/8", "⅝": "5/8", "⅞": "7/8", "⅙": "1/6", "⅚": "5/6",
}  # fmt: skip

# Canonical unit → spellings (English, metric, and the kitchen units of the pages' other languages).
_UNITS = {
    "cup": ("cup", "cups", "c", "tasse", "tasses", "taza", "tazas", "xícara", "xícaras", "kop", "kopje", "Tasse"),
    "tablespoon": ("tablespoon", "tablespoons", "tbsp", "tbs", "tbsps", "tb", "tbl", "tblsp", "T", "el", "EL", "Essl",
                   "Esslöffel", "cs", "c.s.", "c. à s.", "cuillère à soupe", "cuillères à soupe", "cucchiaio",
                   "cucchiai", "cda", "cdas", "cucharada", "cucharadas", "colher de sopa", "eetlepel", "eetlepels",
                   "msk", "spsk", "lžíce", "łyżka"),
    "teaspoon": ("teaspoon", "teaspoons", "tsp", "tsps", "t", "tl", "TL", "Teelöffel", "cc", "c.c.", "c. à c.",
                 "cuillère à café", "cuillères à café", "cucchiaino", "cucchiaini", "cdta", "cucharadita",
                 "cucharaditas", "colher de chá", "theelepel", "theelepels", "tsk", "ts", "lžička", "łyżeczka"),
    "gram": ("g", "gram", "grams", "gr", "grs", "grammes", "gramme", "grammi", "gramos", "gramas", "Gramm"),
    "kilogram": ("kg", "kilogram", "kilograms", "kilo", "kilos", "Kilogramm"),
    "milligram": ("mg",),
    "milliliter": ("ml", "milliliter", "milliliters", "millilitre", "millilitres", "mL", "Milliliter"),
    "centiliter": ("cl", "centilitre", "centilitres", "centiliter"),
    "deciliter": ("dl", "decilitre", "deciliter", "dL"),
    "liter": ("l", "liter", "liters", "litre", "litres", "L", "Liter", "litro", "litros"),
    "ounce": ("oz", "ounce", "ounces", "onzas"),
    "fluid ounce": ("fl oz", "fl. oz.", "fluid ounce", "fluid ounces"),
    "pound": ("lb", "lbs", "pound", "pounds", "livre", "livres"),
    "pint": ("pint", "pints", "pt"),
    "quart": ("quart", "quarts", "qt"),
    "pinch": ("pinch", "pinches", "Prise", "Prisen", "pincée", "pincées", "pizzico", "pizca", "snufje", "snuf"),
    "dash": ("dash", "dashes", "Schuss", "trait", "scheutje"),
    "clove": ("clove", "cloves", "Zehe", "Zehen", "gousse", "gousses", "spicchio", "spicchi", "diente", "dientes",
              "teen",              "teentjes", "teentje"),
    "slice": ("slice", "slices", "Scheibe", "Scheiben", "tranche", "tranches", "fetta", "fette", "rebanada", "plakje",
              "plakjes"),
    "can": ("can", "cans", "tin", "tins", "Dose", "Dosen", "boîte", "boîtes", "lata", "latas", "blik", "blikje"),
    "package": ("package", "packages", "pkg", "packet", "packets", "Packung", "Päckchen", "Pck", "sachet", "sachets",
                "zakje", "bustina"),
    "stick": ("stick", "sticks"),
    "sprig": ("sprig", "sprigs", "Zweig", "Zweige", "brin", "brins", "takje", "takjes", "rametto"),
    "bunch": ("bunch", "bunches", "Bund", "Bünde", "botte", "bottes", "bos", "bosje", "mazzo", "manojo"),
    "piece": ("piece", "pieces", "pc", "pcs", "Stück", "Stk", "pièce", "pièces", "pezzo", "pezzi", "stuk", "stuks"),
    "handful": ("handful", "handfuls", "Handvoll", "poignée", "poignées", "manciata", "puñado", "handje"),
    "drop": ("drop", "drops", "goutte", "gouttes"),
    "head": ("head", "heads"),
    "large": ("large",),
    "medium": ("medium",),
    "small": ("small",),
}  # fmt: skip
_CASE_SENSITIVE = {"T", "t", "L", "EL", "TL", "mL", "dL"}  # "T" is a tablespoon and "t" a teaspoon on US cards
_UNIT_LOOKUP = {
    alias.lower(): unit for unit, aliases in _UNITS.items() for alias in aliases if alias not in _CASE_SENSITIVE
}
_EXACT_LOOKUP = {alias: unit for unit, aliases in _UNITS.items() for alias in aliases if alias in _CASE_SENSITIVE}
_ALIASES = sorted({*_UNIT_LOOKUP, *_EXACT_LOOKUP}, key=len, reverse=True)
_UNIT_PATTERN = re.compile(r"(?P<unit>" + "|".join(re.escape(a) for a in _ALIASES) + r")\.?(?=[\s,(]|$)", re.I)
_SIZE_WORDS = {"large", "medium", "small"}
_HYPHEN_MIXED = re.compile(r"^(\s*\d+)-(\d/\d{1,2})\b")

_NUMBER = r"(?:\d+\s+\d+/\d+|\d+/\d+|\d+(?:[.,]\d+)?)"
_QUANTITY = re.compile(
    rf"^\s*(?:about|approx\.?|ca\.?|circa|environ|etwa)?\s*(?P<q>{_NUMBER})"
    rf"(?:\s*(?:-|–|—|to|or|à|bis|a|tot)\s*(?P<q2>{_NUMBER}))?\s*(?:x\s+)?",
    re.IGNORECASE,
)
# "Moulin à poivre : 6 tour(s)", "Raclette au lait cru : 50 g": the amount comes after the name.
_TRAILING_AMOUNT = re.compile(rf"^(?P<name>[^:]{{2,}}?)\s*:\s*(?P<amount>{_NUMBER}.*)$")
_HEADING = re.compile(r"^[^\d,.;]{1,60}:$")  # "For the noodles:", "Sauce:"
_CAPS_HEADING = re.compile(r"^[A-ZÄÖÜÉÈ][A-ZÄÖÜÉÈ &'/-]{2,40}$")  # "FOR THE CAKE"
_FOR_HEADING = re.compile(
    r"^(?:for|für|pour|para|voor|per) (?:the |den |die |das |la |le |les |el |de |het |il )?\S", re.I
)


def _to_number(text: str) -> float | None:
    text = text.replace(",", ".").strip()
    try:
        if " " in text:
            whole, frac = text.split(None, 1)
            return float(int(whole) + Fraction(frac))
        return float(Fraction(text)) if "/" in text else float(text)
    except (ValueError, ZeroDivisionError):
        return None


def _split_name_note(text: str) -> tuple[str, str | None]:
    """Split at the first comma outside brackets: "tomatoes (peeled, chopped), drained" → name, "drained"."""
    depth = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == "," and depth == 0:
            return text[:index].strip(), text[index + 1 :].strip() or None
    return text.strip(), None


def _match_unit(work: str) -> tuple[str | None, int]:
    match = _UNIT_PATTERN.match(work)
    if match is None:
        return None, 0
    alias = match.group("unit")
    unit = _EXACT_LOOKUP.get(alias) if alias in _EXACT_LOOKUP else _UNIT_LOOKUP.get(alias.lower())
    return unit, match.end()


def parse_ingredient(line: str, *, section: str | None = None) -> Ingredient:
    """Best-effort parse; the original (clean) text is always kept."""
    text = " ".join(line.split())
    work = text
    for symbol, ascii_frac in _UNICODE_FRACTIONS.items():
        work = re.sub(rf"(\d)\s*{symbol}", rf"\1 {ascii_frac}", work).replace(symbol, ascii_frac)
    work = _HYPHEN_MIXED.sub(r"\1 \2", work.replace("\u2044", "/"))  # "1-1/2 cups" is one and a half
    trailing = _TRAILING_AMOUNT.match(work)
    if trailing and _QUANTITY.match(trailing.group("amount")):
        amount = parse_ingredient(trailing.group("amount"), section=section)
        return amount.model_copy(
            update={"text": truncate(text, 300), "name": truncate(trailing.group("name").strip(), 200),
                    "note": None if amount.unit or amount.name == amount.text else amount.name[:200]}
        )  # fmt: skip
    quantity: float | None = None
    quantity_max: float | None = None
    match = _QUANTITY.match(work)
    if match:
        quantity = _to_number(match.group("q"))
        if quantity is not None:
            quantity_max = _to_number(match.group("q2")) if match.group("q2") else None
            if quantity_max is not None and quantity_max <= quantity:
                quantity_max = None
            work = work[match.end() :]
    size: str | None = None
    package = re.match(r"\s*(\([^)]{1,40}\))\s*", work)
    if package and quantity is not None:  # "1 (14-ounce) can tomatoes": the size of the unit
        size, work = package.group(1), work[package.end() :]
    unit, consumed = _match_unit(work.lstrip())
    if unit is not None and unit in _SIZE_WORDS and quantity is None:
        unit = None  # "large pinch of saffron": a size word is a unit only after a quantity
    if unit is not None:
        work = work.lstrip()[consumed:].lstrip(". ")
        if quantity is None and not work:
            unit = None
            work = text
    if re.match(r"(?:of|de|d'|di|von)\s", work, re.IGNORECASE):
        work = work.split(None, 1)[1] if " " in work else work
    name, note = _split_name_note(work)
    name = name or text
    if size:
        note = f"{size[1:-1]}{'; ' + note if note else ''}"
    return Ingredient(
        text=truncate(text, 300),
        name=truncate(name, 200),
        quantity=quantity,
        quantity_max=quantity_max,
        unit=unit,
        note=truncate(note, 200) if note else None,
        section=section,
    )


def _is_heading(line: str) -> bool:
    if _QUANTITY.match(line):
        return False
    return bool(_HEADING.match(line) or _CAPS_HEADING.match(line) or (_FOR_HEADING.match(line) and len(line) < 40))


def parse_ingredients(value: Any, warn: Any) -> list[Ingredient]:
    """recipeIngredient (list, newline-joined string, objects with name/amount) → ingredients with sections.

    Nulls and empty entries are dropped; a group heading ("For the noodles:") names the section of the
    ingredients after it instead of becoming an ingredient itself.
    """
    items = value if isinstance(value, list) else [value]
    lines: list[str] = []
    for item in items:
        if item is None or isinstance(item, bool):
            continue
        if isinstance(item, dict):
            item = " ".join(str(item[k]) for k in ("amount", "value", "unitText", "name", "text") if item.get(k))
        lines.extend(html_to_lines(str(item)))
    section: str | None = None
    parsed: list[Ingredient] = []
    for line in lines:
        cleaned = clean_text(line)
        if not cleaned or cleaned.lower() in ("none", "null", "undefined"):
            continue
        if _is_heading(cleaned):
            section = truncate(cleaned.rstrip(":").strip(), 200)
            continue
        parsed.append(parse_ingredient(cleaned, section=section))
    if len(parsed) > MAX_INGREDIENTS:
        warn(f"{len(parsed)} ingredients: only the first {MAX_INGREDIENTS} were kept")
    return parsed[:MAX_INGREDIENTS]
