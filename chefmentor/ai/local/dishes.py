"""Dish families: the same symptom means different things in a cake, a risotto or a mayonnaise."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from chefmentor.ai.local.dish_names import DISH_NAMES, FAMILY_PRIORS_EXTRA

# fmt: off
FAMILY_KEYWORDS: dict[str, tuple[str, ...]] = {
    "baked": (
        "cake", "cupcake", "muffin", "bread", "loaf", "brioche", "sourdough", "focaccia", "baguette", "cookie",
        "biscuit", "scone", "brownie", "pancake", "waffle", "crepe", "pie", "tart", "pastry", "croissant",
        "sponge", "banana bread", "cornbread", "pizza", "dough", "roll", "bun", "souffle", "choux", "meringue",
        "flapjack", "shortbread", "crumble", "traybake", "yorkshire pudding", "naan", "flatbread", "bagel",
        "madeleine", "macaron", "gingerbread", "batter", "genoise", "roti", "chapati",
    ),
    "grains": (
        "rice", "risotto", "quinoa", "couscous", "pilaf", "polenta", "oat", "porridge", "paella", "barley",
        "bulgur", "farro", "biryani", "congee", "grits", "arancini", "jollof", "pilau", "onigiri", "sushi", "kedgeree",
    ),
    "pasta": (
        "pasta", "noodle", "spaghetti", "orzo", "penne", "macaroni", "linguine", "fettuccine", "mac and cheese",
        "gnocchi", "ravioli", "tortellini", "lasagna", "lasagne", "udon", "ramen", "rigatoni", "tagliatelle",
        "dumpling", "pierogi", "wonton", "gyoza",
    ),
    "legumes": ("lentil", "bean", "chickpea", "dal", "split pea"),
    "emulsion": (
        "mayonnaise", "mayo", "aioli", "hollandaise", "bearnaise", "vinaigrette", "dressing", "beurre blanc",
        "ganache", "emulsion", "carbonara", "caesar", "pan sauce", "butter sauce", "remoulade", "tartare sauce",
        "cheese sauce", "alfredo", "beurre", "sabayon", "toum", "garlic sauce", "buttercream", "pesto",
    ),
    "custard": ("custard", "creme brulee", "flan", "pastry cream", "creme anglaise", "curd", "cheesecake", "quiche"),
    "whipped": ("whipped cream", "meringue", "egg white", "mousse"),
    "meat": (
        "chicken", "turkey", "duck", "pork", "steak", "beef", "lamb", "pork chop", "burger", "meatball", "sausage",
        "thigh", "breast", "wing", "ribs", "roast chicken", "roast beef", "brisket", "bacon", "salmon", "fish",
        "shrimp", "prawn", "scallop", "tuna", "cod", "tofu", "schnitzel", "cutlet", "drumstick", "mince", "chop",
        "fillet", "sea bass", "haddock", "mackerel", "trout", "halibut", "ham", "kebab", "kofta", "meat", "venison",
        "gammon", "pork belly", "short rib", "tenderloin", "sirloin", "ribeye", "rib eye", "chorizo", "tikka",
    ),
    "ground_meat": ("meatball", "meatloaf", "burger", "patty", "kofta", "dumpling filling", "mince", "rissole"),
    "sautee": (
        "stir fry", "stir-fry", "stir fried", "saute", "sauteed", "mushroom", "fajita", "fried rice", "hash",
        "greens", "chow mein", "pad thai", "lo mein", "stirfry",
    ),
    "fried": (
        "fries", "fried chicken", "tempura", "fritter", "doughnut", "donut", "falafel", "chips", "katsu", "schnitzel",
        "pakora", "bhaji", "samosa", "churro", "spring roll", "deep fried", "battered", "fish and chips", "croquette",
    ),
    "griddle": (
        "pancake", "crepe", "dosa", "waffle", "omelette", "omelet", "galette", "blini", "french toast", "fried egg",
        "halloumi", "quesadilla", "flatbread", "roti", "chapati", "hash brown", "latke", "rosti", "fish fillet",
    ),
    "eggs": ("egg", "omelette", "omelet", "frittata", "scrambled", "shakshuka", "tortilla espanola"),
    "soup": (
        "soup", "stew", "curry", "chili", "chilli", "sauce", "gravy", "broth", "ragu", "bolognese", "chowder",
        "casserole", "tagine", "gumbo", "goulash", "laksa", "bisque", "korma", "masala", "dal", "jambalaya",
        "braise", "braised", "pot roast", "pulled pork", "osso buco", "daube", "hotpot", "ragout",
    ),
    "vegetables": (
        "potato", "vegetable", "broccoli", "carrot", "zucchini", "eggplant", "aubergine", "cauliflower", "greens",
        "courgette", "squash", "sprout", "asparagus", "green bean", "veg", "veggie", "kale", "spinach", "cabbage",
        "leek", "parsnip", "spud", "sweet potato", "beetroot", "beet", "pumpkin", "okra",
    ),
}
# fmt: on
FAMILY_KEYWORDS = {
    family: tuple(dict.fromkeys(FAMILY_KEYWORDS.get(family, ()) + DISH_NAMES.get(family, ())))
    for family in {**FAMILY_KEYWORDS, **DISH_NAMES}
}

# Dish alone is weak evidence: a prior, never enough to leave `unknown` on its own.
FAMILY_PRIORS: dict[str, dict[str, float]] = {
    "emulsion": {"emulsion_broke": 0.5},
    "baked": {"leavening_problem": 0.25, "overmixed": 0.2},
    "grains": {"too_much_liquid": 0.15, "too_little_liquid": 0.15, "cooked_too_short": 0.1},
    "sautee": {"overcrowded_pan": 0.3},
    "custard": {"heat_too_high": 0.2},
    "whipped": {"overmixed": 0.3},
    "soup": {"too_much_liquid": 0.15, "seasoning_off": 0.15},
    "fried": {"heat_too_low": 0.15},
    **FAMILY_PRIORS_EXTRA,
}

POULTRY = ("chicken", "turkey", "duck", "poultry", "hen", "goose")
PORK = ("pork", "sausage", "ham", "bacon")
GROUND = ("burger", "meatball", "meatloaf", "mince", "ground", "patty", "kofta")
SEAFOOD = ("shrimp", "prawn", "scallop", "mussel", "clam", "oyster")
BEANS = ("kidney bean", "red kidney", "beans")
EGGS = ("egg", "omelette", "omelet", "frittata", "scrambled", "mayonnaise", "mayo", "hollandaise", "aioli")


def _has(text: str, word: str) -> bool:
    return re.search(r"\b" + re.escape(word) + r"(?:e?s)?\b", text) is not None


def plain(text: str) -> str:
    """Lower case without accents: "Crème brûlée" and "creme brulee" name the same dish."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def _family_patterns() -> dict[str, re.Pattern[str]]:
    """One alternation per family, longest names first, so a lookup is a single regex search per family."""
    patterns: dict[str, re.Pattern[str]] = {}
    for family, words in FAMILY_KEYWORDS.items():
        names = sorted({plain(w) for w in words}, key=len, reverse=True)
        patterns[family] = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")(?:e?s)?\b")
    return patterns


