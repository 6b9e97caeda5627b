"""Spoken or typed text -> one intent of the closed set (CONTRACTS.md) with its slots."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from chefmentor.voice import grammar as g
from chefmentor.voice.numbers import Duration, digitize, parse_duration, parse_step_reference

RULE_CONFIDENCE = 0.9
FUZZY_CUTOFF = 80.0
TIMER_NAME_CUTOFF = 72.0
KEYWORD_CUTOFF = 86.0
MAX_TIMER_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class Intent:
    name: str
    slots: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    confidence: float = RULE_CONFIDENCE
    # Not sure enough to act: the assistant asks back ("Did you mean the next step?") instead.
    needs_confirmation: bool = False

    def to_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"intent": self.name, "slots": dict(self.slots), "text": self.text}
        if self.needs_confirmation:
            document["needsConfirmation"] = True
        return document


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What the parser may know about the cook's situation; every field is optional."""

    step_count: int | None = None
    current_step: int | None = None
    paused: bool | None = None
    timer_names: tuple[str, ...] = ()
    # The current recipe's own words (ingredient names, step words): the learned layer generalizes over them.
    recipe_words: tuple[str, ...] = ()


def normalize(text: str) -> str:
    """Lower case, expanded contractions, known mishearings fixed, fillers removed, numbers as digits."""
    lowered = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    lowered = re.sub(r"(?<=\d)[.,](?=\d)", "\x00", lowered)
    lowered = re.sub(r"(?<=\d):(?=\d)", "\x01", lowered)
    lowered = re.sub(r"[^\w'\s\x00\x01-]", " ", lowered).replace("\x00", ".").replace("\x01", ":")
    lowered = re.sub(r"\s+", " ", lowered).strip()
    for phrase, replacement in g.CONTRACTIONS.items():
        lowered = re.sub(rf"(?<![\w']){re.escape(phrase)}(?![\w'])", replacement, lowered)
    lowered = lowered.replace("'s", "").replace("'", "")
    lowered = g.WHOLE_MISHEARINGS.get(lowered, lowered)
    for phrase, replacement in g.MISHEARINGS.items():
        lowered = re.sub(rf"\b{re.escape(phrase)}\b", replacement, lowered)
    lowered = _snap_keywords(lowered)
    lowered = _drop_filler_like(g.FILLER_WORDS.sub(" ", lowered))
    lowered = re.sub(r"\s+", " ", lowered).strip()
    previous = None
    while previous != lowered:
        previous = lowered
        lowered = g.LEADING_FILLERS.sub("", lowered).strip()
    return digitize(lowered) if lowered else ""


def _drop_filler_like(text: str) -> str:
    words = text.split()
    kept = [
        word
        for i, word in enumerate(words)
        if word != "like"
        or i == 0
        or words[i - 1] in g.LIKE_KEEPERS_BEFORE
        or (i + 1 < len(words) and words[i + 1] in g.LIKE_KEEPERS_AFTER)
        or i + 1 == len(words)
    ]
    return " ".join(kept)


def _snap_keywords(text: str) -> str:
    """Fuzzy-correct long words that are one letter off a command keyword ("ingrediens", "timmer")."""
    from rapidfuzz import fuzz, process

    words = text.split()
    for index, word in enumerate(words):
        if len(word) < 5 or not word.isalpha() or any(_inflects(word, key) for key in g.KEYWORDS):
            continue
        match = process.extractOne(word, g.KEYWORDS, scorer=fuzz.ratio, score_cutoff=KEYWORD_CUTOFF)
        if match is not None:
            words[index] = match[0]
    return " ".join(words)


def _inflects(word: str, keyword: str) -> bool:
    return word.startswith(keyword) or keyword.startswith(word)


def understand(text: str, context: ParseContext | None = None) -> Intent:
    """The grammar's parse checked by the learned layer (chefmentor/voice/understanding.py)."""
    from chefmentor.voice.understanding import decide

    return decide(text, context or ParseContext())


def grammar_features(intent: Intent) -> list[str]:
    """The grammar's parse as features for the learned layer: its intent, how sure, which slots."""
    kind = "rule" if intent.confidence >= RULE_CONFIDENCE else "fuzzy" if intent.name != "ask" else "none"
    return [f"g:{intent.name}", f"gk:{kind}", *(f"slot:{key}" for key in intent.slots if key != "question")]


