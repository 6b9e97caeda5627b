"""Robustness of understanding to how people type and talk: typing slips are corrected toward the corpus's
own words (never toward a food the corpus lacks), fillers are dropped mid-sentence, inflections share
features, and the training corpus is roughened the same way without its slips leaking into the vocabulary."""

from __future__ import annotations

import random

import pytest
from rapidfuzz.distance import OSA

from chefmentor.voice import classifier, training
from chefmentor.voice.intents import ParseContext, normalize, understand


@pytest.mark.parametrize(
    ("text", "intent", "slots"),
    [
        ("nxt step", "next_step", {}),
        ("set a timr for fout minutes", "set_timer", {"seconds": 240}),
        ("count down two minutrs for the eggs", "set_timer", {"seconds": 120, "name": "eggs"}),
        ("paise it", "pause", {}),
        ("chrck the chicken timer", "check_timer", {"name": "chicken"}),
    ],
)
def test_typing_slips_are_corrected(text: str, intent: str, slots: dict[str, object]) -> None:
    result = understand(text)
    assert (result.name, result.slots) == (intent, slots)
    assert result.text == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("start the kale timer five minutes", "kale"),
        ("how long on the flan", "flan"),
        ("put the jam timer on for 3 minutes", "jam"),
    ],
)
def test_a_timer_name_the_corpus_lacks_is_not_corrected_into_another_word(text: str, name: str) -> None:
    assert understand(text).slots.get("name") == name


def test_recipe_words_are_never_corrected() -> None:
    model = classifier.load_model()
    assert model is not None
    assert model.correct("timer for the saucr", keep=("saucr",)) == "timer for the saucr"
    assert model.correct("timer for the saucr") == "timer for the sauce"
    context = ParseContext(timer_names=("brisket",))
    assert understand("how long is left on the brisket", context).slots == {"name": "brisket"}


def test_a_free_question_keeps_the_cooks_own_words() -> None:
    result = understand("how do i get the skinn crispy")
    assert result.name == "ask"
    assert result.slots["question"] == "how do i get the skinn crispy"


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        ("stop the like egg timer", "stop the egg timer"),
        ("what should it look like", "what should it look like"),
        ("is it supposed to be like this", "is it supposed to be like this"),
        ("jump to step number you know two", "jump to step number 2"),
        ("do you know how long it takes", "do you know how long it takes"),
        ("go back i mean", "go back"),
    ],
)
def test_fillers_are_dropped_mid_sentence_but_meaningful_like_stays(text: str, norm: str) -> None:
    assert normalize(text) == norm


def test_filler_inside_a_duration_keeps_the_duration() -> None:
    assert understand("start a thirty like second timer").slots == {"seconds": 30}
    assert understand("timer for one you know hour").slots == {"seconds": 3600}


def test_inflections_share_a_stem() -> None:
    assert {classifier.stem(w) for w in ("stirring", "stirred", "stirs", "stir")} == {"stir"}
    assert classifier.stem("egg") == "egg"


def test_roughening_makes_one_slip_and_is_reproducible() -> None:
    rng = random.Random(3)
    for word in ("minutes", "timer", "next", "ingredients"):
        slipped = training.misspell(word, rng)
        assert slipped != word or len(set(word)) < len(word)
        assert OSA.distance(word, slipped) <= 1
    texts = ["what do i do now with the onions"] * 50
    first = [training.roughen(t, random.Random(i)) for i, t in enumerate(texts)]
    again = [training.roughen(t, random.Random(i)) for i, t in enumerate(texts)]
    assert first == again
    assert len(set(first)) > 3


def test_the_shipped_vocabulary_holds_no_training_slips() -> None:
    model = classifier.load_model()
    assert model is not None
    assert {"next", "timer", "minutes", "ingredients"} <= model.vocabulary
    assert not {"nxt", "timr", "mimutes", "ingrediants"} & model.vocabulary
    assert model.counts["next"] > model.counts.get("text", 0)