def dish_families(*texts: str | None) -> frozenset[str]:
    """Families whose names occur in the dish; a name inside a longer dish name of another family does not count
    ("crab cakes" are seafood, not cake; "egg fried rice" is rice, not an egg dish)."""
    joined = plain(" ".join(t for t in texts if t)).replace("-", " ")
    spans = {family: [m.span() for m in pattern.finditer(joined)] for family, pattern in _family_patterns().items()}
    spans = {family: found for family, found in spans.items() if found}
    longer = [(start, end) for found in spans.values() for start, end in found]
    return frozenset(
        family for family, found in spans.items() if any(not _strictly_inside(span, longer, found) for span in found)
    )


def _strictly_inside(span: tuple[int, int], others: list[tuple[int, int]], own: list[tuple[int, int]]) -> bool:
    start, end = span
    return any(s <= start and end <= e and (e - s) > (end - start) and (s, e) not in own for s, e in others)


def mentions_any(text: str, words: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(_has(lowered, w) for w in words)


# Components a cook names in the notes ("my hollandaise split" on eggs benedict) whose failure modes matter
COMPONENT_FAMILIES = frozenset({"emulsion", "custard", "whipped"})


def component_families(notes: str | None) -> frozenset[str]:
    if not notes:
        return frozenset()
    # "little curds" in a sauce is a symptom, not lemon curd
    joined = re.sub(r"\bcurds?\b", " ", notes.lower())
    return dish_families(joined) & COMPONENT_FAMILIES
