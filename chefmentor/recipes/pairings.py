"""Ingredient pairings and substitutions for the cooking assistant and GET /api/recipes/{id}/pairings.

FlavorDB (with a Foodoscope key) supplies pairings by shared flavour molecules; the bundled data in
fixtures/flavor/*.json covers every ingredient of the fixture recipes, so all of this works offline and
is the fallback whenever FlavorDB is unreachable. Substitutions always come from the bundled data:
FlavorDB knows what tastes alike, not what behaves alike in a batter or a pan.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chefmentor.cache import Cache
from chefmentor.errors import ChefMentorError

log = logging.getLogger("chefmentor.recipes.pairings")

FLAVOR_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "flavor"
MAX_SUGGESTIONS = 6
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True, slots=True)
class Substitute:
    name: str
    ratio: str | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "ratio": self.ratio, "note": self.note}


@dataclass(frozen=True, slots=True)
class Pairing:
    name: str
    category: str | None = None
    shared_molecules: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "category": self.category, "sharedMolecules": self.shared_molecules}


@dataclass(frozen=True, slots=True)
class FlavorEntry:
    key: str
    category: str | None
    aliases: tuple[str, ...]
    pairings: tuple[str, ...]
    substitutes: tuple[Substitute, ...]


@dataclass(slots=True)
class IngredientSuggestions:
    ingredient: str
    key: str | None
    source: str
    pairings: list[Pairing] = field(default_factory=list)
    substitutes: list[Substitute] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ingredient": self.ingredient,
            "key": self.key,
            "source": self.source,
            "pairings": [p.to_json() for p in self.pairings],
            "substitutes": [s.to_json() for s in self.substitutes],
        }


def _normalize(text: str) -> str:
    words = _WORD.findall(text.lower())
    # Plural to singular for matching only ("eggs" -> "egg", "walnuts" -> "walnut"); "grass" stays.
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


@functools.lru_cache(maxsize=4)
def load_flavor_data(directory: Path = FLAVOR_DIR) -> dict[str, FlavorEntry]:
    """Every bundled ingredient by canonical key (files are read once per process)."""
    entries: dict[str, FlavorEntry] = {}
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for key, raw in document.get("ingredients", {}).items():
            entries[key] = FlavorEntry(
                key=key,
                category=raw.get("category"),
                aliases=tuple(raw.get("aliases", ())),
                pairings=tuple(raw.get("pairings", ())),
                substitutes=tuple(
                    Substitute(s["name"], s.get("ratio"), s.get("note")) for s in raw.get("substitutes", ())
                ),
            )
    return entries


@functools.lru_cache(maxsize=4)
def _alias_index(directory: Path = FLAVOR_DIR) -> tuple[tuple[str, str], ...]:
    pairs = {(_normalize(key), key) for key in load_flavor_data(directory)}
    for entry in load_flavor_data(directory).values():
        pairs.update((_normalize(alias), entry.key) for alias in entry.aliases)
    # Longest phrase first: "brown sugar" must win over "sugar", "lemon juice" over "lemon".
    return tuple(sorted(pairs, key=lambda pair: (-len(pair[0]), pair[0])))


def match_ingredient(text: str, directory: Path = FLAVOR_DIR) -> str | None:
    """The canonical key for free text ("1 cup packed light brown sugar" -> "brown sugar"), if bundled."""
    normalized = f" {_normalize(text)} "
    for phrase, key in _alias_index(directory):
        if phrase and f" {phrase} " in normalized:
            return key
    return None


def _bundled(ingredient: str) -> IngredientSuggestions:
    key = match_ingredient(ingredient)
    if key is None:
        return IngredientSuggestions(ingredient=ingredient, key=None, source="none")
    entry = load_flavor_data()[key]
    data = load_flavor_data()
    pairings = [Pairing(name, data[name].category if name in data else None) for name in entry.pairings]
    return IngredientSuggestions(
        ingredient=ingredient,
        key=key,
        source="bundled",
        pairings=pairings[:MAX_SUGGESTIONS],
        substitutes=list(entry.substitutes[:MAX_SUGGESTIONS]),
    )


async def suggest_for(ingredient: str, *, flavor: Any = None, cache: Cache | None = None) -> IngredientSuggestions:
    """Pairings (FlavorDB when a client is given and answers, else bundled) and bundled substitutes."""
    result = _bundled(ingredient)
    if flavor is None or cache is None:
        return result
    query = result.key or _normalize(ingredient)
    try:
        entities = await flavor.similar_entities(query, cache=cache)
    except ChefMentorError as exc:
        log.warning("FlavorDB unavailable, using bundled pairings: %s", exc.message)
        return result
    if entities:
        result.pairings = [
            Pairing(e.name.lower(), e.category, e.shared_molecules)
            for e in entities
            if _normalize(e.name) != _normalize(query)
        ][:MAX_SUGGESTIONS]
        result.source = "flavordb"
    return result


async def suggest_pairings(ingredient: str, *, flavor: Any = None, cache: Cache | None = None) -> list[Pairing]:
    """What goes well with an ingredient (for the assistant's `ask` answers)."""
    return (await suggest_for(ingredient, flavor=flavor, cache=cache)).pairings


async def suggest_substitutes(ingredient: str) -> list[Substitute]:
    """What can replace an ingredient, with a ratio and what changes."""
    return _bundled(ingredient).substitutes


_SUBSTITUTE_Q = re.compile(
    r"(?:substitut\w*|replace\w*|swap\w*|instead of|out of|don'?t have|do not have|alternative to)\s+(?:for\s+)?"
    r"(?:the\s+|some\s+|any\s+)?(?P<what>[a-z][a-z \-]{1,40}?)\s*(?:\?|$|,|\.)",
    re.IGNORECASE,
)
_PAIRING_Q = re.compile(
    r"(?:goes? (?:well )?with|pairs? (?:well )?with|go with|to serve with|add to)\s+(?:the\s+)?"
    r"(?P<what>[a-z][a-z \-]{1,40}?)\s*(?:\?|$|,|\.)",
    re.IGNORECASE,
)


def _substitute_answer(what: str, options: list[Substitute]) -> str:
    if not options:
        return f"I don't have a tested substitute for {what}."
    first = options[0]
    spoken = f"Instead of {what}, use {first.name}" + (f", {first.ratio}" if first.ratio else "")
    spoken += f": {first.note}." if first.note else "."
    return spoken + (f" Or {options[1].name}." if len(options) > 1 else "")


def _pairing_answer(what: str, names: list[str]) -> str:
    if not names:
        return f"I don't have pairing data for {what}."
    if len(names) == 1:
        return f"{what.capitalize()} goes well with {names[0]}."
    return f"{what.capitalize()} goes well with " + ", ".join(names[:-1]) + f" and {names[-1]}."


def flavor_answer(question: str) -> str | None:
    """Offline answer (bundled data) to "what can I use instead of X" / "what goes with X"; None otherwise.

    Synchronous, for the voice assistant's `ask` path; an ingredient we know nothing about gives None so the
    caller's own fallback speaks instead."""
    substitute = _SUBSTITUTE_Q.search(question)
    if substitute:
        what = substitute["what"].strip()
        options = _bundled(what).substitutes
        return _substitute_answer(what, options) if options else None
    pairing = _PAIRING_Q.search(question)
    if pairing:
        what = pairing["what"].strip()
        names = [p.name for p in _bundled(what).pairings][:4]
        return _pairing_answer(what, names) if names else None
    return None


async def answer_question(question: str, *, flavor: Any = None, cache: Cache | None = None) -> str | None:
    """Like flavor_answer, with FlavorDB pairings when a client is given; always answers a recognised question."""
    substitute = _SUBSTITUTE_Q.search(question)
    if substitute:
        what = substitute["what"].strip()
        return _substitute_answer(what, await suggest_substitutes(what))
    pairing = _PAIRING_Q.search(question)
    if pairing:
        what = pairing["what"].strip()
        names = [p.name for p in await suggest_pairings(what, flavor=flavor, cache=cache)][:4]
        return _pairing_answer(what, names)
    return None
