"""The full concept table: the lexicon's concepts with the phrasebook merged in, plus the extra concepts."""

from __future__ import annotations

from dataclasses import replace

from chefmentor.ai.local.lexicon import CONCEPTS as BASE_CONCEPTS
from chefmentor.ai.local.lexicon import Concept
from chefmentor.ai.local.lexicon_more import MORE_CONCEPTS
from chefmentor.ai.local.phrasebook import EXTRA_PHRASES
from chefmentor.ai.local.phrasebook_weights import EXTRA_CONTEXT, EXTRA_FAMILY_WEIGHTS, PRIORITY_FAMILY_WEIGHTS


def _merged(concept: Concept) -> Concept:
    phrases = concept.phrases + tuple(p for p in EXTRA_PHRASES.get(concept.key, ()) if p not in concept.phrases)
    extra = {f: w for f, w in EXTRA_FAMILY_WEIGHTS.get(concept.key, {}).items() if f not in concept.family}
    context = {w: v for w, v in EXTRA_CONTEXT.get(concept.key, {}).items() if w not in concept.context}
    family = {**PRIORITY_FAMILY_WEIGHTS.get(concept.key, {}), **concept.family, **extra}
    return replace(concept, phrases=phrases, family=family, context={**concept.context, **context})


def _check_keys() -> None:
    known = {c.key for c in BASE_CONCEPTS + MORE_CONCEPTS}
    unknown = (
        set(EXTRA_PHRASES) | set(EXTRA_FAMILY_WEIGHTS) | set(EXTRA_CONTEXT) | set(PRIORITY_FAMILY_WEIGHTS)
    ) - known
    if unknown:
        raise ValueError(f"phrasebook names unknown concepts: {sorted(unknown)}")


_check_keys()
CONCEPTS: tuple[Concept, ...] = tuple(_merged(c) for c in BASE_CONCEPTS + MORE_CONCEPTS)
