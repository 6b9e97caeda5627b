"""Phrases with filler words inside: "no real sizzle", "went like really dark", "tastes like hot water".

A cook rarely says a multiword symptom exactly as the lexicon spells it. One or two adjacent inserted words
are tolerated when they cannot change the meaning: degree and filler adverbs only. Never a determiner
("salted the water" is not "salt water"), a negator ("not cooked" is not "cooked"), a preposition ("on a high
shelf" is not "on high") or a content word ("butter browned too fast" is not "butter too fast").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

E = TypeVar("E")

MAX_PHRASE = 6
# Only words that add no meaning of their own may be skipped: degree and filler adverbs and voice fillers.
FILLER_WORDS = (
    "real really total totally complete "
    "completely full fully proper properly quite pretty super bit little whole entire all just still even "
    "literally basically actually kind sort kinda sorta absolutely definitely right like um uh"
).split()

PREPOSITIONS = frozenset("on in at to of for from with into onto by off over under".split())


def gapped_match(
    stems: list[str],
    start: int,
    exact_length: int,
    trie: Mapping[tuple[str, ...], E],
    skippable: frozenset[str],
    accept: set[str] | None = None,
) -> tuple[E, int] | None:
    """The longest lexicon phrase found by skipping one (or two adjacent) inner filler tokens, if it is longer than
    the exact match."""
    if stems[start] in PREPOSITIONS:
        return None  # "on the high shelf" is not "on high", "at the same time once" is not "at once"
    remaining = len(stems) - start
    for gap in (1, 2):  # "went really dark", voice notes: "went like really dark"
        for window in range(min(MAX_PHRASE + gap, remaining), max(exact_length + 1 + gap, 2 + gap) - 1, -1):
            for skip in range(start + 1, start + window - gap):
                if any(token not in skippable for token in stems[skip : skip + gap]):
                    continue
                candidate = tuple(stems[start:skip] + stems[skip + gap : start + window])
                entry = trie.get(candidate)
                if entry is not None and (accept is None or getattr(entry, "kind", None) in accept):
                    return entry, window
    return None