def parse(text: str, context: ParseContext | None = None) -> Intent:
    """The grammar alone; anything not recognized as a command becomes `ask` with the question."""
    context = context or ParseContext()
    original = text.strip()
    norm = normalize(original)
    if not norm:
        return Intent("ask", {"question": original}, original, 0.0)
    intent = _classify(norm, context)
    if intent is None:
        fuzzy = _fuzzy(norm)
        if fuzzy is not None:
            name, score = fuzzy
            return Intent(name, {}, original, round(score / 100, 3))
        return Intent("ask", {"question": original}, original, 0.5)
    name, slots = intent
    return Intent(name, slots, original, RULE_CONFIDENCE)


def _classify(norm: str, ctx: ParseContext) -> tuple[str, dict[str, Any]] | None:
    timer = _timer_intent(norm, ctx)
    if timer is not None:
        return timer
    if g.EXPECTED_STATE.search(norm) and not re.search(r"\bhow (?:long|much|many)\b", norm):
        return "expected_state", {}
    if g.HELP.search(norm):
        return "help", {}
    if g.INGREDIENTS.search(norm) and not g.QUANTITY_OR_SWAP.search(norm):
        return "list_ingredients", {}
    if g.ASK_STRONG.search(norm):
        return None if not _is_bare_step_reference(norm, ctx) else _goto(norm, ctx)
    relative = _relative_step(norm, ctx)
    if relative is not None:
        return relative
    step = parse_step_reference(norm, step_count=ctx.step_count)
    if step is not None and (g.GOTO_VERB.search(norm) or _is_bare_step_reference(norm, ctx)):
        return "goto_step", {"step": step}
    if g.FINISH.search(norm):
        return "finish", {}
    if g.RESUME_ALWAYS.search(norm):
        return ("repeat_step" if ctx.paused is False and g.WHERE_WAS_I.search(norm) else "resume"), {}
    if g.PREVIOUS.search(norm):
        return "previous_step", {}
    if g.REPEAT.search(norm) and not re.search(r"\bstart (?:again|over)\b", norm):
        return "repeat_step", {}
    if g.NOT_READY.search(norm):
        return "pause", {}
    if g.CONTINUE_LIKE.search(norm) and not g.NEXT.search(norm):
        unknown_lean = ctx.paused is None and g.RESUME_LEANING.search(norm)
        return ("resume" if ctx.paused or unknown_lean else "next_step"), {}
    if g.NEXT.search(norm) and not re.search(r"\bnext time\b", norm):
        return ("resume" if ctx.paused and re.fullmatch(r"(?:ready|go|okay|done)", norm) else "next_step"), {}
    if g.PAUSE.search(norm):
        return "pause", {}
    if step is not None and re.search(r"\bstep\b", norm):
        return "goto_step", {"step": step}
    return None


_RELATIVE = re.compile(
    r"\b(?P<dir>back|backwards?|forward|ahead|skip|skip ahead)\s+(?P<n>\d+)\s+steps?\b|"
    r"\b(?P<n2>\d+)\s+steps?\s+(?P<dir2>back|backwards?|forward|ahead)\b"
)


def _relative_step(norm: str, ctx: ParseContext) -> tuple[str, dict[str, Any]] | None:
    """ "go back 2 steps" / "skip 2 steps": relative moves need the current step to become a goto."""
    match = _RELATIVE.search(norm)
    if match is None:
        return None
    count = int(match.group("n") or match.group("n2"))
    backwards = (match.group("dir") or match.group("dir2") or "").startswith("back")
    if ctx.current_step is None:
        if count == 1:
            return ("previous_step" if backwards else "next_step"), {}
        return None
    target = ctx.current_step - count if backwards else ctx.current_step + count
    return "goto_step", {"step": max(1, target)}


def _goto(norm: str, ctx: ParseContext) -> tuple[str, dict[str, Any]] | None:
    step = parse_step_reference(norm, step_count=ctx.step_count)
    return ("goto_step", {"step": step}) if step is not None else None


def _is_bare_step_reference(norm: str, ctx: ParseContext) -> bool:
    if parse_step_reference(norm, step_count=ctx.step_count) is None:
        return False
    rest = re.sub(r"\b(?:the|step|number|\d+(?:th)?|one|please|to|now|okay)\b", " ", norm)
    return not rest.strip()


