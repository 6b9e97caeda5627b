"""Durations as cooks and web pages write them.

- `iso_minutes`: schema.org durations, leniently ("PT1H30M", "P0DT0H40M0S", "PTH30MS", "P1H", "PT900S",
  "45 minutes", an object holding one of those); None for what cannot be a cooking time.
- `find_durations`: every duration stated in a step's text with its range ("10–12 minutes", "1 hr 15 min",
  "about an hour", "3 to 4 minutes per side", "5分", "1 Stunde") and the words around it.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

MAX_MINUTES = 7 * 24 * 60

_UNICODE_FRACTIONS = {"½": ".5", "⅓": ".333", "⅔": ".667", "¼": ".25", "¾": ".75", "⅛": ".125"}

# Unit words in the languages of recipe pages (the original word is kept in the match for the report).
_HOUR_WORDS = (
    r"hours?|hrs?\.?|h\b|stunden?|std\.?|heures?|uur|ore|ora|horas?|hod(?:in[ay]?|ina)|godzin[ay]?|"
    r"óra|órá[tn]|timmar|timme|tunt[ia]?|saat|گھنٹے|گھنٹہ|時間|小时|小時"
)
_MINUTE_WORDS = (
    r"minutes?|mins?\.?|minuten?|minuti|minuto|minutos|minút[ay]?|minútach|minut(?:y|ach|ami|ów|er|a|en|ter)?|minuut|perc(?:ig|et)?|"
    r"dakika|منٹ|분|分钟|分鐘|分"
)
_SECOND_WORDS = r"seconds?|secs?\.?|sek\.|sekunder|sekunden?|secondes?|seconden|secondi|segundos?|sekund[ya]?|秒"
_UNIT = rf"(?P<unit>{_HOUR_WORDS}|{_MINUTE_WORDS}|{_SECOND_WORDS})"

_WORD_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "forty-five": 45, "fifty": 50, "sixty": 60, "ninety": 90, "half an": 0.5, "half a": 0.5,
    "a couple of": 2, "a couple": 2, "couple of": 2, "ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3,
    "fünf": 5, "zehn": 10, "une": 1, "un": 1, "deux": 2, "cinq": 5, "dix": 10, "uno": 1, "una": 1, "dos": 2,
    "cinco": 5, "diez": 10, "een": 1, "twee": 2, "vijf": 5, "tien": 10, "due": 2, "dieci": 10,
    "vier": 4, "sechs": 6, "acht": 8, "fünfzehn": 15, "zwanzig": 20, "dreißig": 30, "trois": 3, "quatre": 4,
    "huit": 8, "quinze": 15, "vingt": 20, "trente": 30, "tre": 3, "quattro": 4, "cinque": 5,
    "sei": 6, "otto": 8, "quindici": 15, "venti": 20, "trenta": 30, "tres": 3, "cuatro": 4, "seis": 6,
    "ocho": 8, "quince": 15, "veinte": 20, "treinta": 30, "drie": 3, "zes": 6, "vijftien": 15, "twintig": 20,
    "dertig": 30,
}  # fmt: skip
_VAGUE = {"a few": (2.0, 5.0), "few": (2.0, 5.0), "several": (3.0, 6.0), "a couple of": (2.0, 3.0)}
_NUMBER = r"\d+(?:[.,]\d+)?(?:\s+\d/\d|\s*/\s*\d+)?"
_WORD = "|".join(sorted((re.escape(w) for w in [*_WORD_NUMBERS, *_VAGUE]), key=len, reverse=True))
_QUANTITY = rf"(?:{_NUMBER}|(?<![\w-])(?:{_WORD}))"
_RANGE_JOIN = r"\s*(?:-|–|—|to|or|à|bis|a|tot|till|až|do|~|〜|～)\s*"
_DURATION = re.compile(
    rf"(?P<low>{_QUANTITY})(?:{_RANGE_JOIN}(?P<high>{_NUMBER}|{_WORD}))?"
    rf"(?:\s*(?:and\s+a\s+half|\+|more|further|additional|extra|other|more|weitere|de plus))?"
    rf"\s*-?\s*{_UNIT}(?![a-zà-ÿ])",
    re.IGNORECASE,
)
_HOUR_MINUTES = re.compile(r"\b(\d{1,2})\s?h\s?([0-5]\d)\b(?!\s*(?:min|m\b))", re.IGNORECASE)
_SECOND_ENDS = re.compile(r"\s*(?:$|[.,;:!)]|or\b|and\b|more\b|longer\b|until\b)", re.IGNORECASE)
_AND_A_HALF = re.compile(r"\s*and\s+a\s+half\b", re.IGNORECASE)
_PER_SIDE = re.compile(
    r"^\W{0,3}(?:\w+\s+){0,4}(?:per|each|on each|a|on both|pro|par|de chaque|por|per ogni)\s+"
    r"(?:side|sides|seite|côté|lado|lato)",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"(?:^|[.;:!?]\s*|\n)(?:about|approximately|around|roughly|ca\.|etwa|environ)?\s*$", re.I)
_LEAD = re.compile(r"\s*(?:before|prior to|vor\b|avant\b|antes\b|prima\b)", re.IGNORECASE)
_SIDE_BEFORE = re.compile(r"\b(?:on|per|for) (?:each|both|every) sides?,? (?:for )?(?:about |approximately )?$", re.I)
_HALF_HOUR = re.compile(
    r"\b(?:half an hour|half-hour|half hour|eine halbe stunde|une demi-heure|media hora|mezz'ora|mezzora|meia hora"
    r"|een half uur|půl hodiny|pol hodiny|pół godziny|fél órá?t?|en halvtimme|halvtimme|en halv time)\b",
    re.I,
)
_OVERNIGHT = re.compile(r"\b(?:overnight|über nacht|toute la nuit|une nuit|durante la noche|een nacht)\b", re.I)
# A duration that is a frequency, a lead time or an upper limit is not how long the step takes.
_NOT_ELAPSED_BEFORE = re.compile(
    r"(?<![\w])(?:every|each|alle|toutes les|cada|ogni|elke|within|up to|or up to|no more than|no longer than|"
    r"maximum|max\.?|at most|or|oder|ou|o|these|those|this|that)\s*(?:about|approximately|another|other|\s)*$"
    r"|\bor\s+(?:[a-z]+\s+){1,2}$"  # "on high for 3-4 hours or low for 6-7 hours"
    r"|\bbeen\s+\w+\s+(?:for\s+)?(?:at least\s+)?$"  # "a shell that has been chilled for 2 hours"
    r"|\b(?:after|nach|après|dopo|después de)\s+(?:\w+ing\s+)?(?:for\s+)?(?:about\s+|approximately\s+|the\s+)?$",
    re.IGNORECASE,
)
_NOT_ELAPSED_AFTER = re.compile(
    r"^\s*(?:vor (?:der|dem|den|Ende)|ahead|in advance|prior|earlier|vorher|à l'avance|ago"
    r"|increments?|intervals?|bursts?|less|shorter|fewer"
    r"|per (?:pound|lb|kilo|kg|inch|cm|500)|pro (?:kilo|kg)|par kilo"
    r"|before (?:the )?(?:\w+ ){0,2}(?:is|are|has|have|finish(?:es)?|done|ends?)\b|before the end)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TextDuration:
    low: float  # minutes
    high: float
    text: str
    start: int
    end: int
    vague: bool = False  # "a few minutes": a duration is stated, its length is inferred
    elapsed: bool = True  # False for "every 5 minutes", "up to 2 hours", "30 minutes before serving"


def _to_number(token: str) -> float | None:
    token = token.strip().lower()
    if token in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[token])
    token = token.replace(",", ".")
    whole_fraction = re.fullmatch(r"(\d+)\s+(\d)/(\d)", token)
    if whole_fraction:
        whole, num, den = (int(g) for g in whole_fraction.groups())
        return whole + num / den if den else None
    fraction = re.fullmatch(r"(\d+)\s*/\s*(\d+)", token)
    if fraction:
        num, den = int(fraction.group(1)), int(fraction.group(2))
        return num / den if den else None
    try:
        return float(token)
    except ValueError:
        return None


def _unit_minutes(unit: str) -> float:
    unit = unit.lower()
    if re.fullmatch(_SECOND_WORDS, unit, re.IGNORECASE):
        return 1 / 60
    if re.fullmatch(_HOUR_WORDS, unit, re.IGNORECASE):
        return 60.0
    return 1.0


def normalize_for_durations(text: str) -> str:
    """Full-width digits to ASCII, "1½" to "1.5", so one pattern reads every page."""
    for symbol, decimal in _UNICODE_FRACTIONS.items():
        text = re.sub(rf"(\d)\s*{symbol}", rf"\g<1>{decimal}", text).replace(symbol, "0" + decimal)
    text = unicodedata.normalize("NFKC", text).replace("\u2044", "/")
    return _HOUR_MINUTES.sub(r"\1 h \2 min", text)  # "1h30" (French, German): an hour and thirty minutes


def find_durations(text: str) -> list[TextDuration]:
    """Durations stated in `text` (minutes), in order; compound "1 hour 15 minutes" is one duration."""
    text = normalize_for_durations(text)
    found: list[TextDuration] = []
    for match in _DURATION.finditer(text):
        low_token, high_token = match.group("low"), match.group("high")
        vague = low_token.lower() in _VAGUE
        if vague:
            low, high = _VAGUE[low_token.lower()]
        else:
            low_value = _to_number(low_token)
            if low_value is None:
                continue
            high_value = _to_number(high_token) if high_token else None
            low, high = low_value, high_value if high_value is not None else low_value
        if high < low:  # "3-2 گھنٹے": right-to-left pages write the range the other way round
            low, high = high, low
        scale = _unit_minutes(match.group("unit"))
        if scale < 1 and low_token.lower() in ("a", "one") and not _SECOND_ENDS.match(text, match.end()):
            continue  # "a second baking sheet" is an ordinal, not a duration
        start, end = match.start(), match.end()
        half = _AND_A_HALF.match(text, end)
        if _AND_A_HALF.search(match.group(0)) or half:  # "1 and a half hours", "an hour and a half"
            low, high = low + 0.5, high + 0.5
            end = half.end() if half else end
        low, high = low * scale, high * scale
        if found and _continues(text, found[-1], start, scale):  # "1 hour 15 minutes", "2 h 30"
            previous = found.pop()
            low, high, start = previous.low + low, previous.high + high, previous.start
        elif found and _joins_range(text, found[-1], start):  # "30 seconds to 1 minute"
            previous = found.pop()
            low, start = previous.low, previous.start
        if _PER_SIDE.search(text[end : end + 40]) or _SIDE_BEFORE.search(text[max(0, start - 30) : start]):
            low, high = low * 2, high * 2
        found.append(TextDuration(low, high, text[start:end], start, end, vague, _is_elapsed(text, start, end)))
    found.extend(_phrases(text, found))
    found.sort(key=lambda d: d.start)
    found = _without_repeats(text, found)
    return [d for d in found if 0 < d.high <= MAX_MINUTES]


def _without_repeats(text: str, found: list[TextDuration]) -> list[TextDuration]:
    """ "set a timer for 30 minutes and let the dough rest for 30 minutes" is one wait, said twice."""
    kept: list[TextDuration] = []
    for duration in found:
        previous = kept[-1] if kept else None
        same = (
            previous is not None and previous.elapsed and (previous.low, previous.high) == (duration.low, duration.high)
        )
        if same and previous is not None:
            between = text[previous.end : duration.start]
            timer = not re.search(r"[.;!?]", between) and re.search(
                r"timer", text[max(0, previous.start - 25) : duration.start], re.I
            )
            heading = between.lstrip().startswith(":")  # "Simmer for about 25 minutes: … about 25 minutes."
            if timer or heading:
                continue
        kept.append(duration)
    return kept


def _is_elapsed(text: str, start: int, end: int) -> bool:
    before, after = text[max(0, start - 30) : start], text[end : end + 20]
    if _NOT_ELAPSED_BEFORE.search(before) or _NOT_ELAPSED_AFTER.search(after):
        return False
    # "About 1 hour before serving, take the cakes out": a clause that starts with the time is a lead time
    return not (_CLAUSE_START.search(text[max(0, start - 40) : start]) and _LEAD.match(after))


def _joins_range(text: str, previous: TextDuration, start: int) -> bool:
    between = text[previous.end : start].strip().lower()
    return between in ("to", "-", "–", "or", "bis", "à", "a") and previous.low == previous.high


def _continues(text: str, previous: TextDuration, start: int, scale: float) -> bool:
    between = text[previous.end : start].strip().lower()
    return scale < 60 and between in ("", "and", "und", "et", "y", "e", "en") and previous.low == previous.high


def _phrases(text: str, found: list[TextDuration]) -> list[TextDuration]:
    extra: list[TextDuration] = []
    taken = [(d.start, d.end) for d in found]
    for match in _HALF_HOUR.finditer(text):
        if not any(s <= match.start() < e for s, e in taken):
            elapsed = _is_elapsed(text, match.start(), match.end())
            extra.append(TextDuration(30.0, 30.0, match.group(0), match.start(), match.end(), False, elapsed))
    for match in _OVERNIGHT.finditer(text):
        # "1 hour at room temperature, or ideally refrigerate overnight": an alternative, not more time
        before = text[max(0, match.start() - 30) : match.start()]
        alternative = re.search(r"\b(?:or|oder|ou|o|of|to|bis|à)\b[^.;]{0,30}$", before)
        elapsed = _is_elapsed(text, match.start(), match.end()) and alternative is None
        extra.append(TextDuration(480.0, 720.0, match.group(0), match.start(), match.end(), True, elapsed))
    return extra


_ISO = re.compile(
    r"^P(?:(?P<days>[\d.]*)D)?(?:T?(?P<hours>[\d.]*)H)?(?:T?(?P<minutes>[\d.]*)M)?(?:T?(?P<seconds>[\d.]*)S)?$",
    re.IGNORECASE,
)


def iso_minutes(value: Any) -> int | None:
    """Minutes of a schema.org duration read leniently; None when absent, unreadable, negative or absurd."""
    if isinstance(value, dict):
        candidates = [value.get(k) for k in ("value", "@value", "name", "text", "duration", "maxValue")]
        value = next((c for c in candidates if c not in (None, "")), None)
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "")), None)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        minutes = float(value)
    else:
        minutes_or_none = _minutes_of_text(str(value).strip())
        if minutes_or_none is None:
            return None
        minutes = minutes_or_none
    if math.isnan(minutes) or minutes <= 0 or minutes > MAX_MINUTES:
        return None
    return round(minutes)


def _minutes_of_text(text: str) -> float | None:
    compact = text.replace(" ", "").upper()
    if compact.startswith("PT") or compact.startswith("P"):
        body = "P" + compact[2:] if compact.startswith("PT") else compact
        match = _ISO.match(body)
        if match is None:
            return None
        parts = match.groupdict()
        if not any(parts.values()):  # "PTundefinedM", "P", "PT"
            return None
        try:
            days, hours, minutes, seconds = (float(parts[k] or 0) for k in ("days", "hours", "minutes", "seconds"))
        except ValueError:
            return None
        return days * 1440 + hours * 60 + minutes + seconds / 60
    stated = [d for d in find_durations(text) if d.elapsed]
    if stated:
        return sum(d.high for d in stated)
    try:
        return float(text)  # a bare number of minutes
    except ValueError:
        return None
