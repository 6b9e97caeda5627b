"""Phrases with one extra word inside: "tastes like hot water", "stuck to the corn husk", "no real sizzle".

A cook rarely says a multiword symptom exactly as the lexicon spells it. One inserted word is tolerated when
it cannot change the meaning: never a negator ("not cooked" is not "cooked"), a contrast, a number or a
structural word that would join two unrelated phrases ("on a high shelf" is not "on high").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

E = TypeVar("E")

MAX_PHRASE = 6
# Only words that add no meaning of their own may be skipped: determiners, possessives, degree and filler
# adverbs. A content word ("greasy", "compare", "browned") always ends the phrase.
FILLER_WORDS = (
    "the my his her their our your its this that these those some real really total totally complete "
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
