"""Fit the learned intent layer from the paraphrase templates (run offline, never at run time).

    .venv/bin/python -m chefmentor.voice.training            # expand, fit, write the corpus and the weights

The templates (fixtures/voice/paraphrase_templates.txt) expand into the paraphrase corpus
(fixtures/voice/paraphrases.jsonl, kept in the repo); the familiar case files in fixtures/voice are added
as real phrasings. Fitting is deterministic (fixed seed), so the same corpus always gives the same weights.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from chefmentor.voice.classifier import HASH_SIZE, MODEL_PATH, IntentModel, featurize, tokens
from chefmentor.voice.grammar import INTENTS, KEYWORDS, NOT_TIMER_NAMES

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "fixtures" / "voice" / "paraphrase_templates.txt"
CORPUS = ROOT / "fixtures" / "voice" / "paraphrases.jsonl"
# Real phrasings already scored and fixed in the grammar; the unseen_* sets are never trained on.
FAMILIAR_CASES = ("commands", "heldout", "heldout2", "blind", "blind2", "blind3", "blind4")
SAMPLES_PER_TEMPLATE = 28
FAMILIAR_WEIGHT = 3
PREFIXES = ("", "", "", "okay ", "right ", "um ", "so ", "alright ", "hey chef ", "uh okay so ", "yeah ", "sorry ")
SUFFIXES = ("", "", "", " please", " thanks", " chef", " then", " now")
# Terse and non-native speech drops articles and auxiliaries ("how i cut the carrot", "timer ten minutes
# rice"); some expansions lose them so the model does not lean on them.
DROPPABLE = frozenset("the a an is are do does to of my it".split())
DROP_RATE = 0.15
# Casual speech puts fillers mid-sentence ("how should i be, like, stirring this"); typed commands have
# typos and dropped vowels ("nxt", "timmer", "ingrediants"). Both are mixed into some expansions.
MID_FILLERS = ("like", "you know", "i mean", "kind of", "uh", "um", "basically", "just", "actually")
FILLER_RATE = 0.12
TYPO_RATE = 0.12
# Templates with many alternatives get more samples, up to this many.
MAX_SAMPLES_PER_TEMPLATE = 64


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    intent: str
    timers: tuple[str, ...] = ()


def _alternatives(text: str, start: int) -> tuple[list[list[str]], int]:
    """Parse "(a|b|c)" starting after "(": a list of alternatives, each a list of parts."""
    options: list[list[str]] = [[]]
    index = start
    literal = ""
    while index < len(text):
        char = text[index]
        if char == "(":
            if literal:
                options[-1].append(literal)
                literal = ""
            nested, index = _alternatives(text, index + 1)
            options[-1].append(json.dumps(nested))
            continue
        if char == "|":
            options[-1].append(literal)
            literal = ""
            options.append([])
        elif char == ")":
            options[-1].append(literal)
            return options, index + 1
        else:
            literal += char
        index += 1
    raise ValueError(f"Unclosed '(' in template: {text}")


def expand_once(template: str, lists: dict[str, list[str]], rng: random.Random) -> str:
    """One random expansion of a template (alternatives and {placeholders} chosen at random)."""
    options, _ = _alternatives(template + ")", 0)
    text = _pick(options, rng)
    for _ in range(4):
        if "{" not in text:
            break
        text = re.sub(r"\{(\w+)\}", lambda m: expand_once(rng.choice(lists[m.group(1)]), lists, rng), text)
    return re.sub(r"\s+", " ", text).strip(" ,")


def _pick(options: list[list[str]], rng: random.Random) -> str:
    out = ""
    for part in rng.choice(options):
        out += _pick(json.loads(part), rng) if part.startswith("[") else part
    return out


def read_templates(path: Path = TEMPLATES) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("# "):
            continue
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = []
        elif current:
            sections[current].append(line)
    lists = {}
    for line in sections.pop("lists", []):
        key, _, values = line.partition(":")
        lists[key.strip()] = [v.strip() for v in _top_level_split(values.strip())]
    return sections, lists


def _top_level_split(values: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in values:
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += (char == "(") - (char == ")")
        current += char
    return [*parts, current]


def generate(seed: int = 19) -> list[Example]:
    """The paraphrase corpus: every template sampled, with fillers and running timers mixed in."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible corpus, not a secret
    sections, lists = read_templates()
    timer_words = lists["timer"]
    examples: dict[tuple[str, str], Example] = {}
    for intent, templates in sections.items():
        if intent not in INTENTS:
            raise ValueError(f"Unknown intent section: {intent}")
        for template in templates:
            samples = min(MAX_SAMPLES_PER_TEMPLATE, SAMPLES_PER_TEMPLATE + 2 * template.count("|"))
            for _ in range(samples):
                text = rng.choice(PREFIXES) + expand_once(template, lists, rng) + rng.choice(SUFFIXES)
                text = roughen(text, rng)
                mentioned = [t for t in timer_words if re.search(rf"\b{re.escape(t)}\b", text)]
                timers: tuple[str, ...] = ()
                if mentioned and intent in ("check_timer", "cancel_timer") and rng.random() < 0.85:
                    timers = (mentioned[0],)
                elif rng.random() < 0.3:
                    timers = (rng.choice(timer_words),)
                examples.setdefault((text, intent), Example(text, intent, timers))
    return list(examples.values())


