"""Cues that span several words in no fixed order: amounts swapped by mistake, a vessel that was still cold."""

from __future__ import annotations

import re

from chefmentor.ai.local.evidence import Evidence

_NUMBER = r"(\d+(?:\.\d+)?)"
_UNIT = r"(?:ml|l|g|kg|oz|lb|cups?|tbsps?|tsps?|tablespoons?|teaspoons?|grams?|litres?|liters?|spoons?|pinch(?:es)?)"
# "500ml water not 300", "2 tsp of salt instead of 1", "3 cups rather than 2"
_AMOUNT_SWAP = re.compile(
    _NUMBER
    + r"\s*"
    + _UNIT
    + r"?\s*(?:of\s+)?((?:[a-z]+\s+){0,3}?)(?:instead of|rather than|not|and not)\s+(?:the\s+)?"
    + _NUMBER
    + r"\s*"
    + _UNIT
    + r"?\s*(?:of\s+)?((?:[a-z]+\s*){0,3})"
)
# What was measured wrong -> (category when too much, category when too little)
_MEASURED: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"\b(?:water|stock|broth|milk|liquid|cream|wine|juice|buttermilk|coconut milk)\b"),
     "too_much_liquid", "too_little_liquid"),
    (re.compile(r"\b(?:salt|soy|seasoning|chilli|chili|pepper|sugar|spice|vinegar)\b"),
     "seasoning_off", "seasoning_off"),
    (re.compile(r"\b(?:baking powder|baking soda|bicarb|yeast|raising agent)\b"),
     "leavening_problem", "leavening_problem"),
    (re.compile(r"\bflour\b"), "too_little_liquid", "too_much_liquid"),
)  # fmt: skip
_TIME_UNIT = re.compile(r"^\s*(?:min|mins|minute|minutes|hour|hours|hr|hrs|sec|secs|seconds)\b")

_VESSEL = r"(?:pan|skillet|wok|griddle|tawa|oil|grill|plancha|fryer)"
_COLD = r"(?:cold|cool|lukewarm|not (?:yet )?(?:hot|heated|warm|warmed|ready)|barely warm|warming up|heating up)"
# "the pan was still cold", "oil wasn't hot yet" (vessel first, coldness within a few words)
_COLD_VESSEL = re.compile(r"\b" + _VESSEL + r"\b(?:\s+\w+){0,3}?\s+(?:still\s+)?" + _COLD + r"\b")
_COLD_FIRST = re.compile(r"\b(?:cold|lukewarm|unheated|unpreheated)\s+(?:\w+\s+)?" + _VESSEL + r"\b")


def _normalized(text: str) -> str:
    lowered = text.lower().replace("\u2019", "'")
    lowered = re.sub(r"\b(was|were|is|had|has|did)n'?t\b", r"\1 not", lowered)
    return re.sub(r"[^a-z0-9.\s]", " ", lowered)


_SPOONS = {"teaspoon": 1, "tsp": 1, "tablespoon": 3, "tbsp": 3, "cup": 48}
_SPOON = r"(teaspoon|tsp|tablespoon|tbsp|cup)s?"
# "a whole tablespoon of sichuan pepper instead of a teaspoon": the measure itself was swapped
_MEASURE_SWAP = re.compile(
    _SPOON + r"\s+(?:of\s+)?((?:[a-z]+\s+){0,3}?)(?:instead of|rather than|not)\s+(?:a|one|the|half a)?\s*" + _SPOON
)


def _measure_swaps(lowered: str, source: str, step: int | None) -> list[Evidence]:
    out: list[Evidence] = []
    for match in _MEASURE_SWAP.finditer(lowered):
        used, meant = _SPOONS[match.group(1)], _SPOONS[match.group(3)]
        around = match.group(2) + " " + lowered[match.end() : match.end() + 30]
        for pattern, when_more, when_less in _MEASURED:
            found = pattern.search(around)
            if found and used != meant:
                category = when_more if used > meant else when_less
                word = "too much" if used > meant else "too little"
                out.append(
                    Evidence(source, f'{source}: "{match.group(0)}" ({word} {found.group(0)})', {category: 1.7}, step)
                )
                break
    return out


