"""Typo tolerance for the notes: "overcoked", "seperated", "hotest" still reach the lexicon.

Only long words the engine does not already know are touched, and only by one slip of the finger: a letter
missing, doubled/extra, swapped with its neighbour, or (for words of 7+ letters) one wrong letter. A
correction must be unique; every cooking word the engine knows (lexicon, dish names, knowledge base) is
never "corrected" into another one.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from functools import lru_cache

MIN_LENGTH = 6
MIN_LENGTH_FOR_SUBSTITUTION = 7
_WORD = re.compile(r"[a-z]+")


def _words(texts: Iterable[str]) -> set[str]:
    return {w for text in texts for w in _WORD.findall(text.lower())}


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str]]:
    """(targets: words a typo may be corrected to, known: words left alone)."""
    from chefmentor.ai.local import concepts, dishes, knowledge, markers

    targets = _words(p for c in concepts.CONCEPTS for p in c.phrases)
    targets |= _words(p for s in markers.SUBSTANCES for p in s.phrases)
    marker_texts = [
        *markers.EXCESS_MARKERS,
        *markers.DEFICIT_MARKERS,
        *markers.NEGATORS,
        *markers.INTENSIFIERS,
        *markers.DOWNTONERS,
        *markers.MIX_VERBS,
    ]
    targets |= _words(marker_texts)
    known = set(targets)
    known |= _words(w for words in dishes.FAMILY_KEYWORDS.values() for w in words)
    for item in knowledge.KNOWLEDGE.values():
        known |= _words([item.title, item.root_cause, item.mechanism, item.fix_now, *item.next_time])
        known |= _words([*item.visual_cues, *item.typical_dishes])
    known |= _COMMON
    return frozenset(t for t in targets if len(t) >= MIN_LENGTH - 1), frozenset(known)


# Everyday kitchen words a one-letter edit would otherwise turn into a symptom (broiling -> boiling).
_COMMON = frozenset(
    """broiling broiled broil roasted roasting toasted toasting grilled grilling basted basting seasoned
    browner browned blanched sliced diced chopped minced grated peeled melted poured sprinkled drizzled
    flipped turned covered uncovered rested resting served plated tasted tasting smelled looked cooked
    cooking baked baking fried frying boiled simmering steamer heater heated timer thermometer recipe
    instructions followed exactly always usually normally second first middle centre center bottom
    outside inside surface cheese butter buttered sugar sugary flavour flavor texture looked seemed
    stirring stirred whisking whisked kneading kneaded folding folded pouring keeping kept sleeping
    sweeping steeping floated floating rinsing rinsed looking booking checking shaped shaping crackers
    bottoms whites boasted coated heating beating seating sweating""".split()
)


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    inserts = {a + c + b for a, b in splits for c in string.ascii_lowercase}
    edits = deletes | swaps | inserts
    if len(word) >= MIN_LENGTH_FOR_SUBSTITUTION:
        edits |= {a + c + b[1:] for a, b in splits if b for c in string.ascii_lowercase if c != b[0]}
    return edits


@lru_cache(maxsize=4096)
def correct(token: str) -> str:
    if len(token) < MIN_LENGTH or not token.isalpha():
        return token
    targets, known = _vocabulary()
    if token in known:
        return token
    candidates = _edits(token) & targets
    return next(iter(candidates)) if len(candidates) == 1 else token