def roughen(text: str, rng: random.Random) -> str:
    """Sometimes drop articles, insert a filler mid-sentence or misspell one word."""
    words = text.split()
    if rng.random() < DROP_RATE:
        words = [w for w in words if w not in DROPPABLE or rng.random() < 0.5] or words
    if len(words) > 2 and rng.random() < FILLER_RATE:
        words.insert(rng.randrange(1, len(words)), rng.choice(MID_FILLERS))
    long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if long_words and rng.random() < TYPO_RATE:
        index = rng.choice(long_words)
        words[index] = misspell(words[index], rng)
    return " ".join(words)


def misspell(word: str, rng: random.Random) -> str:
    """One typing slip: a dropped vowel or letter, two letters swapped, or a letter doubled."""
    vowels = [i for i, c in enumerate(word) if c in "aeiou" and i > 0]
    kind = rng.randrange(4)
    if kind == 0 and vowels:
        i = rng.choice(vowels)
        return word[:i] + word[i + 1 :]
    i = rng.randrange(1, len(word) - 1)
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 2:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def familiar_examples() -> list[Example]:
    out: list[Example] = []
    for name in FAMILIAR_CASES:
        path = ROOT / "fixtures" / "voice" / f"{name}.jsonl"
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                out.append(Example(case["text"], case["expected"]["intent"]))
    return out


def features_of(example: Example, *, with_grammar: bool) -> list[int]:
    from chefmentor.voice.intents import ParseContext, grammar_features, normalize, parse

    norm = normalize(example.text)
    context = ParseContext(timer_names=example.timers)
    grammar = grammar_features(parse(example.text, context)) if with_grammar else []
    return featurize(tokens(norm, timer_names=example.timers), grammar)


