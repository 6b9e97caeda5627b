"""The learned intent layer: a linear softmax model over hashed features of the utterance.

Features are the normalized words and word pairs (the recipe's own food words and running timer names
replaced by <food>/<timer>, so the model generalizes across recipes), character n-grams (robust to
recognition slips), and the grammar's parse (its intent and which slots it found). The weights are fitted
offline from the paraphrase corpus (chefmentor/voice/training.py) and shipped next to this file; loading
is a NumPy read, predicting is one sparse row sum (no model is downloaded, nothing runs on a GPU).
"""

from __future__ import annotations

import re
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from numpy.typing import NDArray

MODEL_PATH = Path(__file__).with_name("intent_model.npz")
FEATURE_VERSION = 4
HASH_BITS = 16
HASH_SIZE = 1 << HASH_BITS

# Foods and kitchen nouns the model treats as one token even without a recipe in context: recipe words
# arrive at run time through ParseContext.recipe_words.
COMMON_FOODS = frozenset(
    """onion onions garlic rice pasta bread egg eggs chicken butter flour sugar milk cream cheese potato potatoes
    carrot carrots peas beef mince salmon fish tomato tomatoes spinach mushroom mushrooms oil lemon lime ginger
    parsley basil stock sauce dough batter pancake pancakes noodles beans lentils bacon cake cookies broccoli
    courgette zucchini pepper peppers margarine yoghurt yogurt honey lamb pork sausages steak prawns shrimp
    tofu veg vegetables meat water salt chilli chili cumin paprika vinegar wine custard gravy soup stew curry
    risotto pizza roast potatoes pie crust pastry biscuits muffins""".split()
)


@dataclass(frozen=True, slots=True)
class Prediction:
    """Class probabilities in the model's label order, best first."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def best(self) -> tuple[str, float]:
        return self.ranked[0]

    @property
    def runner_up(self) -> tuple[str, float]:
        return self.ranked[1] if len(self.ranked) > 1 else ("ask", 0.0)

    def probability(self, label: str) -> float:
        return next((p for name, p in self.ranked if name == label), 0.0)


def _bucket(feature: str) -> int:
    return zlib.crc32(feature.encode("utf-8")) & (HASH_SIZE - 1)


def tokens(norm: str, *, recipe_words: Iterable[str] = (), timer_names: Iterable[str] = ()) -> list[str]:
    """Normalized words with numbers, running timer names and food words generalized."""
    timers = {w for name in timer_names for w in name.lower().split()}
    foods = COMMON_FOODS | {w for word in recipe_words for w in word.lower().split() if len(w) > 2}
    out: list[str] = []
    for word in norm.split():
        if re.fullmatch(r"[\d.:]+(?:st|nd|rd|th)?", word):
            out.append("<num>")
        elif word in timers:
            out.append("<timer>")
        elif word in foods or word.rstrip("s") in foods:
            out.append("<food>")
        else:
            out.append(word)
    return out


_SUFFIXES = ("ing", "ed", "es", "ly", "er", "s")


def stem(word: str) -> str:
    """A crude suffix strip ("stirring", "stirred", "stirs" -> "stir"): inflections a template did not
    happen to use still share a feature with the ones it did."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: -len(suffix)]
            return base[:-1] if len(base) > 3 and base[-1] == base[-2] else base
    return word


def feature_names(words: Sequence[str], grammar: Sequence[str]) -> list[str]:
    """Every feature of one utterance; `grammar` holds the parse features ("g:set_timer", "slot:seconds")."""
    names = [f"w:{w}" for w in words]
    stems = [stem(w) for w in words]
    names += [f"s:{w}" for w in stems]
    padded_stems = ["^", *stems, "$"]
    names += [f"sb:{a} {b}" for a, b in zip(padded_stems, padded_stems[1:], strict=False)]
    padded = ["^", *words, "$"]
    names += [f"b:{a} {b}" for a, b in zip(padded, padded[1:], strict=False)]
    names += [f"t:{a} {b} {c}" for a, b, c in zip(padded, padded[1:], padded[2:], strict=False)]
    for word in words:
        if word.startswith("<"):
            continue
        marked = f"<{word}>"
        names += [f"c:{marked[i : i + 4]}" for i in range(max(1, len(marked) - 3))]
    names.append(f"len:{min(len(words), 12)}")
    names += grammar
    return names


def featurize(words: Sequence[str], grammar: Sequence[str]) -> list[int]:
    return sorted({_bucket(name) for name in feature_names(words, grammar)})


