"""Heat and temperatures stated in a step: "over medium-high heat", "reduce the heat to low", "simmer",
"à feu doux", "350°F", "180 °C (160 °C fan)", "gas mark 4".

Every finding says whether the page states it ("text": a heat level or a temperature is written) or it is
inferred from a cooking verb ("inferred": "simmer" → low, "bake" → oven).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chefmentor.recipes.models import Heat

_LEVELS: dict[str, Heat] = {
    "very low": Heat.LOW, "low": Heat.LOW, "gentle": Heat.LOW, "lowest": Heat.LOW,
    "medium low": Heat.MEDIUM_LOW, "medium-low": Heat.MEDIUM_LOW, "med-low": Heat.MEDIUM_LOW,
    "low-medium": Heat.MEDIUM_LOW, "low to medium": Heat.MEDIUM_LOW, "moderately low": Heat.MEDIUM_LOW,
    "medium": Heat.MEDIUM, "med": Heat.MEDIUM, "moderate": Heat.MEDIUM, "mid": Heat.MEDIUM,
    "medium high": Heat.MEDIUM_HIGH, "medium-high": Heat.MEDIUM_HIGH, "med-high": Heat.MEDIUM_HIGH,
    "moderately high": Heat.MEDIUM_HIGH, "medium to high": Heat.MEDIUM_HIGH, "high-medium": Heat.MEDIUM_HIGH,
    "high": Heat.HIGH, "very high": Heat.HIGH, "highest": Heat.HIGH, "full": Heat.HIGH, "max": Heat.HIGH,
    "strong": Heat.HIGH,
}  # fmt: skip
_LEVEL = "|".join(sorted((re.escape(k).replace(r"\ ", r"[\s-]+") for k in _LEVELS), key=len, reverse=True))
_SOURCE = r"(?:heat|flame|fire|burner|stove|stovetop|hob|setting|temperature|temp)"
# "over medium-high heat", "on high heat", "medium heat", "heat to medium", "reduce the heat to low".
_ENGLISH_LEVEL = re.compile(
    rf"\b(?P<a>{_LEVEL})[\s-]+{_SOURCE}\b"
    rf"|\b{_SOURCE}\s+(?:\w+\s+){{0,3}}?(?:to|on|at)\s+(?:a\s+)?(?P<b>{_LEVEL})\b(?![\s-]+(?:{_SOURCE}|speed|power|pressure))"
    rf"|\b(?:reduce|lower|turn|increase|raise|bring|set|adjust|(?:pre)?heat)\s+(?:[\w-]+\s+){{0,8}}?(?:down\s+|up\s+)?to\s+(?:a\s+)?(?P<c>{_LEVEL})\b"
    rf"(?![\s-]+(?:speed|power|pressure))"
    rf"|\b(?:over|on)\s+(?:a\s+)?(?P<d>{_LEVEL})\b(?![\s-]+(?:speed|power|pressure|setting))",
    re.IGNORECASE,
)
_APPLIANCE = re.compile(
    r"blend|mix|beat|whip|whisk|process|pulse|microwave|pressure|slow cooker|crock|instant pot|speed|mixer"
    r"|food processor",
    re.IGNORECASE,
)
_HOURS_AFTER = re.compile(r"\s*(?:for\s+)?(?:about\s+)?\d+(?:\s*(?:-|–|to)\s*\d+)?\s*(?:hours?|hrs?)\b", re.I)
# Other languages: the level word follows or precedes the word for heat/fire.
_FOREIGN: list[tuple[re.Pattern[str], Heat]] = [
    (re.compile(p, re.IGNORECASE), heat)
    for p, heat in (
        (r"\bfeu (?:très )?doux\b|\bpetit feu\b|\bfuoco (?:basso|dolce|lento)\b|\bfuego (?:bajo|lento|suave)\b"
         r"|\b(?:laag|zacht) vuur\b|\b(?:niedrige[rn]?|schwache[rn]?|kleine[rn]?|geringe[rn]?) (?:Hitze|Stufe|Flamme)\b"
         r"|\bfogo baixo\b|\blume brando\b|\b(?:svag|låg|lav|svak) (?:värme|varme)\b|\bkısık ateş|\bmałym ogniu\b"
         r"|\bmírném (?:ohni|plameni)\b|\bmiernom ohni\b|\bvuur (?:laag|lager|zacht)\b|\bniedriger Temperatur\b"
         r"|弱火|小火", Heat.LOW),
        (r"\bfeu moyen\b|\bfeu moyen-doux\b|\bfuoco medio\b|\bfuego medio\b|\bmiddelhoog vuur\b|\bmiddel vuur\b"
         r"|\bmittlere[rn]? (?:Hitze|Stufe|Flamme)\b|\bfogo médio\b|\blume médio\b"
         r"|\b(?:medel|medium|middels) ?(?:värme|varme)\b"
         r"|\borta ateş|\bśrednim ogniu\b|\bstřední(?:m)? (?:ohni|plameni)\b|中火", Heat.MEDIUM),
        (r"\bfeu vif\b|\bfeu fort\b|\bfuoco (?:alto|vivace|forte)\b|\bfuego (?:alto|fuerte|vivo)\b|\bhoog vuur\b"
         r"|\b(?:hohe[rn]?|starke[rn]?|große[rn]?) (?:Hitze|Stufe|Flamme)\b|\bfogo alto\b|\blume (?:alto|forte)\b"
         r"|\b(?:hög|høj|høy) (?:värme|varme)\b|\b(?:yüksek|harlı) ateş|\bdużym ogniu\b|\bvuur hoog\b"
         r"|\bhoher Temperatur\b|強火|大火", Heat.HIGH),
    )
]  # fmt: skip
_OFF = re.compile(
    r"\b(?:remove|take|lift|move|set)\s+(?:\w+\s+){0,3}?(?:from|off)\s+(?:the\s+)?(?:heat|stove|burner|hob)\b"
    r"|\bturn (?:off the heat|the heat off)\b|\boff the heat\b|\bvom Herd\b|\bhors du feu\b",
    re.IGNORECASE,
)
_VERBS: list[tuple[re.Pattern[str], Heat]] = [
    (re.compile(p, re.IGNORECASE), heat)
    for p, heat in (
        (r"\b(?:simmer(?:s|ing|ed)?|poach(?:es|ing|ed)?|mijoter|köcheln|sobrenadar|sobbollire|cozinhar em lume brando"
         r"|sudderen|laten sudderen|hervir a fuego lento|à frémissement|frémi(?:r|sse)|sjud(?:a)?|småkoka|simre"
         r"|altını kıs\w*)\b", Heat.LOW),
        (r"(?<!par-)(?<!par)\b(?:boil(?:s|ing)?|rolling boil|bring (?:\w+\s+){0,4}?to (?:a|the) boil"
         r"|(?<!\ba\s)(?<!brown\s)(?<!good\s)(?<!nice\s)sear(?:s|ing)?|stir[- ]fry(?:ing)?"
         r"|deep[- ]fry(?:ing)?|aufkochen|zum Kochen bringen|porter à ébullition|ébullition|portare a ebollizione"
         r"|llevar a ebullición|hervir|aan de kook brengen|koka upp|kog op|kok opp|kaynat\w*|zagotuj)\b", Heat.HIGH),
        (r"\b(?:bake[sd]?(?!\s+times?)|baking(?!\s+(?:sheet|soda|powder|dish|pan|tray|paper|mat|tin|stone|parchment|spray|chocolate|times?))"
         r"|roast(?:s|ed|ing)?(?!\s+(?:pan|tin|tray|beef|chicken|potatoes))|broil(?:s|ed|ing|er)?"
         r"|preheat(?:ed)?\s+(?:the\s+|your\s+|an?\s+)?(?:convection\s+)?oven|preheated oven"
         r"|(?:in|into|to) (?:the |a |your )?(?:hot |preheated )?oven|backen"
         r"|au four|au centre du four|dans le four|enfourne[rz]?"
         r"|al forno|in forno|al horno|in de oven)\b",
         Heat.OVEN),
    )
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class HeatFinding:
    level: Heat
    text: str
    start: int
    source: str  # "text" when a level is written, "inferred" from a verb or "remove from the heat"


def find_heat(text: str) -> list[HeatFinding]:
    """Heat levels written in `text`, in order (verbs only when no level is written)."""
    stated: list[HeatFinding] = []
    for match in _ENGLISH_LEVEL.finditer(text):
        if re.search(r"speed|mixer|blender|power|pressure", match.group(0), re.I):
            continue  # "increase the mixer speed to medium-high" is no heat
        before = text[max(0, match.start() - 60) : match.start()]
        if (
            match.group("d")
            and match.group(0).lower().startswith("on")
            and (_APPLIANCE.search(before) or _HOURS_AFTER.match(text, match.end()))
        ):
            continue  # "blend on high", "microwave on high", "cook on low for 8 hours" (a slow cooker)
        word = next(g for g in (match.group("a"), match.group("b"), match.group("c"), match.group("d")) if g)
        level = _LEVELS.get(re.sub(r"[\s-]+", " ", word.lower())) or _LEVELS.get(word.lower())
        if level is None:
            level = _LEVELS[re.sub(r"[\s-]+", "-", word.lower())]
        if re.search(r"broil|oven", match.group(0), re.I):  # "preheat the broiler to high", "oven to a low heat"
            level = Heat.OVEN
        stated.append(HeatFinding(level, match.group(0), match.start(), "text"))
    for pattern, level in _FOREIGN:
        stated += [HeatFinding(level, m.group(0), m.start(), "text") for m in pattern.finditer(text)]
    if stated:
        return sorted(stated, key=lambda f: f.start)
    inferred: list[HeatFinding] = []
    for pattern, level in _VERBS:
        inferred += [HeatFinding(level, m.group(0), m.start(), "inferred") for m in pattern.finditer(text)]
    if not inferred:
        inferred = [HeatFinding(Heat.OFF, m.group(0), m.start(), "inferred") for m in _OFF.finditer(text)]
    return sorted(inferred, key=lambda f: f.start)


@dataclass(frozen=True, slots=True)
class Temperature:
    celsius: int | None
    fahrenheit: int | None
    gas_mark: float | None
    text: str
    start: int
    kind: str  # "oven", "oil", "internal" or "other"


_DEGREES = re.compile(
    r"(?P<value>\d{2,3})(?:\s*(?:-|–|to)\s*\d{2,3})?\s*(?:°|º|˚|degrees?|deg\.?|grad|degrés|gradi|grados|graden)?\s*"
    r"(?P<scale>[CF]\b|Celsius|Fahrenheit)|(?P<bare>\d{3})\s*(?:°|º|˚|degrees?|grad|degrés|gradi|grados|graden|度)(?!\s*[CF]\b)",
    re.IGNORECASE,
)
_GAS = re.compile(
    r"\bgas(?:\s+mark)?\s*(?P<mark>\d(?:\.\d|\s*1/2|½)?)\b|\bthermostat\s*(?P<th>\d)\b|\bth\.?\s*(?P<th2>\d)\b", re.I
)
_BARE_OVEN = re.compile(
    r"\b(?:preheat|oven|bake|roast)\w*\b[^.\d]{0,40}?\b(?:to|at|on)\s+(?P<v>\d{3})\b"
    r"(?!\s*(?:°|º|˚|degrees?|grad|g\b|gr|ml|grams?|%|x\b|cm|mm|watt|w\b))",
    re.IGNORECASE,
)
_GAS_TO_C = {0.25: 110, 0.5: 120, 1: 140, 2: 150, 3: 160, 4: 180, 5: 190, 6: 200, 7: 220, 8: 230, 9: 240, 10: 260}
_OVEN_CONTEXT = re.compile(
    r"oven|bake|baking|roast|broil|preheat|backofen|\bback(?:e|en|t)\b|ofen|four\b|forno|horno|fan|gas|thermostat|umluft|heißluft|ugn|ovn\b|piekarnik|trouba|rúra|烤|オーブン",
    re.I,
)
_OIL_CONTEXT = re.compile(r"\boil\b|fry|frying|fryer|frituur|frit|fritt|öl\b|olie\b|huile|olio|aceite|óleo", re.I)
_INTERNAL_CONTEXT = re.compile(r"internal|thermometer|instant-read|registers|reads|reaches|core|kern", re.I)


def _kind(context: str) -> str:
    if _INTERNAL_CONTEXT.search(context):
        return "internal"
    if _OVEN_CONTEXT.search(context):
        return "oven"
    if _OIL_CONTEXT.search(context):
        return "oil"
    return "other"


def find_temperatures(text: str) -> list[Temperature]:
    """Temperatures in `text` with both scales; a "180°C/350°F" pair is one temperature."""
    found: list[Temperature] = []
    for match in _DEGREES.finditer(text):
        value = int(match.group("value") or match.group("bare"))
        scale = (match.group("scale") or "").upper()[:1]
        if not scale:
            scale = "F" if value >= 250 else "C"  # "350 degrees": an oven in °C is 250 at most
        celsius, fahrenheit = (
            (value, round(value * 9 / 5 + 32)) if scale == "C" else (round((value - 32) * 5 / 9), value)
        )
        if not 30 <= celsius <= 300:
            continue
        if found and match.start() - (found[-1].start + len(found[-1].text)) <= 4:  # "180°C/350°F", "(350°F)"
            continue
        context = text[max(0, match.start() - 80) : match.end() + 20]
        found.append(Temperature(celsius, fahrenheit, None, match.group(0), match.start(), _kind(context)))
    for match in _BARE_OVEN.finditer(text):  # "preheat the oven to 350", "bake at 180"
        value = int(match.group("v"))
        if any(abs(t.start - match.start("v")) < 3 for t in found):
            continue
        celsius, fahrenheit = (
            (value, round(value * 9 / 5 + 32)) if value < 250 else (round((value - 32) * 5 / 9), value)
        )
        if 90 <= celsius <= 300:
            found.append(Temperature(celsius, fahrenheit, None, match.group("v"), match.start("v"), "oven"))
    for match in _GAS.finditer(text):
        mark_text = (match.group("mark") or match.group("th") or match.group("th2") or "").replace("½", ".5")
        mark = float(re.sub(r"\s*1/2", ".5", mark_text))
        gas_celsius = _GAS_TO_C.get(mark) or (round(mark * 30) if match.group("th") or match.group("th2") else None)
        oven = next((t for t in found if t.kind == "oven" and abs(t.start - match.start()) < 60), None)
        if oven is not None:
            found[found.index(oven)] = Temperature(
                oven.celsius, oven.fahrenheit, mark, f"{oven.text} … {match.group(0)}", oven.start, "oven"
            )
        else:
            gas_fahrenheit = round(gas_celsius * 9 / 5 + 32) if gas_celsius else None
            found.append(Temperature(gas_celsius, gas_fahrenheit, mark, match.group(0), match.start(), "oven"))
    return sorted(found, key=lambda t: t.start)
