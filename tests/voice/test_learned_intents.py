"""The learned intent layer: shipped weights match the corpus, it generalizes past the grammar, and the
grammar still owns slots and session state."""

from __future__ import annotations

from pathlib import Path

import pytest

from chefmentor.voice import classifier, training
from chefmentor.voice.evaluation import evaluate, is_correct, load_cases
from chefmentor.voice.intents import ParseContext, parse, understand

CASES_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "voice"
# Written from the kinds of failure, never trained on. unseen_dev was looked at while building the layer;
# unseen (0.95), unseen2 (0.92), unseen3 (0.91) and unseen4 (0.98) were each scored once on first contact (the
# corpus grew after the first two were scored). Floors sit under the current accuracy.
UNSEEN_FLOORS = {
    "unseen_dev.jsonl": 0.95,
    "unseen.jsonl": 0.95,
    "unseen2.jsonl": 0.93,
    "unseen3.jsonl": 0.88,
    "unseen4.jsonl": 0.93,
    # Written before the second round of changes (first contact 0.976 and 0.938), then tuned on.
    "unseen5.jsonl": 0.95,
    "unseen6.jsonl": 0.95,
    # Written after that round and scored once (0.963), never tuned on.
    "unseen7.jsonl": 0.93,
}


def test_shipped_weights_were_fitted_from_the_current_corpus() -> None:
    stored = classifier.stored_digest()
    assert stored is not None, "run: python -m chefmentor.voice.training"
    digest, version = stored
    assert version == classifier.FEATURE_VERSION
    assert digest == training.corpus_digest(training.training_set()), "corpus changed: refit the model"


def test_the_corpus_covers_every_intent_with_many_phrasings() -> None:
    examples = training.generate()
    per_intent: dict[str, set[str]] = {}
    for example in examples:
        per_intent.setdefault(example.intent, set()).add(example.text)
    assert set(per_intent) == set(training.INTENTS)
    assert min(len(texts) for texts in per_intent.values()) >= 80


def test_template_expansion_fills_alternatives_and_lists() -> None:
    import random

    lists = {"food": ["rice"], "dur": ["ten minutes"]}
    seen = {
        training.expand_once("(set|start) a {food} timer for {dur}( please|)", lists, random.Random(i))
        for i in range(40)
    }
    assert seen == {
        "set a rice timer for ten minutes",
        "start a rice timer for ten minutes",
        "set a rice timer for ten minutes please",
        "start a rice timer for ten minutes please",
    }


@pytest.mark.parametrize(("file_name", "floor"), UNSEEN_FLOORS.items())
def test_unseen_phrasings_reach_the_goal(file_name: str, floor: float) -> None:
    cases = load_cases(CASES_DIR / file_name)
    assert len(cases) >= 50
    report = evaluate(cases)
    wrong = [(c["text"], c["predicted"]) for c in report["cases"] if not c["correct"]]
    assert report["accuracy"] >= floor, wrong


def test_the_learned_layer_fixes_what_the_grammar_alone_misses() -> None:
    cases = [case for name in UNSEEN_FLOORS for case in load_cases(CASES_DIR / name)]
    grammar_only = sum(is_correct(c, parse(c.text)) for c in cases)
    combined = sum(is_correct(c, understand(c.text)) for c in cases)
    assert combined - grammar_only >= 0.05 * len(cases), (grammar_only, combined)


def test_without_the_model_the_grammar_decides(monkeypatch: pytest.MonkeyPatch) -> None:
    from chefmentor.voice import understanding

    monkeypatch.setattr(understanding, "load_model", lambda: None)
    for text in ("that's dinner ready, we can stop now", "next step please", "set a timer for 5 minutes"):
        assert understand(text) == parse(text)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("the sauce has thickened nicely, where do we go from here", "next_step"),
        ("we've plated everything up, that's us finished with the dish", "finish"),
        ("which phrases do you respond to", "help"),
        ("remind me what goes into this one", "list_ingredients"),
        ("how should I slice the leeks", "ask"),
        ("how will I know the leeks are soft enough", "expected_state"),
    ],
)
def test_indirect_phrasings(text: str, intent: str) -> None:
    assert understand(text).name == intent


def test_recipe_words_generalize_to_foods_the_corpus_never_saw() -> None:
    context = ParseContext(recipe_words=("kohlrabi", "farro"), timer_names=("farro",))
    assert understand("how long has the farro got left", context).to_json()["slots"] == {"name": "farro"}
    assert understand("how do I peel the kohlrabi", context).name == "ask"


def test_model_keeps_the_grammars_slots_and_state() -> None:
    here = ParseContext(step_count=6, current_step=4)
    assert understand("go back two steps", here).slots == {"step": 2}
    assert understand("continue", ParseContext(paused=True)).name == "resume"
    assert understand("continue", ParseContext(paused=False)).name == "next_step"
    timer = understand("could you time the farro for twelve minutes")
    assert timer.name == "set_timer" and timer.slots["seconds"] == 720


def test_unsure_guesses_are_marked_for_asking_back() -> None:
    simmer = understand("let it simmer for 10 minutes")
    assert simmer.needs_confirmation or simmer.name == "ask"
    assert simmer.to_json().get("needsConfirmation", False) == simmer.needs_confirmation
    assert not understand("next step please").needs_confirmation


@pytest.mark.parametrize(
    "garbled", ["Wave the ball built.", "All good gear, unwind.", "Then, we'll solve the phenomenon."]
)
def test_garbled_transcripts_are_not_turned_into_commands(garbled: str) -> None:
    """Mostly unknown words: the model's guess is its prior, so nothing (least of all finish) is acted on."""
    assert understand(garbled).name == "ask"


def test_a_guess_between_the_thresholds_is_asked_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from chefmentor.voice import understanding
    from chefmentor.voice.classifier import Prediction

    def unsure(_norm: str, _grammar: object, _context: object) -> tuple[Prediction, bool]:
        return Prediction((("next_step", 0.5), ("ask", 0.3), ("help", 0.2))), False

    monkeypatch.setattr(understanding, "predict", unsure)
    intent = understand("the wobbly thing is over there")
    assert intent.name == "next_step" and intent.needs_confirmation
    assert intent.to_json()["needsConfirmation"] is True


def test_a_rule_of_the_grammar_stands_against_a_mild_disagreement(monkeypatch: pytest.MonkeyPatch) -> None:
    from chefmentor.voice import understanding
    from chefmentor.voice.classifier import Prediction

    def mild(_norm: str, _grammar: object, _context: object) -> tuple[Prediction, bool]:
        return Prediction((("previous_step", 0.7), ("pause", 0.3))), False

    monkeypatch.setattr(understanding, "predict", mild)
    assert understand("can we wait").name == "pause"
