"""Grammar + learned layer: who decides the intent, and when to ask back instead of guessing.

The grammar is exact about numbers, durations, step numbers and timer names; the learned layer
(chefmentor/voice/classifier.py) knows the many ways people say the same thing. The model sees the grammar's
parse as features, so when both agree the grammar's slots are kept; when the model is confident and
disagrees, its intent wins and the grammar's slot parsers fill the slots; when neither is sure, the
intent is returned with `needs_confirmation` and the assistant asks "Did you mean ...?".
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from chefmentor.voice.classifier import Prediction, featurize, load_model, tokens
from chefmentor.voice.intents import (
    MAX_TIMER_SECONDS,
    RULE_CONFIDENCE,
    Intent,
    ParseContext,
    grammar_features,
    normalize,
    parse,
    timer_slots,
)
from chefmentor.voice.numbers import parse_step_reference

# Probability above which the model overrules a grammar that disagrees.
OVERRULE = 0.6
# A pattern of the grammar fired ("can we wait" -> pause): the model needs to be surer to overrule it.
OVERRULE_RULE = 0.8
# Below this the grammar's own intent is no longer believable when the model disagrees.
GRAMMAR_FLOOR = 0.2
# A guess at least this likely is offered back to the cook as a question; lower ones become `ask`.
ASK_BACK = 0.35
# Mostly unknown words (a garbled transcript): the model only echoes its priors, so the grammar decides.
MIN_KNOWN = 0.6
MIN_UNKNOWN_WORDS = 2
# Intents that change something the cook cannot simply undo by saying it again need more certainty to
# overrule the grammar; between ASK_BACK and this they are asked back.
OVERRULE_ACTION = 0.9
ACTIONS = frozenset({"set_timer", "cancel_timer", "finish", "goto_step"})
# Pairs told apart by the session's state, which only the grammar sees ("continue" resumes when paused and
# moves on otherwise; "where was I" repeats the step unless paused): between these the grammar decides.
STATE_PAIRS = frozenset({frozenset({"resume", "next_step"}), frozenset({"resume", "repeat_step"})})


def predict(norm: str, grammar: Intent, context: ParseContext) -> tuple[Prediction, bool] | None:
    """The model's class probabilities, and whether the utterance is mostly words it never saw."""
    model = load_model()
    if model is None:
        return None
    words = tokens(norm, recipe_words=context.recipe_words, timer_names=context.timer_names)
    return model.predict(featurize(words, grammar_features(grammar))), garbled(norm, context)


def garbled(norm: str, context: ParseContext) -> bool:
    """Mostly words the corpus never saw (judged before spelling correction): a garbled transcript
    ("wave the ball built"), on which the model's guess is little more than its class prior."""
    model = load_model()
    if model is None:
        return False
    words = tokens(norm, recipe_words=context.recipe_words, timer_names=context.timer_names)
    unknown, total = model.unknown_words(words)
    return unknown >= MIN_UNKNOWN_WORDS and unknown > (1 - MIN_KNOWN) * total


def corrected(original: str, grammar: Intent, context: ParseContext) -> tuple[str, Intent]:
    """The utterance with typing slips put right, and the grammar's parse of it (the cook's own words stay
    the intent's text and question)."""
    norm = normalize(original)
    model = load_model()
    if model is None:
        return norm, grammar
    # A timer name the grammar found is more likely a food the corpus lacks ("kale", "flan") than a slip.
    named = (str(grammar.slots["name"]),) if grammar.slots.get("name") else ()
    fixed = model.correct(norm, keep=(*context.recipe_words, *context.timer_names, *named))
    if fixed == norm:
        return norm, grammar
    reparsed = parse(fixed, context)
    slots = {**reparsed.slots, "question": original} if "question" in reparsed.slots else reparsed.slots
    return normalize(fixed), dataclasses.replace(reparsed, text=original, slots=slots)


def decide(text: str, context: ParseContext) -> Intent:
    original = text.strip()
    grammar = parse(original, context)
    if grammar.name == "ask" and grammar.confidence == 0.0:
        return grammar
    heard = normalize(original)
    as_heard = grammar
    norm, grammar = corrected(original, grammar, context)
    predicted = predict(norm, grammar, context)
    if predicted is None:
        return grammar
    prediction, unknown_words = predicted
    if unknown_words or garbled(heard, context):
        # Mostly unknown words: a garbled transcript, which spelling correction would only make worse.
        return as_heard
    best, probability = prediction.best
    if best == grammar.name:
        confidence = RULE_CONFIDENCE if grammar.confidence >= RULE_CONFIDENCE else probability
        return dataclasses.replace(grammar, confidence=round(max(confidence, min(probability, 0.99)), 3))
    if frozenset({best, grammar.name}) in STATE_PAIRS or _relative_move(grammar, best):
        return grammar
    candidate = with_slots(best, norm, original, context, probability)
    needed = OVERRULE_RULE if grammar.confidence >= RULE_CONFIDENCE else OVERRULE
    if best in ACTIONS or (grammar.name == "ask" and _has_unknown_word(norm, context)):
        needed = OVERRULE_ACTION
    if probability >= needed and candidate is not None:
        return candidate
    if grammar.name != "ask" and prediction.probability(grammar.name) >= GRAMMAR_FLOOR:
        return grammar
    if candidate is not None and best != "ask" and probability >= ASK_BACK:
        return dataclasses.replace(candidate, needs_confirmation=True)
    if grammar.name != "ask" and candidate is None:
        return grammar
    return Intent("ask", {"question": original}, original, round(prediction.probability("ask"), 3))


def _has_unknown_word(norm: str, context: ParseContext) -> bool:
    """A word the corpus never saw ("what year is it", "call my mum") may be what the sentence is about;
    the model, blind to it, then needs more certainty to turn a question into a command."""
    model = load_model()
    words = tokens(norm, recipe_words=context.recipe_words, timer_names=context.timer_names)
    return model is not None and model.unknown_words(words)[0] > 0


def _relative_move(grammar: Intent, best: str) -> bool:
    """ "go back two steps" is a goto computed from the current step, which only the grammar knows."""
    return grammar.name == "goto_step" and "step" in grammar.slots and best in ("next_step", "previous_step")


def with_slots(name: str, norm: str, original: str, context: ParseContext, probability: float) -> Intent | None:
    """The model's intent with slots from the grammar's parsers; None when a required slot is missing."""
    slots: dict[str, Any] = {}
    if name == "ask":
        slots = {"question": original}
    elif name == "goto_step":
        step = parse_step_reference(norm, step_count=context.step_count)
        if step is None:
            return None
        slots = {"step": step}
    elif name in ("set_timer", "check_timer", "cancel_timer"):
        found = timer_slots(norm, context)
        if name == "set_timer" and "seconds" in found:
            slots["seconds"] = min(int(found["seconds"]), MAX_TIMER_SECONDS)
        if found.get("name"):
            slots["name"] = found["name"]
        if name == "cancel_timer" and not slots and re.search(r"\b(?:all|every|both)\b", norm):
            slots["all"] = True
    return Intent(name, slots, original, round(probability, 3))