def fit(
    rows: list[list[int]], labels: list[int], classes: int, *, epochs: int = 160, l2: float = 1e-5, seed: int = 19
) -> tuple[np.ndarray, np.ndarray]:
    """Multinomial logistic regression on sparse binary rows (full-batch Adam, class-balanced)."""
    used = np.unique(np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]))
    compact = {int(c): i for i, c in enumerate(used)}
    cols = np.array([compact[c] for r in rows for c in r], dtype=np.int64)
    row_of = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    scale = np.repeat(1.0 / np.sqrt([max(1, len(r)) for r in rows]), [len(r) for r in rows]).astype(np.float32)
    y = np.asarray(labels)
    counts = np.bincount(y, minlength=classes).astype(np.float32)
    sample_weight = (len(y) / (classes * np.maximum(counts, 1)))[y].astype(np.float32)
    rng = np.random.default_rng(seed)
    weights = (rng.standard_normal((used.size, classes)) * 0.01).astype(np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    moments = [np.zeros_like(weights), np.zeros_like(weights), np.zeros_like(bias), np.zeros_like(bias)]
    onehot = np.eye(classes, dtype=np.float32)[y]
    for step in range(1, epochs + 1):
        contributions = weights[cols] * scale[:, None]
        logits = np.zeros((len(rows), classes), dtype=np.float32)
        np.add.at(logits, row_of, contributions)
        logits += bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        error = (probs - onehot) * sample_weight[:, None] / len(rows)
        grad_w = np.stack(
            [np.bincount(cols, weights=error[row_of, k] * scale, minlength=used.size) for k in range(classes)], axis=1
        ).astype(np.float32)
        grad_w += l2 * weights
        grad_b = error.sum(axis=0)
        lr = 0.05
        for param, grad, m, v in ((weights, grad_w, moments[0], moments[1]), (bias, grad_b, moments[2], moments[3])):
            m *= 0.9
            m += 0.1 * grad
            v *= 0.999
            v += 0.001 * grad * grad
            param -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    full = np.zeros((HASH_SIZE, classes), dtype=np.float32)
    full[used] = weights
    return full, bias


def corpus_digest(examples: list[Example]) -> str:
    payload = "\n".join(f"{e.intent}\t{e.text}\t{','.join(e.timers)}" for e in examples)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def training_set() -> list[Example]:
    # Real phrasings count three times: there are far fewer of them than template expansions.
    return generate() + familiar_examples() * FAMILIAR_WEIGHT


def iter_training_rows(examples: list[Example]) -> Iterator[tuple[list[int], str]]:
    """Each example twice: with the grammar's parse and without it, so the model also learns the words
    and is not just a copy of the grammar."""
    for example in examples:
        yield features_of(example, with_grammar=True), example.intent
        yield features_of(example, with_grammar=False), example.intent


def clean_vocabulary() -> set[str]:
    """The words written in the templates and the familiar cases, never the misspellings that training
    mixes in: the words a slip is corrected to, and the words that do not make a transcript look garbled."""
    from chefmentor.voice.intents import normalize

    lines = [
        re.sub(r"\{\w+\}|[(){}|,?:]", " ", line)
        for line in TEMPLATES.read_text(encoding="utf-8").splitlines()
        if not line.startswith("#")
    ]
    lines += [e.text for e in familiar_examples()]
    words = {w for line in lines for w in tokens(normalize(line)) if not w.startswith("<") and w.isalpha()}
    return words | set(NOT_TIMER_NAMES) | {w for phrase in KEYWORDS for w in phrase.split()}


def main() -> None:
    from chefmentor.voice.intents import normalize

    examples = training_set()
    CORPUS.write_text(
        "".join(json.dumps({"text": e.text, "intent": e.intent, "timers": list(e.timers)}) + "\n" for e in generate()),
        encoding="utf-8",
    )
    labels = list(INTENTS)
    rows, targets = [], []
    for features, intent in iter_training_rows(examples):
        rows.append(features)
        targets.append(labels.index(intent))
    weights, bias = fit(rows, targets, len(labels))
    vocabulary = clean_vocabulary()
    counts = Counter(w for e in examples for w in tokens(normalize(e.text), timer_names=e.timers))
    model = IntentModel(weights, bias, labels, vocabulary, {w: counts[w] for w in vocabulary})
    model.save(MODEL_PATH, corpus_digest=corpus_digest(examples))
    sys.stdout.write(f"{len(examples)} examples ({len(rows)} rows) -> {MODEL_PATH}\n")


if __name__ == "__main__":
    main()