def _timer_intent(norm: str, ctx: ParseContext) -> tuple[str, dict[str, Any]] | None:
    has_timer_word = bool(g.TIMER_WORD.search(norm))
    duration = parse_duration(norm) or _unitless_minutes(norm, has_timer_word)
    known_name = _mentioned_timer(norm, ctx.timer_names)
    remind = bool(g.TIMER_REMIND.search(norm)) and duration is not None
    countdown = duration is not None and bool(
        re.search(r"\b(?:count(?:ing)? (?:down )?|countdown|start counting|time me for|time|on the clock)\b", norm)
    )
    remaining = bool(g.REMAINING_QUESTION.search(norm))
    countdown = countdown or (duration is not None and _only_a_duration(norm, duration))
    if re.fullmatch(
        r"(?:cancel|kill|clear)(?: (?:it|that|that one|this one))?|(?:stop|turn off|switch off) (?:it|that)|"
        r"(?:turn|switch|shut) (?:it|that) off",
        norm,
    ):
        return "cancel_timer", {}
    if not (has_timer_word or remind or countdown or remaining or (known_name and _timer_verb(norm))):
        return None
    name = known_name or _timer_name(norm, duration)
    slots: dict[str, Any] = {"name": name} if name else {}
    if g.TIMER_CANCEL.search(norm) and not remaining:
        if not name and g.TIMER_PLURAL.search(norm):
            slots["all"] = True
        return "cancel_timer", slots
    set_cue = bool(g.TIMER_SET.search(norm)) or remind or countdown
    if duration is not None and (set_cue or not g.TIMER_CHECK.search(norm)):
        return "set_timer", {"seconds": min(duration.seconds, MAX_TIMER_SECONDS), **slots}
    if remaining or g.TIMER_CHECK.search(norm) and not re.search(r"\b(?:set|start|make|create)\b", norm):
        return "check_timer", slots
    if set_cue:
        return "set_timer", slots
    return "check_timer", slots


def timer_slots(norm: str, ctx: ParseContext) -> dict[str, Any]:
    """The duration and timer name in an utterance, whatever its intent was decided to be."""
    duration = parse_duration(norm) or _unitless_minutes(norm, True)
    name = _mentioned_timer(norm, ctx.timer_names) or _timer_name(norm, duration)
    slots: dict[str, Any] = {"seconds": duration.seconds} if duration is not None else {}
    if name:
        slots["name"] = name
    return slots


_BARE_NUMBER = re.compile(r"\b(?:for|to|timer|in|another)\s+(\d+(?:\.\d+)?)\b(?!\s*(?:th\b|:|[a-z]))")


def _unitless_minutes(norm: str, has_timer_word: bool) -> Duration | None:
    """ "set a timer for 10", "remind me in 20": said without a unit, kitchen timers count minutes."""
    if not (has_timer_word or g.TIMER_REMIND.search(norm)) or re.search(r"\bstep\b", norm):
        return None
    match = _BARE_NUMBER.search(norm)
    if match is None:
        return None
    return Duration(round(float(match.group(1)) * 60), match.start(1), match.end(1))


_DURATION_COMMAND_WORDS = frozenset(
    "give it them let leave go for another more okay just on the clock set start do me us".split()
)


def _only_a_duration(norm: str, duration: Duration) -> bool:
    """ "10 minutes", "give it 20 minutes": a duration said as a command, but not "a second" (= wait)."""
    spoken = norm[duration.start : duration.end]
    if re.fullmatch(r"(?:a|an|1) (?:sec|second|minute|min)", spoken):
        return False
    after = re.sub(r"\s(?:on|for) (?:the |my )?[a-z]+$", "", " " + norm[duration.end :])
    rest = (norm[: duration.start] + " " + after).split()
    return all(word in _DURATION_COMMAND_WORDS for word in rest)


def _timer_verb(norm: str) -> bool:
    return bool(
        g.TIMER_CANCEL.search(norm)
        or re.search(
            r"\b(?:left|remaining|how long|how much)\b|^how is .* (?:doing|going|looking)$|"
            r"\b(?:is|are)\b.*\b(?:done|ready|finished|up)\b",
            norm,
        )
    )


def _mentioned_timer(norm: str, names: Iterable[str]) -> str | None:
    """A running timer's name said in the utterance, word for word or one STT slip away ("pastor")."""
    from rapidfuzz import fuzz

    words = norm.split()
    best: tuple[float, str] | None = None
    for name in names:
        wanted = name.lower().split()
        if not wanted:
            continue
        size = len(wanted)
        for start in range(len(words) - size + 1):
            window = " ".join(words[start : start + size])
            score = 100.0 if window == " ".join(wanted) else fuzz.ratio(window, " ".join(wanted))
            if len(window) < 3:
                continue
            if score >= TIMER_NAME_CUTOFF and (best is None or score > best[0]):
                best = (score, name)
    return best[1] if best else None