def amount_swaps(text: str, source: str, step: int | None) -> list[Evidence]:
    """An amount the cook says was used instead of the recipe's: too much or too little of that ingredient."""
    lowered = _normalized(text)
    out: list[Evidence] = _measure_swaps(lowered, source, step)
    for match in _AMOUNT_SWAP.finditer(lowered):
        used, meant = float(match.group(1)), float(match.group(3))
        if used == meant or meant <= 0 or _TIME_UNIT.match(lowered[match.end(1) :]):
            continue
        around = " ".join([match.group(2), match.group(4), lowered[max(0, match.start() - 30) : match.start()]])
        for pattern, when_more, when_less in _MEASURED:
            found = pattern.search(around)
            if found:
                category = when_more if used > meant else when_less
                word = "too much" if used > meant else "too little"
                out.append(
                    Evidence(
                        source,
                        f'{source}: "{match.group(0).strip()}" ({word} {found.group(0)})',
                        {category: 1.7},
                        step,
                    )
                )
                break
    return out


def cold_vessel(text: str) -> str | None:
    """The words that say the pan or oil was still cold when the food went in, if any."""
    lowered = _normalized(text)
    for pattern in (_COLD_VESSEL, _COLD_FIRST):
        match = pattern.search(lowered)
        if match:
            return match.group(0)
    return None


_DIAL = re.compile(
    r"\b(?:hob|burner|stove|cooker|dial|ring|induction|knob|heat|flame|gas)\s+(?:was\s+|were\s+)?(?:only\s+)?"
    r"(?:on|at|set to|turned to)\s+(?:about\s+|like\s+)?(\d{1,2})(?:\s*(?:out of|/)\s*(\d{1,2}))?\b"
)
_DEGREES = r"\s*(?:c|f|fan|degrees|deg)?\b"
_TEMPERATURE_SWAP = re.compile(
    r"\b(\d{2,3})" + _DEGREES + r"(?:\s+fan)?\s*(?:instead of|rather than|not|when it should have been|"
    r"(?:when|but|and|though|while)?\s*(?:the\s+)?(?:recipe|recipie|it|packet)\s+(?:said|says|calls for|called for))\s+"
    r"(?:the\s+)?(\d{2,3})" + _DEGREES
)
# "the thermometer said only 300F", "oil only got to 140C": "only" marks a temperature short of what was wanted
_ONLY_DEGREES = re.compile(r"\bonly\s+(?:got to\s+|reached\s+|at\s+|about\s+)?(\d{2,3})\s*(?:c|f|fan|degrees|deg)\b")
# "never turned the heat past 3"
_DIAL_CEILING = re.compile(
    r"\b(?:never|not|did not|didn t)\s+(?:turn(?:ed)?\s+)?(?:the\s+|it\s+)?(?:heat|hob|dial|burner|gas|flame)?\s*"
    r"(?:up\s+)?(?:past|above|over|beyond|higher than)\s+(\d)\b"
)
# "oven was at 140 the entire time": an oven set below any browning temperature
_NEVER_ABOVE = re.compile(r"\b(?:never|not)\s+(?:\w+\s+){0,2}?(?:past|above|over|higher than|beyond)\s+(\d{2,3})\b")
_LOW_OVEN = re.compile(r"\boven\s+(?:was\s+|is\s+)?(?:only\s+)?(?:at|on|set to)\s+(\d{2,3})\s*(c|f|fan|degrees)?\b")
_GAS_MARK_SWAP = re.compile(r"gas mark (\d)\s*(?:instead of|rather than|not)\s+(?:gas mark\s+)?(\d)")


def heat_settings(text: str, source: str, step: int | None) -> list[Evidence]:
    """A hob dial position ("burner on 2 out of 10") or an oven temperature set instead of the recipe's."""
    lowered = _normalized(text)
    out: list[Evidence] = []
    for match in _DIAL.finditer(lowered):
        level, top = float(match.group(1)), float(match.group(2) or 10)
        if top <= 0 or level > top:
            continue
        share = level / top
        if share <= 0.3:
            out.append(
                Evidence(source, f'{source}: "{match.group(0)}" (a low dial setting)', {"heat_too_low": 1.4}, step)
            )
        elif share >= 0.85:
            out.append(
                Evidence(source, f'{source}: "{match.group(0)}" (the dial near max)', {"heat_too_high": 1.4}, step)
            )
    for match in _DIAL_CEILING.finditer(lowered):
        if int(match.group(1)) <= 3:
            out.append(
                Evidence(source, f'{source}: "{match.group(0)}" (kept on a low setting)', {"heat_too_low": 1.4}, step)
            )
    for match in _LOW_OVEN.finditer(lowered):
        degrees = float(match.group(1))
        celsius = (degrees - 32) / 1.8 if match.group(2) == "f" or degrees > 260 else degrees
        if celsius < 150:
            out.append(Evidence(source, f'{source}: "{match.group(0)}" (a cool oven)', {"heat_too_low": 1.0}, step))
    for match in _NEVER_ABOVE.finditer(lowered):
        out.append(
            Evidence(source, f'{source}: "{match.group(0)}" (never got up to heat)', {"heat_too_low": 1.3}, step)
        )
    for match in _ONLY_DEGREES.finditer(lowered):
        out.append(
            Evidence(source, f'{source}: "{match.group(0)}" (not as hot as it should be)', {"heat_too_low": 1.3}, step)
        )
    for pattern in (_TEMPERATURE_SWAP, _GAS_MARK_SWAP):
        for match in pattern.finditer(lowered):
            used, meant = float(match.group(1)), float(match.group(2))
            if used == meant:
                continue
            category = "heat_too_high" if used > meant else "heat_too_low"
            word = "hotter" if used > meant else "cooler"
            out.append(
                Evidence(
                    source, f'{source}: "{match.group(0).strip()}" ({word} than the recipe)', {category: 1.8}, step
                )
            )
    return out


