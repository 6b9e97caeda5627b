"""Session telemetry: what actually happened at each step, compared with what the recipe asked for."""

from __future__ import annotations

import math
import re

from chefmentor.ai.local.evidence import Evidence
from chefmentor.ai.local.text import analyze_notes
from chefmentor.ai.types import StepTelemetry

SHORT_RATIO, LONG_RATIO = 0.75, 1.35
SKIPPED_WEIGHT = 2.6

_HEAT_WORDS: tuple[tuple[str, float], ...] = (
    ("medium high", 2.5),
    ("med high", 2.5),
    ("medium low", 1.5),
    ("med low", 1.5),
    ("very high", 3.2),
    ("maximum", 3.2),
    ("max", 3.2),
    ("high", 3.0),
    ("hot", 3.0),
    ("medium", 2.0),
    ("moderate", 2.0),
    ("med", 2.0),
    ("very low", 0.7),
    ("low", 1.0),
    ("gentle", 1.0),
    ("highest", 3.2),
    ("full", 3.2),
    ("lowest", 0.7),
    ("sim", 0.7),
    ("simmer", 1.2),
    ("warm", 0.7),
    ("off", 0.0),
)
# an oven or dial reading typed instead of a word: "220C", "425F", "gas 7", "8/10"
_DEGREES = re.compile(r"^(\d{2,3})\s*°?\s*(c|f)?\b")
_GAS = re.compile(r"^gas(?: mark)?\s*(\d)\b")
_DIAL = re.compile(r"^(\d{1,2})(?:\s*(?:/|out of)\s*(\d{1,2}))?$")
_EXPLICIT_HEAT = re.compile(
    r"\b(?:over|on|at|to|using)\s+(?:a\s+)?((?:very |medium[ -]|med[ -])?(?:low|medium|med|high|moderate|gentle))\b"
    r"|\b((?:medium[ -]|med[ -])?(?:low|medium|high|moderate|gentle))[ -](?:heat|flame)\b"
)
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "emulsify",
        re.compile(
            r"drizzle|in a (?:thin |slow |steady )?stream|emulsif|whisk in (?:the )?(?:cold |melted |clarified |soft )?"
            r"(?:butter|oil)|drop by drop|mount"
        ),
    ),
    ("preheat_oven", re.compile(r"pre-?heat (?:the )?oven|heat the oven")),
    (
        "preheat",
        re.compile(
            r"pre-?heat|heat (?:the |a |some |your )?(?:[a-z]+ ){0,2}(?:oil|pan|skillet|wok|griddle|butter|tawa|tava|"
            r"kadai|kadhai|karahi|comal|ghee|"
            r"cast iron|frying pan|plancha)\b|until (?:the oil |it )?shimmer|until (?:very |smoking )?hot"
        ),
    ),
    ("leavener", re.compile(r"baking (?:powder|soda)|\byeast\b|bicarb|starter")),
    ("proof", re.compile(r"\b(?:rise|proof|prove|ferment|double in size|rest the dough|rest the batter)\b")),
    ("drain", re.compile(r"\bdrain|pat (?:\w+ )?dry|squeeze (?:out )?(?:the )?(?:water|liquid)")),
    (
        "reduce",
        re.compile(
            r"\breduce|until (?:thick|syrupy|reduced)|uncovered until|to thicken|cook off|boil off|"
            r"until (?:almost |nearly |mostly |completely )?(?:evaporated|absorbed|gone)"
        ),
    ),
    (
        "add_liquid",
        re.compile(r"\b(?:add|pour in|stir in) (?:the |some )?(?:water|stock|broth|milk|wine|cream|liquid)"),
    ),
    ("season", re.compile(r"\bseason|\bsalt\b|taste and adjust")),
    ("batches", re.compile(r"in batches|single layer|(?:don'?t|do not) (?:over)?crowd")),
    (
        "mix",
        re.compile(
            r"\b(?:mix|combine|fold|beat|whisk|knead|cream|blend|whip|stir together)\b|\bcombined\b"
            r"|\bstir (?:\w+ ){0,3}(?:into|through)\b"
        ),
    ),
)
_COOK_VERBS = re.compile(
    r"\b(?:cook|bake|roast|fry|sear|saut[eé]|simmer|boil|grill|braise|poach|steam|toast|"
    r"brown|broil|caramel|sweat|blanch|heat through)"
)


def heat_level(text: str | None) -> float | None:
    if not text:
        return None
    lowered = text.lower().replace("-", " ").replace("_", " ").strip()
    for word, level in _HEAT_WORDS:
        if re.search(r"\b" + word + r"\b", lowered):
            return level
    return _numeric_heat(lowered)