_NAME_WORD = r"[a-z][a-z']*"
_NAME_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"\b(?:called|named|labell?ed|name it)\s+((?:{_NAME_WORD}\s*){{1,3}})"),
    re.compile(rf"((?:{_NAME_WORD}\s+){{1,2}})(?:timer|alarm|countdown)s?\b"),
    re.compile(rf"\b(?:timer|alarm|countdown)s?\s+(?:for|on|of)\s+((?:{_NAME_WORD}\s*){{1,3}})"),
    re.compile(rf"\b(?:left|remaining|longer|time|long)\s+(?:on|for|with|until)\s+((?:{_NAME_WORD}\s*){{1,3}})"),
    re.compile(rf"\b(?:is|are)\s+((?:{_NAME_WORD}\s+){{1,2}})(?:done|ready|finished|up)\b"),
    re.compile(rf"\b(?:in|after)\s+[\d.]+\s+\w+\s+to\s+((?:{_NAME_WORD}\s*){{1,3}})"),
    re.compile(rf"\b(?:until|till|before|when)\s+((?:{_NAME_WORD}\s+){{1,3}})(?:is|are|will|be)\b"),
    re.compile(rf"\b(?:time|timing)\s+((?:{_NAME_WORD}\s+){{1,3}})for\b"),
    re.compile(rf"\bhow (?:long|much \w+) (?:have|has|do|does)\s+((?:{_NAME_WORD}\s+){{1,3}})(?:got|have|left)\b"),
    # Said without the auxiliary ("how much time the rice still have") or as "give the sauce 12 minutes".
    re.compile(rf"\bhow (?:long|much \w+)\s+((?:{_NAME_WORD}\s+){{1,3}})(?:still\s+)?(?:got|have|has)\b"),
    re.compile(rf"^(?:give|leave)\s+((?:{_NAME_WORD}\s+){{1,2}})for\b"),
)


def _timer_name(norm: str, duration: Any) -> str | None:
    candidates = [norm]
    if duration is not None:
        candidates.insert(0, norm[: duration.start] + " for " + norm[duration.end :])
        after = norm[duration.end :]
        # "half an hour on the clock for the chicken": the first "for/on" phrase may name nothing.
        for match in re.finditer(rf"(?=(?:^|\s)(?:for|on)\s+((?:{_NAME_WORD}\s*){{1,3}}))", after):
            cleaned = _clean_name(match.group(1))
            if cleaned:
                return cleaned
    for text in candidates:
        for pattern in _NAME_PATTERNS:
            for match in pattern.finditer(text):
                cleaned = _clean_name(match.group(1))
                if cleaned:
                    return cleaned
    return None


def _clean_name(phrase: str) -> str | None:
    words = [w for w in re.split(r"\s+", phrase.strip()) if w]
    # Auxiliaries end a name: "how long has the bread got left" names "bread".
    for stop in ("for", "and", "to", "in", "at", "with", "please", "is", "are", "got", "have", "has", "had", "get"):
        if stop in words:
            words = words[: words.index(stop)]
    kept = [w for w in words if w not in g.NOT_TIMER_NAMES and not w[0].isdigit()]
    return " ".join(kept[:3]) or None


def _fuzzy(norm: str) -> tuple[str, float] | None:
    from rapidfuzz import fuzz, process

    if len(norm.split()) > 6:
        return None
    choices = [(phrase, intent) for intent, phrases in g.EXAMPLES.items() for phrase in phrases]
    match = process.extractOne(norm, [c[0] for c in choices], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    if match is None:
        return None
    return choices[match[2]][1], float(match[1])


_REQUIRED_SLOTS = {"set_timer": "seconds", "goto_step": "step"}


def is_complete_command(intent: Intent) -> bool:
    """A confident command with its required slot: safe to act on before the full silence tail.
    Free questions never are (people pause mid-question)."""
    if intent.name == "ask" or intent.confidence < RULE_CONFIDENCE:
        return False
    required = _REQUIRED_SLOTS.get(intent.name)
    return required is None or required in intent.slots


def command_vocabulary() -> list[str]:
    """Words the recognizer should favour: every keyword plus the example phrases."""
    words: list[str] = list(g.KEYWORDS)
    for phrases in g.EXAMPLES.values():
        words.extend(phrases)
    return words
