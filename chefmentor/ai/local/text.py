"""Reads the cook's notes: clauses, negation scope, intensity, contrastive "but", quantities, morphology."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from chefmentor.ai.local.concepts import CONCEPTS
from chefmentor.ai.local.cues import (
    amount_swaps,
    cold_vessel,
    crowded_loads,
    heat_settings,
    minutes_in_text,
    old_leavener,
    only_times,
)
from chefmentor.ai.local.evidence import Evidence
from chefmentor.ai.local.gaps import FILLER_WORDS, gapped_match
from chefmentor.ai.local.lexicon import Concept
from chefmentor.ai.local.markers import (
    CONCESSIVE_MARKERS,
    CONTRAST_MARKERS,
    DEFICIT_MARKERS,
    DOWNTONERS,
    EXCESS_MARKERS,
    INTENSIFIERS,
    MIX_DURATION_CUES,
    MIX_VERBS,
    NEGATING_DEFICITS,
    NEGATORS,
    SCOPE_BREAKERS,
    SUBSTANCES,
)
from chefmentor.ai.local.spelling import correct
from chefmentor.ai.local.tokens import stem, tokenize

NEGATION_REACH = 4
# Concepts that are also amounts: "forgot to add the bicarb" is too little raising agent, not "no mention of it"
SUBSTANCE_CONCEPTS = {"leavener": "leavener"}
POSTPOSED_AMOUNTS = frozenset({"too much", "way too much", "too little", "not enough", "too many", "too few"})
WANTING = frozenset({"need", "should", "could", "want", "requir", "call"})
MODIFIER_REACH = 3
QUANTITY_REACH = 4
NEGATED_COUNTER_FACTOR = -0.35
CONTRAST_BEFORE, CONTRAST_AFTER = 0.75, 1.25

_SENTENCE_WITH_END = re.compile(r"([^.!?;\n]+)([.!?;\n]*)")
QUESTION_WEIGHT = 0.6
QUESTION_OPENERS = frozenset(
    "was were is are did do does could would should can will maybe perhaps why how what which might possibly".split()
)
_STEP_MENTION = re.compile(r"\bstep\s*#?\s*(\d{1,2})\b")


@dataclass(frozen=True)
class _Entry:
    kind: str  # concept | substance | excess | deficit | neg | intensity
    key: str
    factor: float = 1.0


@lru_cache(maxsize=1)
def _trie() -> dict[tuple[str, ...], _Entry]:
    entries: dict[tuple[str, ...], _Entry] = {}

    def add(phrase: str, entry: _Entry) -> None:
        key = tuple(stem(t) for t in tokenize(phrase))
        entries.setdefault(key, entry)

    for concept in CONCEPTS:
        for phrase in concept.phrases:
            add(phrase, _Entry("concept", concept.key))
    for marker in EXCESS_MARKERS:
        add(marker, _Entry("excess", "excess"))
    for marker in DEFICIT_MARKERS:
        add(marker, _Entry("deficit", "deficit"))
    for substance in SUBSTANCES:
        for phrase in substance.phrases:
            add(phrase, _Entry("substance", substance.key))
    for negator in NEGATORS:
        add(negator, _Entry("neg", "neg"))
    for word, factor in {**INTENSIFIERS, **DOWNTONERS}.items():
        add(word, _Entry("intensity", word, factor))
    return entries


@lru_cache(maxsize=1)
def _concepts() -> dict[str, Concept]:
    return {c.key: c for c in CONCEPTS}


_SUBSTANCES = {s.key: s for s in SUBSTANCES}
_MAX_PHRASE = 6


def concept_weights(concept: Concept, families: frozenset[str], clause_stems: Iterable[str]) -> Mapping[str, float]:
    stems = set(clause_stems)
    for word, weights in concept.context.items():
        if stem(word) in stems:
            return weights
    for family, weights in concept.family.items():
        if family in families:
            return weights
    return concept.weights


def _clauses(text: str) -> list[tuple[list[str], float]]:
    """Sentences split at contrast markers; what follows "but" weighs more than what precedes it, while
    in "X although Y" both are facts the cook stands by, so neither is discounted."""
    clauses: list[tuple[list[str], float]] = []
    for found in _SENTENCE_WITH_END.finditer(text):
        sentence, ending = found.group(1), found.group(2)
        tokens = [correct(t) for t in tokenize(sentence)]
        if not tokens:
            continue
        if "?" in ending and tokens[0] in QUESTION_OPENERS:  # "was the oven too hot?" is a guess
            clauses.append((tokens, QUESTION_WEIGHT))
            continue
        parts: list[list[str]] = [[]]
        concessive: set[int] = set()
        for token in tokens:
            if token in CONTRAST_MARKERS and parts[-1]:
                if token in CONCESSIVE_MARKERS:
                    concessive.add(len(parts))
                parts.append([])
            else:
                parts[-1].append(token)
        if not parts[-1]:
            parts.pop()
        if len(parts) == 1:
            clauses.append((parts[0], 1.0))
            continue
        weights = [CONTRAST_BEFORE] * (len(parts) - 1) + [CONTRAST_AFTER]
        for index in sorted(concessive):
            if index < len(parts):
                weights[index - 1], weights[index] = 1.0, 1.0
        clauses.extend(zip(parts, weights, strict=True))
    return clauses


@lru_cache(maxsize=1)
def _fillers() -> frozenset[str]:
    return frozenset(stem(w) for w in FILLER_WORDS)


def _match(stems: list[str], start: int) -> tuple[_Entry | None, int]:
    trie = _trie()
    found: tuple[_Entry | None, int] = (None, 1)
    for length in range(min(_MAX_PHRASE, len(stems) - start), 0, -1):
        entry = trie.get(tuple(stems[start : start + length]))
        if entry is not None:
            found = (entry, length)
            break
    gapped = gapped_match(stems, start, found[1] if found[0] else 0, trie, _fillers(), accept={"concept"})
    return gapped if gapped is not None else found


def analyze_notes(
    text: str | None,
    families: frozenset[str],
    *,
    source: str = "notes",
    step: int | None = None,
    dish: str | None = None,
) -> list[Evidence]:
    """Turn free text into evidence; negated mentions flip or weaken, intensity words scale.

    A word that names the dish is not a symptom: "the stew dried out" says nothing about stewing.
    """
    if not text or not text.strip():
        return []
    dish_stems = frozenset(stem(t) for t in tokenize(dish or ""))
    evidence: list[Evidence] = []
    for tokens, clause_weight in _clauses(text):
        evidence.extend(_analyze_clause(tokens, clause_weight, families, source, step, dish_stems))
    evidence.extend(minutes_in_text(text, source, step))
    evidence.extend(amount_swaps(text, source, step))
    evidence.extend(heat_settings(text, source, step))
    evidence.extend(only_times(text, source, step))
    evidence.extend(crowded_loads(text, source, step))
    evidence.extend(old_leavener(text, source, step))
    if "emulsion" not in families and not any(e.concept == "cold_pan" for e in evidence):
        span = cold_vessel(text)
        if span is not None:
            cold = _concepts()["cold_pan"]
            weights = concept_weights(cold, families, (stem(t) for t in tokenize(span)))
            evidence.append(Evidence(source, f'{source}: "{span}" ({cold.label})', dict(weights), step, (), cold.key))
    return evidence


def _mixing_evidence(tokens: list[str], clause_weight: float, source: str, step: int | None) -> Evidence | None:
    """A mixing verb plus a duration or vigour cue in one clause ("whisked it hard for minutes") is overmixing."""
    verb = next((t for t in tokens if t in MIX_VERBS), None)
    if verb is None:
        return None
    joined = " " + " ".join(tokens) + " "
    cue = next((c for c in MIX_DURATION_CUES if f" {c} " in joined), None)
    if cue is None:
        return None
    return Evidence(
        source,
        f'{source}: "{verb} ... {cue}" (long or vigorous mixing)',
        {"overmixed": 1.5 * clause_weight},
        step,
        (),
        "overmix",
    )


def _analyze_clause(
    tokens: list[str],
    clause_weight: float,
    families: frozenset[str],
    source: str,
    step: int | None,
    dish_stems: frozenset[str] = frozenset(),
) -> list[Evidence]:
    stems = [stem(t) for t in tokens]
    # the dish name sets context too: "dry" on a pizza dough is short of water whether or not the note says "dough"
    context_stems = stems + sorted(dish_stems)
    out: list[Evidence] = []
    mixing = _mixing_evidence(tokens, clause_weight, source, step)
    if mixing is not None:
        out.append(mixing)
    negation_until = -1
    modifier, modifier_until = 1.0, -1
    quantity: str | None = None
    quantity_until = -1
    pending: tuple[int, str] | None = None  # a substance named before its amount
    i = 0
    while i < len(stems):
        if tokens[i] in SCOPE_BREAKERS and tokens[i + 1 : i + 2] not in (["much"], ["many"]):  # "so much salt"
            negation_until = modifier_until = quantity_until = -1
            i += 1
            continue
        entry, length = _match(stems, i)
        span = " ".join(tokens[i : i + length])
        end = i + length
        if entry is None:
            if tokens[i] == "enough" and i <= negation_until:
                quantity, quantity_until = "deficit", i + QUANTITY_REACH
                if pending is not None and i - pending[0] <= QUANTITY_REACH + 1:  # "the stock was barely enough"
                    out.append(_amount(pending[1], "deficit", tokens, pending[0], i + 1, clause_weight, source, step))
                    quantity, pending = None, None
        elif entry.kind == "neg" and i + 1 < len(tokens) and tokens[i + 1] in ("just", "only", "merely"):
            pass  # "not just wobbly" insists on the symptom, it does not deny it
        elif entry.kind == "neg":
            negation_until = end - 1 + NEGATION_REACH
            if tokens[i] in ("no", "without", "zero"):
                quantity, quantity_until = "deficit", end - 1 + QUANTITY_REACH
        elif entry.kind in ("excess", "deficit"):
            kind = entry.kind
            if kind == "excess" and any(s in WANTING for s in stems[max(0, i - 3) : i]):
                kind = "deficit"
            quantity, quantity_until = kind, end - 1 + QUANTITY_REACH
            if span in NEGATING_DEFICITS:
                negation_until = end - 1 + NEGATION_REACH
            elif pending is not None and i - pending[0] <= 2 and span in POSTPOSED_AMOUNTS:  # "salt was too much"
                out.append(_amount(pending[1], kind, tokens, pending[0], end, clause_weight, source, step))
                quantity, pending = None, None
        elif entry.kind == "intensity":
            modifier, modifier_until = entry.factor, end - 1 + MODIFIER_REACH
        elif entry.kind == "substance" or (entry.key in SUBSTANCE_CONCEPTS and quantity is not None):
            key = SUBSTANCE_CONCEPTS.get(entry.key, entry.key)
            if quantity is not None and i <= quantity_until:
                factor = clause_weight * (modifier if i <= modifier_until else 1.0)
                out.append(_amount(key, quantity, tokens, max(0, i - 3), end, factor, source, step))
                quantity, negation_until = None, -1
            else:
                pending = (i, key)
        elif entry.kind == "concept" and length == 1 and stems[i] in dish_stems:
            pass
        elif mixing is not None and entry.key in ("slow", "overmix"):
            pass  # "for ages" / "kept beating" already counted as mixing time, not slow heat
        else:
            negated = i <= negation_until
            factor = clause_weight * (modifier if i <= modifier_until else _trailing_downtoner(tokens, end))
            hit = _concept_evidence(entry.key, negated, factor, families, context_stems, span, source, step)
            if hit is not None:
                out.append(hit)
            modifier_until = -1
        i = end
    return out


def _amount(
    key: str, quantity: str, tokens: list[str], start: int, end: int, factor: float, source: str, step: int | None
) -> Evidence:
    substance = _SUBSTANCES[key]
    weights = substance.excess if quantity == "excess" else substance.deficit
    word = "too much" if quantity == "excess" else "too little"
    return Evidence(
        source,
        f'{source}: "{" ".join(tokens[start:end])}" ({word} {substance.label})',
        {k: v * factor for k, v in weights.items()},
        step,
    )


def _trailing_downtoner(tokens: list[str], end: int) -> float:
    """ "tore a bit", "salty, slightly": a hedge right after the symptom softens it too."""
    following = tokens[end : end + 2]
    for word in following:
        if word in ("bit", "little", "slightly", "tad", "somewhat"):
            return DOWNTONERS.get(word, 0.6)
    return 1.0


def _concept_evidence(
    key: str,
    negated: bool,
    factor: float,
    families: frozenset[str],
    stems: list[str],
    span: str,
    source: str,
    step: int | None,
) -> Evidence | None:
    concept = _concepts()[key]
    if negated and concept.negated:
        flipped = _concepts()[concept.negated]
        weights = concept_weights(flipped, families, stems)
        return Evidence(
            source,
            f'{source}: "not {span}" ({flipped.label})',
            {k: v * factor for k, v in weights.items()},
            step,
            flipped.safety,
            flipped.key,
        )
    weights = concept_weights(concept, families, stems)
    if negated:
        return Evidence(
            source,
            f'{source}: "not {span}" (rules out {concept.label})',
            {k: v * factor * NEGATED_COUNTER_FACTOR for k, v in weights.items() if v > 0},
            step,
        )
    return Evidence(
        source,
        f'{source}: "{span}" ({concept.label})',
        {k: v * factor for k, v in weights.items()},
        step,
        concept.safety,
        concept.key,
    )


def mentioned_step(text: str | None) -> int | None:
    if not text:
        return None
    match = _STEP_MENTION.search(text.lower())
    return int(match.group(1)) if match else None
