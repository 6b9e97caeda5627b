"""Number words, durations and step references in spoken (and mis-transcribed) English."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_SECONDS = {"hour": 3600, "minute": 60, "second": 1}
_UNIT_ALIASES = {
    "hours": "hour",
    "hour": "hour",
    "hrs": "hour",
    "hr": "hour",
    "h": "hour",
    "minutes": "minute",
    "minute": "minute",
    "mins": "minute",
    "min": "minute",
    "m": "minute",
    "seconds": "second",
    "second": "second",
    "secs": "second",
    "sec": "second",
    "s": "second",
}
_UNIT = r"(?P<unit>hours?|hrs?|minutes?|mins?|seconds?|secs?|h|m|s)\b"
_FRACTION = {"a half": 0.5, "a quarter": 0.25, "3 quarters": 0.75, "three quarters": 0.75}
_VAGUE_COUNTS = {"a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3, "several": 5}
# Whisper writes homophones of small numbers when it lacks context ("step for", "step to").
_STEP_HOMOPHONES = {"for": "4", "fore": "4", "to": "2", "too": "2", "won": "1", "ate": "8", "tree": "3"}
_ORDINAL_STEP_FOLLOWERS = {"step", "one", "instruction", "part", "stage", "thing", "bit"}
_ORDINAL_STEP_LEADERS = {"the", "my", "your"}
_ORDINAL_WORDS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}


@dataclass(frozen=True, slots=True)
class Duration:
    seconds: int
    start: int
    end: int


def _protect_time_unit_second(text: str) -> str:
    """Mark "second" used as a time unit so text2num does not read it as the ordinal 2nd."""
    words = text.split()
    out: list[str] = []
    for index, word in enumerate(words):
        if word == "second":
            following = words[index + 1] if index + 1 < len(words) else ""
            preceding = words[index - 1] if index else ""
            is_ordinal = following in _ORDINAL_STEP_FOLLOWERS or (
                preceding in _ORDINAL_STEP_LEADERS and following not in {"timer", "and", "countdown"}
            )
            if not is_ordinal:
                word = "sec"
        out.append(word)
    return " ".join(out)


def digitize(text: str) -> str:
    """Lower-case words to digits: "two and a half minutes" -> "2 and a half minutes", "fourth" -> "4th"."""
    from text_to_num import alpha2digit

    text = re.sub(r"(?<=[a-z0-9])-(?=[a-z0-9])", " ", text)
    text = _protect_time_unit_second(text)
    # text2num keeps "a"/"one" in "a minute"; "one" alone is handled below as a step number.
    converted = str(alpha2digit(text, "en", threshold=0))
    converted = re.sub(r"\b(\d+)\s*(st|nd|rd|th)\b", r"\1th", converted)
    # Whisper hears "two and a half" as "2 in the half" / "2 and the half" in noise.
    converted = re.sub(r"\b(\d+) (?:in|and|an|n) (?:the|a) half\b", r"\1 and a half", converted)
    converted = re.sub(r"\bstep (?:number )?(for|fore|to|too|won|ate|tree)\b", _step_homophone, converted)
    converted = _UNIT_HOMOPHONE.sub(_unit_homophone, converted)
    return _PRONOUN_ONE.sub("one", converted)


# text2num turns the pronoun into a digit too: "the one before", "back one", "that one".
_PRONOUN_ONE = re.compile(
    r"(?:(?<=\bthe )|(?<=\bthat )|(?<=\bthis )|(?<=\blast )|(?<=\bnext )|(?<=\bprevious )|(?<=\bwhich )|"
    r"(?<=\bback ))1\b(?!\s*(?:steps?|more|and|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b|[:.]\d)|"
    r"\b1(?= (?:before|after|back|behind)\b)"
)
# "a timer for too minutes": a homophone right before a time unit can only be the number.
_UNIT_HOMOPHONE = re.compile(
    r"(?<![\d.] )\b(?:for|fore|to|too|won|ate|tree)(?=\s+(?:hours?|hrs?|minutes?|mins?|seconds?|secs?)\b)"
)


def _step_homophone(match: re.Match[str]) -> str:
    return "step " + _STEP_HOMOPHONES[match.group(1)]


def _unit_homophone(match: re.Match[str]) -> str:
    return _STEP_HOMOPHONES[match.group(0)]


def _unit_seconds(unit: str) -> int:
    return _UNIT_SECONDS[_UNIT_ALIASES[unit]]


_DURATION_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # 1:30 read as minutes:seconds
    (re.compile(r"\b(?P<m>\d{1,3}):(?P<s>[0-5]\d)\b"), "clock"),
    # "a minute and a half", "an hour and a quarter"
    (
        re.compile(r"\b(?:a|an|1)\s+(?P<unit>hour|minute|sec|second)\s+and\s+(?P<frac>a half|a quarter|3 quarters)"),
        "unit_and_fraction",
    ),
    # "2 and a half minutes", "2.5 min", "10 minutes", "90 sec"
    (
        re.compile(r"\b(?P<num>\d+(?:\.\d+)?)\s*(?:and\s+(?P<frac>a half|a quarter|3 quarters)\s+)?" + _UNIT),
        "number",
    ),
    # "half an hour", "a half hour", "half a minute", "quarter of an hour", "3 quarters of an hour"
    (
        re.compile(
            r"\b(?P<frac>half|a half|a quarter|quarter|3 quarters|three quarters)\s+(?:of\s+)?(?:an?\s+)?"
            r"(?P<unit>hour|minute|sec|second)\b"
        ),
        "fraction_of_unit",
    ),
    # "a couple of minutes", "a few seconds"
    (
        re.compile(r"\b(?P<vague>a couple of|a couple|couple of|a few|few|several)\s+" + _UNIT),
        "vague",
    ),
    # "a minute", "an hour", "one second"
    (re.compile(r"\b(?:a|an)\s+(?P<unit>hour|minute|sec|second)\b"), "single"),
)


def _match_seconds(kind: str, match: re.Match[str]) -> float:
    groups = match.groupdict()
    if kind == "clock":
        return int(groups["m"]) * 60 + int(groups["s"])
    unit = _unit_seconds(groups["unit"])
    if kind == "unit_and_fraction":
        return unit * (1 + _FRACTION[groups["frac"]])
    if kind == "fraction_of_unit":
        frac = groups["frac"].removeprefix("a ")
        return unit * {"half": 0.5, "quarter": 0.25, "3 quarters": 0.75, "three quarters": 0.75}[frac]
    if kind == "number":
        extra = _FRACTION[groups["frac"]] if groups.get("frac") else 0.0
        return unit * (float(groups["num"]) + extra)
    if kind == "vague":
        return unit * _VAGUE_COUNTS[groups["vague"]]
    return float(unit)


def find_durations(text: str) -> list[Duration]:
    """Every duration phrase in digitized text, non-overlapping, in order."""
    taken: list[tuple[int, int]] = []
    found: list[Duration] = []
    for pattern, kind in _DURATION_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and end > t_start for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append(Duration(round(_match_seconds(kind, match)), start, end))
    return sorted(found, key=lambda d: d.start)


def parse_duration(text: str) -> Duration | None:
    """Total of adjacent duration phrases ("1 hour and 20 minutes", "1 minute 30 seconds")."""
    durations = find_durations(text)
    if not durations:
        return None
    total = durations[0]
    for following in durations[1:]:
        gap = text[total.end : following.start].strip()
        # "an hour in 15 minutes": Whisper's spelling of "and" between a larger and a smaller unit.
        misheard_and = gap in {"in", "an", "n", "&"} and following.seconds < total.seconds
        if gap not in {"", "and", ","} and not misheard_and:
            break
        total = Duration(total.seconds + following.seconds, total.start, following.end)
    return total if total.seconds > 0 else None


_STEP_NUMBER = re.compile(r"\bstep\s+(?:number\s+|no\.?\s+|#\s*)?(?P<n>\d+)\b")
_ORDINAL_STEP = re.compile(r"\b(?P<n>\d+)th\s+(?:step|one|instruction|part|stage)\b")
_ORDINAL_WORD_STEP = re.compile(
    r"\b(?P<word>" + "|".join(_ORDINAL_WORDS) + r")\s+(?:step|one|instruction|part|stage)\b"
)
_NUMBER_STEP = re.compile(r"\bnumber\s+(?P<n>\d+)\b")
_FIRST_STEP = re.compile(
    r"\b(?:start(?:ing)? (?:over|again|from scratch)|from the (?:top|start|beginning)|the beginning|restart)\b"
)
_FINAL_STEP = re.compile(r"\b(?:final|very last)\s+(?:step|instruction|one)\b|\bthe end\b")


def parse_step_reference(text: str, *, step_count: int | None = None) -> int | None:
    """The step number a phrase points at ("step 4", "the 4th step", "start over" -> 1, "final step")."""
    for pattern in (_STEP_NUMBER, _ORDINAL_STEP, _NUMBER_STEP):
        match = pattern.search(text)
        if match:
            return int(match.group("n"))
    match = _ORDINAL_WORD_STEP.search(text)
    if match:
        return _ORDINAL_WORDS[match.group("word")]
    if _FIRST_STEP.search(text):
        return 1
    if step_count and _FINAL_STEP.search(text):
        return step_count
    return None


def spoken_duration(seconds: int) -> str:
    """Seconds as words a TTS voice reads naturally: 150 -> "2 minutes 30 seconds"."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts: list[str] = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if secs or not parts:
        parts.append(f"{secs} second{'s' if secs != 1 else ''}")
    return " ".join(parts)