# "only had it in for 40 min", "I only simmered it 45 minutes": a time the cook already suspects was short
_ONLY_TIME = re.compile(
    r"\bonly\b((?:\s+[a-z]+){0,5}?)\s+(?:about\s+|like\s+)?(\d+(?:\.\d+)?)\s*(?:min|mins|minutes?|hours?|hrs?)\b"
)
_ONLY_KIND: tuple[tuple[re.Pattern[str], dict[str, float], str], ...] = (
    (re.compile(r"\b(?:prov|proof|rise|rose|rest|ferment)"), {"leavening_problem": 1.2}, "short rise"),
    (
        re.compile(r"\b(?:preheat|heat(?:ed)? the (?:pan|oil|oven))"),
        {"pan_not_ready": 0.8, "heat_too_low": 0.5},
        "short preheat",
    ),
    (re.compile(r"\b(?:mix|whisk|beat|knead|stir|fold|blend)"), {}, ""),
)


def only_times(text: str, source: str, step: int | None) -> list[Evidence]:
    lowered = _normalized(text)
    out: list[Evidence] = []
    for match in _ONLY_TIME.finditer(lowered):
        words = match.group(1)
        weights, why = {"cooked_too_short": 1.1}, "a short cooking time"
        for pattern, kind_weights, kind_why in _ONLY_KIND:
            if pattern.search(words):
                weights, why = kind_weights, kind_why
                break
        if weights:
            out.append(Evidence(source, f'{source}: "{match.group(0).strip()}" ({why})', dict(weights), step))
    return out


_DURATION_UNIT = r"(min(?:ute)?s?|hours?|hrs?|whistles?)"  # a pressure-cooker whistle is a unit of time
_SAID = (
    r"(?:(?:the|my)\s+)?(?:recipe|recipie|it|packet|box|video|instructions?|method)\s+"
    r"(?:said|says|calls for|called for|wanted|asked for)"
)
_SAID_RE = re.compile(_SAID)
_MINUTES_INSTEAD = re.compile(
    r"(\d+(?:\.\d+)?)\s*" + _DURATION_UNIT + r"?\s*,?\s*(?:instead(?: of)?|rather than|out of|of the|not|vs|versus|"
    r"when it should have been|(?:(?:when|but|and|though|although|while|even though|whereas|yet)\s+)?"
    + _SAID
    + r")\s*(?:the\s*)?(?:about\s*)?"
    r"(\d+(?:\.\d+)?)\s*" + _DURATION_UNIT + "?"
)
_WORD_DURATIONS = (
    (re.compile(r"\b(?:an|one) hour and a half\b"), "90 min"),
    (re.compile(r"\bhalf an hour\b"), "30 min"),
    (re.compile(r"\b(?:an|one) hour\b"), "60 min"),
    (re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:-|to)\s*\d+(?:\.\d+)?\s*(?=min|hour|hr)"), r"\1 "),
)
_NUMBER_WORDS = dict(
    zip(
        "two three four five six seven eight nine ten fifteen twenty thirty forty".split(),
        ("2", "3", "4", "5", "6", "7", "8", "9", "10", "15", "20", "30", "40"),
        strict=True,
    )
)
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b")
_TIMING_WORDS = re.compile(
    r"\b(?:timer|time|took (?:it|them) out|pulled|baked|cooked|left (?:it|them)|simmered|boiled)\b"
)
_MIX_WORDS = ("mix", "beat", "whisk", "knead", "stir", "blend", "fold", "cream", "whip", "process")
_PROOF_WORDS = ("prove", "proof", "proved", "rise", "rose", "ferment", "rest the dough")