# Number words are digits after normalization, so the corpus vocabulary never holds them; a slip in one
# ("fout minutes", "hakf an hour") must still be put right before the duration parser reads it.
NUMBER_WORDS = frozenset(
    """one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen
    seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred half quarter
    first second third fourth fifth sixth seventh eighth ninth tenth quarters halves thirds dozen""".split()
)
# A slip is one edit (letter dropped, added, changed or two swapped) away from a known word; shorter
# words, and corrections to them ("jam" -> "am"), are too often a different real word one edit away.
MIN_CORRECTABLE = 3


class IntentModel:
    def __init__(
        self,
        weights: NDArray[np.float32],
        bias: NDArray[np.float32],
        labels: Sequence[str],
        vocabulary: Iterable[str] = (),
        counts: dict[str, int] | None = None,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.labels = tuple(labels)
        self.vocabulary = frozenset(vocabulary)
        self.counts = counts or {}
        self._spellable = sorted(self.vocabulary | NUMBER_WORDS | COMMON_FOODS)

    def correct(self, norm: str, keep: Iterable[str] = ()) -> str:
        """Typing slips and near-miss words put right ("nxt" -> "next", "mimutes" -> "minutes", "saucr" ->
        "sauce"): a word the corpus never saw that is one edit from exactly one best known word (most
        frequent on ties). Recipe words and timer names in `keep` are left alone."""
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        if not self.vocabulary:
            return norm
        kept = {w for phrase in keep for w in phrase.lower().split()} | COMMON_FOODS
        words = norm.split()
        for index, word in enumerate(words):
            if len(word) < MIN_CORRECTABLE or not word.isalpha() or word in self.vocabulary or word in kept:
                continue
            if word in NUMBER_WORDS:
                continue
            matches = process.extract(word, self._spellable, scorer=OSA.distance, score_cutoff=1, limit=None)
            matches = [m for m in matches if len(m[0]) >= MIN_CORRECTABLE + 1]
            if matches:
                words[index] = max(matches, key=lambda m: (self.counts.get(m[0], 1), m[0]))[0]
        return " ".join(words)

    def unknown_words(self, words: Sequence[str]) -> tuple[int, int]:
        """(unknown, total) plain words: a garbled transcript ("wave the ball built") is mostly words the
        model never saw, and its guess on it is little more than its class prior."""
        plain = [w for w in words if not w.startswith("<")]
        if not self.vocabulary:
            return 0, len(plain)
        return sum(w not in self.vocabulary for w in plain), len(plain)

    def predict(self, indices: Sequence[int]) -> Prediction:
        logits = self.bias + (self.weights[list(indices)].sum(axis=0) if indices else 0.0)
        shifted = np.exp(logits - logits.max())
        probs = shifted / shifted.sum()
        order = np.argsort(-probs)
        return Prediction(tuple((self.labels[i], float(probs[i])) for i in order))

    def save(self, path: Path, *, corpus_digest: str) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            labels=np.array(self.labels),
            vocabulary=np.array(sorted(self.vocabulary)),
            counts=np.array([self.counts.get(w, 0) for w in sorted(self.vocabulary)], dtype=np.int32),
            corpus_digest=np.array(corpus_digest),
            feature_version=np.array(FEATURE_VERSION),
        )


_LOADED: dict[Path, IntentModel | None] = {}
_LOCK = threading.Lock()


def stored_digest(path: Path = MODEL_PATH) -> tuple[str, int] | None:
    """(corpus digest, feature version) the shipped weights were fitted from."""
    if not path.is_file():
        return None
    with np.load(path) as data:
        return str(data["corpus_digest"]), int(data["feature_version"])


def load_model(path: Path = MODEL_PATH) -> IntentModel | None:
    """The shipped model, loaded once per process; None when absent (the grammar alone then decides)."""
    with _LOCK:
        if path not in _LOADED:
            _LOADED[path] = _read(path)
        return _LOADED[path]


def _read(path: Path) -> IntentModel | None:
    if not path.is_file():
        return None
    with np.load(path) as data:
        if int(data["feature_version"]) != FEATURE_VERSION:
            return None
        weights = data["weights"].astype(np.float32)
        labels = [str(x) for x in data["labels"]]
        vocabulary = [str(w) for w in data["vocabulary"]]
        counts = dict(zip(vocabulary, (int(c) for c in data["counts"]), strict=True)) if "counts" in data else {}
        return IntentModel(weights, data["bias"].astype(np.float32), labels, vocabulary, counts)