def _numeric_heat(lowered: str) -> float | None:
    if gas := _GAS.match(lowered):
        return _oven_level(120 + 14 * int(gas.group(1)))
    if (dial := _DIAL.match(lowered)) and int(dial.group(1)) <= int(dial.group(2) or 10):
        return 3.2 * int(dial.group(1)) / int(dial.group(2) or 10)
    if degrees := _DEGREES.match(lowered):
        value = float(degrees.group(1))
        is_fahrenheit = degrees.group(2) == "f" or (degrees.group(2) is None and value > 260)
        return _oven_level((value - 32) / 1.8 if is_fahrenheit else value)
    return None


def _oven_level(celsius: float) -> float:
    """Oven bands on the hob's scale: 150 C is low, 180 C medium, 220 C and above high."""
    return max(0.7, min(3.2, 1.0 + (celsius - 150) / 35))


def expected_heat(step: StepTelemetry) -> float | None:
    if step.expected_heat:
        return heat_level(step.expected_heat)
    lowered = step.instruction.lower()
    match = _EXPLICIT_HEAT.search(lowered)
    if match:
        return heat_level(match.group(1) or match.group(2))
    if re.search(r"\bsimmer|\bgently\b|\bpoach", lowered):
        return 1.3
    if re.search(r"\bsear\b|stir[ -]fry|\bwok\b", lowered):
        return 2.8
    return None


def step_kind(instruction: str) -> str:
    lowered = instruction.lower()
    for kind, pattern in _KINDS:
        if pattern.search(lowered):
            if kind == "mix" and _COOK_VERBS.search(lowered):
                return "cook"
            if kind == "proof" and _COOK_VERBS.match(lowered.strip()):
                return "cook"  # "Bake until the humps rise" is baking time, not proving time
            if kind in ("season", "batches", "add_liquid") and _COOK_VERBS.search(lowered):
                return f"cook+{kind}"
            return kind
    return "cook"


def _strength(ratio: float) -> float:
    return min(3.4, 1.2 + 2.0 * abs(math.log(ratio)))


def _short(instruction: str, limit: int = 48) -> str:
    text = instruction.strip().rstrip(".")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _time_weights(kind: str, ratio: float, strength: float, families: frozenset[str]) -> dict[str, float]:
    short = ratio <= SHORT_RATIO
    base = kind.split("+")[0]
    if base == "mix":
        return {} if short else {"overmixed": strength}
    if base == "emulsify":
        return {"emulsion_broke": strength} if short else {}
    if base == "preheat":
        return {"pan_not_ready": strength, "heat_too_low": 0.3 * strength} if short else {}
    if base == "preheat_oven":
        return {"heat_too_low": strength} if short else {}
    if base == "proof":
        return {"leavening_problem": strength if short else 0.7 * strength}
    if base == "reduce":
        if short:
            return {"too_much_liquid": strength, "cooked_too_short": 0.3 * strength}
        return {"too_little_liquid": 0.8 * strength, "cooked_too_long": 0.4 * strength}
    if short:
        return {"cooked_too_short": strength}
    weights = {"cooked_too_long": strength}
    if "grains" in families:
        weights["too_little_liquid"] = 0.2 * strength
    return weights


_SKIPPED: dict[str, tuple[dict[str, float], str]] = {
    "preheat": ({"pan_not_ready": SKIPPED_WEIGHT + 0.2}, "pan never preheated"),
    "preheat_oven": ({"heat_too_low": SKIPPED_WEIGHT}, "oven never preheated"),
    "leavener": ({"leavening_problem": SKIPPED_WEIGHT + 0.2}, "raising agent step skipped"),
    "proof": ({"leavening_problem": SKIPPED_WEIGHT}, "no time to rise"),
    "drain": ({"too_much_liquid": SKIPPED_WEIGHT * 0.8, "overcrowded_pan": 0.5}, "not drained/dried"),
    "season": ({"seasoning_off": SKIPPED_WEIGHT}, "seasoning step skipped"),
    "cook+season": ({"seasoning_off": SKIPPED_WEIGHT}, "seasoning step skipped"),
    "add_liquid": ({"too_little_liquid": SKIPPED_WEIGHT}, "liquid never added"),
    "cook+add_liquid": ({"too_little_liquid": SKIPPED_WEIGHT}, "liquid never added"),
    "batches": ({"overcrowded_pan": SKIPPED_WEIGHT}, "not cooked in batches"),
    "cook+batches": ({"overcrowded_pan": SKIPPED_WEIGHT}, "not cooked in batches"),
    "reduce": ({"too_much_liquid": SKIPPED_WEIGHT}, "sauce never reduced"),
    "emulsify": ({"emulsion_broke": 1.2}, "emulsifying step skipped"),
    "cook": ({"cooked_too_short": 1.2}, "cooking step skipped"),
}