def _durations_as_digits(lowered: str) -> str:
    for pattern, replacement in _WORD_DURATIONS:
        lowered = pattern.sub(replacement, lowered)
    return _NUMBER_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1)], lowered)


def minutes_in_text(text: str, source: str, step: int | None) -> list[Evidence]:
    """'6 minutes instead of 15', 'an hour and a half when the recipe said 45 min': telemetry typed by hand."""
    out: list[Evidence] = []
    lowered = _durations_as_digits(text.lower())
    for match in _MINUTES_INSTEAD.finditer(lowered):
        window = lowered[max(0, match.start() - 40) : match.start()]
        said_time = _SAID_RE.search(match.group(0)) and _TIMING_WORDS.search(window + match.group(0))
        if not (match.group(2) or match.group(4) or said_time):
            continue  # "the burner on 2 out of 10" is a dial, not minutes
        actual = float(match.group(1)) * _unit_minutes(match.group(2) or match.group(4))
        expected = float(match.group(3)) * _unit_minutes(match.group(4) or match.group(2))
        if expected <= 0 or actual == expected:
            continue
        ratio = actual / expected
        mixing = any(word in window for word in _MIX_WORDS)
        proofing = any(word in window for word in _PROOF_WORDS)
        if ratio < 0.8:
            category = "emulsion_broke" if "oil" in window and mixing else "cooked_too_short"
        elif ratio > 1.25:
            category = "overmixed" if mixing else "cooked_too_long"
        else:
            continue
        if proofing:
            category = "leavening_problem"
        out.append(
            Evidence(
                source,
                f'{source}: "{match.group(0).strip()}" ({actual:g} of {expected:g} minutes)',
                {category: 1.6},
                step,
            )
        )
    return out


def _unit_minutes(unit: str | None) -> float:
    return 60.0 if unit and unit.startswith("h") else 1.0


# "dumped the full 800g into a 24cm frying pan", "1kg of wings on one tray": a load named against one vessel
_LOAD_INTO_VESSEL = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:kg|g|lbs?|pounds?)\b[^.;]{0,40}?\b(?:in|into|onto|on)\s+(?:a|my|the|one|our|a single)\s+"
    r"(?:\d+\s*(?:cm|inch|in)\s+|small\s+|little\s+|single\s+)?(?:[a-z]+\s+)?(?:pan|skillet|wok|tray|sheet|tin)\b"
)


# "dropped all the battered cod into the basket together", "filled the basket to the top"
_ALL_TOGETHER = re.compile(
    r"\b(?:fried|seared|roasted|browned|cooked|put|dropped|threw|tipped|dumped|grilled|sauteed|piped|tossed)\s+"
    r"(?:\w+\s+){0,2}?(?:all|everything|the whole \w+|every \w+)\b[^.;!?]{0,60}?"
    r"\b(?:together|at once|in one go|at the same time)\b"
)
_FILLED_VESSEL = re.compile(
    r"\b(?:filled|packed|loaded|piled|stuffed|crammed|overfilled|overloaded)\s+(?:up\s+)?(?:the|my|a|one)\s+"
    r"(?:[a-z]+\s+)?(?:basket|pan|tray|wok|skillet|fryer|sheet|rack)\b(?:\s+(?:to the top|to the brim|right up|full))?"
)


# "baking powder from 2019", "yeast that expired in 2021": a raising agent past its life
_OLD_AGENT = re.compile(
    r"\b(?:baking powder|baking soda|bicarb|yeast|starter|eno|raising agent)\b[^.;!?]{0,25}?"
    r"\b(?:from|dated|expired(?: in)?|best before|use by)\s+(?:19|20)\d\d\b"
)


def old_leavener(text: str, source: str, step: int | None) -> list[Evidence]:
    match = _OLD_AGENT.search(_normalized(text))
    if match is None:
        return []
    return [Evidence(source, f'{source}: "{match.group(0)}" (an old raising agent)', {"leavening_problem": 1.5}, step)]


def crowded_loads(text: str, source: str, step: int | None) -> list[Evidence]:
    normalized = _normalized(text)
    for pattern, label, weight in (
        (_LOAD_INTO_VESSEL, "a big load in one vessel", 1.2),
        (_ALL_TOGETHER, "everything in together", 1.3),
        (_FILLED_VESSEL, "a vessel filled up", 1.3),
    ):
        match = pattern.search(normalized)
        if match is not None:
            description = f'{source}: "{match.group(0)}" ({label})'
            return [Evidence(source, description, {"overcrowded_pan": weight}, step, (), "crowded")]
    return []
