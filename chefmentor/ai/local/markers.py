"""The words around symptoms: what there was too much/little of, amounts, negation, intensity, contrast, mixing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

W = Mapping[str, float]


@dataclass(frozen=True)
class Substance:
    key: str
    label: str
    phrases: tuple[str, ...]
    excess: W
    deficit: W


# fmt: off
SUBSTANCES: tuple[Substance, ...] = (
    Substance("liquid", "liquid", (
        "water", "stock", "broth", "milk", "liquid", "cream", "wine", "juice", "buttermilk", "coconut milk",
        "tomato", "bananas", "egg", "eggs", "sauce", "custard", "gravy", "sour cream", "yoghurt", "yogurt",
    ), {"too_much_liquid": 2.0}, {"too_little_liquid": 2.0}),
    Substance("salt", "salt/seasoning", (
        "salt", "soy sauce", "seasoning", "fish sauce", "spice", "chili", "sugar", "lemon", "vinegar", "pepper",
        "soy", "chilli", "chilli powder", "chili powder", "cayenne", "garlic", "garlic powder", "spices", "herbs",
        "curry powder", "paprika", "cumin", "miso", "mustard", "harissa", "sriracha", "hot sauce", "stock cube",
    ), {"seasoning_off": 2.0}, {"seasoning_off": 1.8}),
    Substance("flour", "flour", ("flour", "breadcrumb", "oats", "cornstarch"),
              {"too_little_liquid": 1.3}, {"too_much_liquid": 1.3}),
    Substance("leavener", "raising agent", (
        "baking powder", "baking soda", "bicarb", "yeast", "starter", "leavening",
    ), {"leavening_problem": 2.0}, {"leavening_problem": 2.0}),
    Substance("heat", "heat", ("heat", "temperature", "flame", "burner", "oven"),
              {"heat_too_high": 2.0}, {"heat_too_low": 2.0}),
    Substance("time", "cooking time", ("time", "minute", "minutes", "mins", "hour", "hours", "long", "while"),
              {"cooked_too_long": 1.5}, {"cooked_too_short": 1.5}),
    Substance("food", "amount of food in the pan", (
        "chicken", "meat", "mushroom", "mushrooms", "beef", "pieces", "vegetables", "potatoes", "wings", "shrimp",
        "food",
    ), {"overcrowded_pan": 1.6}, {}),
    Substance("oil", "oil/fat", ("oil", "butter", "fat"), {"emulsion_broke": 0.6}, {"pan_not_ready": 0.8}),
)

EXCESS_MARKERS: tuple[str, ...] = (
    "heaped", "heaping", "generous",
    "too much", "too many", "way too much", "so much", "so many",
    "extra", "excess", "lots of", "a lot of", "doubled", "double",
    "twice the", "tons of", "heaps of", "more", "added more", "overdid the", "heavy handed with",
)
DEFICIT_MARKERS: tuple[str, ...] = (
    "not enough", "too little", "too few", "only half", "half the", "less", "forgot the", "forgot to add",
    "skipped the", "left out the", "ran out of", "no", "without", "barely any", "hardly any", "a splash of",
    "missing", "short on", "shorted", "shorted the", "skimped on", "went light on", "scrimped on", "little to no",
    "not much", "forgot to", "forgot", "neglected to", "left out", "omitted", "did not add",
    "did not put", "did not use", "never added",
)
# Deficit markers that also negate what follows: "forgot to preheat" is a cold pan, not just less of something.
NEGATING_DEFICITS: frozenset[str] = frozenset({
    "no", "without", "zero", "none", "forgot to", "forgot", "neglected to", "left out", "omitted", "did not add",
    "did not put", "did not use", "never added", "skipped the", "forgot the", "forgot to add", "left out the",
    "barely any", "hardly any", "little to no", "not much",
})
NEGATORS: tuple[str, ...] = (
    "not", "no", "never", "without", "none", "nothing", "neither", "nor", "hardly", "barely", "lack", "lacking",
    "instead of", "rather than", "forgot to", "skipped", "skip", "neglected to", "failed to", "zero",
    "before",
)
SCOPE_BREAKERS: frozenset[str] = frozenset({
    ",", "and", "so", "because", "which", "then", "when", "while", "since", "as", "until", "after", "though",
})
INTENSIFIERS: Mapping[str, float] = {
    "very": 1.4, "really": 1.4, "extremely": 1.6, "super": 1.4, "so": 1.3, "totally": 1.5, "completely": 1.5,
    "way": 1.4, "incredibly": 1.6, "absolutely": 1.5, "seriously": 1.4, "badly": 1.4, "heavily": 1.4,
    "utterly": 1.6, "entirely": 1.4, "too": 1.2, "really really": 1.7, "all": 1.2,
}
DOWNTONERS: Mapping[str, float] = {
    "slightly": 0.55, "bit": 0.6, "little": 0.6, "somewhat": 0.6, "kinda": 0.6, "kind of": 0.6, "sort of": 0.6,
    "mildly": 0.55, "tad": 0.55, "touch": 0.6, "fairly": 0.8, "maybe": 0.75, "possibly": 0.75, "might": 0.75,
    "perhaps": 0.75, "probably": 0.9, "almost": 0.7, "nearly": 0.7,
}
CONTRAST_MARKERS: tuple[str, ...] = ("but", "however", "although", "though", "yet", "except", "despite")
CONCESSIVE_MARKERS: frozenset[str] = frozenset({"although", "though", "despite"})
MIX_VERBS: tuple[str, ...] = (
    "mix", "mixed", "whisk", "whisked", "beat", "beaten", "knead", "kneaded", "stir", "stirred", "blend", "blended",
    "whip", "whipped", "worked", "processed", "mixer", "blitz", "blitzed", "blended", "pulsed",
)
MIX_DURATION_CUES: tuple[str, ...] = (
    "minutes", "minute", "ages", "forever", "long time", "hard", "vigorously", "until smooth", "totally smooth",
    "every lump", "all the lumps", "kept", "high speed", "a while", "mins", "min", "hour", "hours",
    "good while", "long while", "ten minutes", "smooth",
)
# fmt: on