def analyze_steps(steps: tuple[StepTelemetry, ...], families: frozenset[str]) -> list[Evidence]:
    """Time and heat deviations per step, as strong evidence that names the step."""
    out: list[Evidence] = []
    checked = 0
    for step in steps:
        kind = step_kind(step.instruction)
        label = (
            f"step {step.step_number} ({_short(step.instruction)})" if step.instruction else f"step {step.step_number}"
        )
        if step.skipped:
            weights, why = _SKIPPED.get(kind, _SKIPPED["cook"])
            out.append(Evidence("session", f"session: {label} was skipped ({why})", dict(weights), step.step_number))
            checked += 1
            continue
        heat = _heat_evidence(step, kind, label)
        timing = _time_evidence(step, kind, label, families)
        if heat and timing:
            # High heat with a short time (or low heat with a long one) is the cook compensating: heat is the cause.
            hotter = "heat_too_high" in heat[0].weights
            compensating = "cooked_too_short" if hotter else "cooked_too_long"
            timing = [e.scaled(0.35) if compensating in e.weights else e for e in timing]
        out.extend(timing)
        out.extend(heat)
        if step.expected_minutes or step.actual_heat:
            checked += 1
        if step.notes:
            out.extend(analyze_notes(" . ".join(step.notes), families, source="session", step=step.step_number))
    if checked and not any(e.source == "session" and e.concept is None for e in out):
        out.append(
            Evidence(
                "session",
                "session: every step's time and heat matched the recipe",
                {
                    "cooked_too_short": -0.5,
                    "cooked_too_long": -0.5,
                    "heat_too_high": -0.4,
                    "heat_too_low": -0.4,
                    "pan_not_ready": -0.2,
                },
            )
        )
    return out


def _time_evidence(step: StepTelemetry, kind: str, label: str, families: frozenset[str]) -> list[Evidence]:
    expected, actual = step.expected_minutes, step.actual_minutes
    if expected is None or actual is None or expected <= 0:
        return []
    if actual <= 0:
        if kind.startswith(("preheat", "proof", "emulsify", "drain")):
            weights, why = _SKIPPED[kind]
            return [
                Evidence(
                    "session", f"session: {label} took 0 of {expected:g} min ({why})", dict(weights), step.step_number
                )
            ]
        actual = 0.05 * expected
    ratio = actual / expected
    if SHORT_RATIO < ratio < LONG_RATIO:
        return []
    weights = _time_weights(kind, ratio, _strength(ratio), families)
    if not weights:
        return []
    verb = "only " if ratio < 1 else ""
    return [
        Evidence("session", f"session: {label} ran {verb}{actual:g} of {expected:g} min", weights, step.step_number)
    ]


def _heat_evidence(step: StepTelemetry, kind: str, label: str) -> list[Evidence]:
    actual = heat_level(step.actual_heat)
    expected = expected_heat(step)
    if actual is None or expected is None:
        return []
    delta = actual - expected
    if abs(delta) < 0.5:
        return []
    strength = min(3.4, 0.6 + 1.4 * abs(delta))
    base = kind.split("+")[0]
    if delta > 0:
        if base == "emulsify":
            weights = {"emulsion_broke": 0.8 * strength, "heat_too_high": 0.5 * strength}
        else:
            weights = {"heat_too_high": strength}
    elif base == "preheat":
        weights = {"pan_not_ready": 0.7 * strength, "heat_too_low": 0.6 * strength}
    else:
        weights = {"heat_too_low": strength}
    direction = "higher" if delta > 0 else "lower"
    return [
        Evidence(
            "session",
            f"session: {label} on {step.actual_heat} heat, {direction} than the recipe's {_heat_name(expected)}",
            weights,
            step.step_number,
        )
    ]


def _heat_name(level: float) -> str:
    names = {
        0.7: "very low",
        1.0: "low",
        1.3: "gentle simmer",
        1.5: "medium-low",
        2.0: "medium",
        2.5: "medium-high",
        2.8: "high (sear)",
        3.0: "high",
        3.2: "maximum",
    }
    return names.get(level, f"level {level:g}")
