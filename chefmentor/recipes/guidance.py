"""What a cook needs from a step's text: expected minutes, heat, oven temperature, a suggested timer.

Conventions (docs/recipes.md):
- expected minutes = the end of the stated range, summed over the step's successive timed actions
  ("cook 5 minutes, then 3–4 more" → 9): the step should be done by then, so "running long" starts there.
- the suggested timer = the start of the first timed action's range: check for doneness first.
- durations that are alternatives, frequencies or lead times ("or up to 24 hours", "stirring every 5
  minutes", "30 minutes ahead") are kept out of the sum.
- heat = the last written level in the step (the one the step ends on: "boil over high heat, then reduce to
  low" → low); a cooking verb ("simmer", "bake") only when no level is written, marked "inferred".
- `source` tells where each value comes from: "page" (the page's structured step data), "text" (written in
  the step) or "inferred" (derived: a verb, "a few minutes", a timer suggestion).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field

from chefmentor.recipes.durations import MAX_MINUTES, find_durations, iso_minutes, normalize_for_durations
from chefmentor.recipes.heat import HeatFinding, find_heat, find_temperatures
from chefmentor.recipes.models import Heat
from chefmentor.schemas import CamelModel

Source = Literal["page", "text", "inferred"]
MAX_TIMER_SECONDS = 24 * 3600


class MinutesGuidance(CamelModel):
    low: float = Field(ge=0, le=MAX_MINUTES)
    high: float = Field(ge=0, le=MAX_MINUTES)
    text: str | None = Field(default=None, max_length=300)
    source: Source


class HeatGuidance(CamelModel):
    level: Heat
    text: str | None = Field(default=None, max_length=200)
    source: Source


class TemperatureGuidance(CamelModel):
    celsius: int | None = None
    fahrenheit: int | None = None
    gas_mark: float | None = None
    kind: str = "oven"
    text: str = Field(max_length=200)


class TimerGuidance(CamelModel):
    seconds: int = Field(ge=1, le=MAX_TIMER_SECONDS)
    source: Source


class StepGuidance(CamelModel):
    minutes: MinutesGuidance | None = None
    segments: list[MinutesGuidance] = Field(default_factory=list, max_length=20)
    heat: HeatGuidance | None = None
    oven_temperature: TemperatureGuidance | None = None
    temperatures: list[TemperatureGuidance] = Field(default_factory=list, max_length=10)
    timer: TimerGuidance | None = None

    def to_storage(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True, exclude_defaults=True)


def _round(value: float) -> float:
    return round(value, 2)


def _in_brackets(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\([^()]*\)", text)]


def _minutes_from_text(text: str) -> tuple[MinutesGuidance | None, list[MinutesGuidance]]:
    timed = [d for d in find_durations(text) if d.elapsed]
    brackets = _in_brackets(normalize_for_durations(text))
    outside = [d for d in timed if not any(s <= d.start < e for s, e in brackets)]
    if outside:  # "boil 75 minutes (hops at 60 min; 20 min)": asides in brackets are not more time
        timed = outside
    if not timed:
        return None, []
    segments = [
        MinutesGuidance(
            low=_round(d.low), high=_round(d.high), text=d.text[:300], source="inferred" if d.vague else "text"
        )
        for d in timed
    ]
    low = min(sum(d.low for d in timed), MAX_MINUTES)
    high = min(sum(d.high for d in timed), MAX_MINUTES)
    source: Source = "inferred" if all(d.vague for d in timed) else "text"
    total = MinutesGuidance(
        low=_round(low), high=_round(high), text="; ".join(d.text for d in timed)[:300], source=source
    )
    return total, segments if len(segments) > 1 else []


def _heat_from_text(text: str, oven_text: str | None, oven_start: int) -> HeatGuidance | None:
    findings = find_heat(text)
    if oven_text is not None:
        written = [f for f in findings if f.source == "text"]
        findings = sorted([*written, HeatFinding(Heat.OVEN, oven_text, oven_start, "text")], key=lambda f: f.start)
    if not findings:
        return None
    last = findings[-1]
    return HeatGuidance(level=last.level, text=last.text[:200], source="text" if last.source == "text" else "inferred")


def guidance_for_text(text: str) -> StepGuidance:
    """Guidance read from one step's text alone."""
    minutes, segments = _minutes_from_text(text)
    temperatures = find_temperatures(text)
    oven = next((t for t in temperatures if t.kind == "oven"), None)
    heat = _heat_from_text(text, oven.text if oven else None, oven.start if oven else 0)
    oil = next((t for t in temperatures if t.kind == "oil" and t.celsius), None)
    if heat is None and oil is not None and oil.celsius:  # frying oil held at a temperature
        level = Heat.HIGH if oil.celsius >= 190 else Heat.MEDIUM_HIGH
        heat = HeatGuidance(level=level, text=oil.text[:200], source="inferred")
    timer = None
    first = segments[0] if segments else minutes
    if first is not None and first.source == "text" and first.low > 0:
        timer = TimerGuidance(seconds=min(max(1, round(first.low * 60)), MAX_TIMER_SECONDS), source="inferred")
    return StepGuidance(
        minutes=minutes,
        segments=segments,
        heat=heat,
        oven_temperature=_temperature(oven) if oven else None,
        temperatures=[_temperature(t) for t in temperatures if t is not oven][:10],
        timer=timer,
    )


def _temperature(found: Any) -> TemperatureGuidance:
    return TemperatureGuidance(
        celsius=found.celsius,
        fahrenheit=found.fahrenheit,
        gas_mark=found.gas_mark,
        kind=found.kind,
        text=found.text[:200],
    )


def apply_page_values(guidance: StepGuidance, raw: dict[str, Any], warn: Any) -> StepGuidance:
    """The page's own structured step data (our extensions, schema.org step times) wins over the text."""
    stated = raw.get("expectedMinutes")
    minutes: float | None = None
    if isinstance(stated, int | float) and not isinstance(stated, bool) and 0 <= stated <= MAX_MINUTES:
        minutes = float(stated)
    elif stated is not None:
        warn(f"expectedMinutes {str(stated)[:40]!r} dropped: not a number of minutes")
    else:
        for key in ("performTime", "totalTime", "timeRequired", "cookTime"):
            if raw.get(key) is not None:
                minutes = iso_minutes(raw.get(key))
                if minutes is None:
                    warn(f"step {key} {str(raw.get(key))[:40]!r} dropped: not a duration")
                break
    if minutes is not None:
        guidance.minutes = MinutesGuidance(low=minutes, high=minutes, source="page")
        guidance.segments = []
    heat = raw.get("heat")
    if heat is not None:
        try:
            guidance.heat = HeatGuidance(
                level=Heat(str(heat).strip().lower().replace("-", "_").replace(" ", "_")), source="page"
            )
        except ValueError:
            warn(f"heat {str(heat)[:40]!r} dropped: not one of {', '.join(h.value for h in Heat)}")
    timer = raw.get("timerSeconds")
    if isinstance(timer, int | float) and not isinstance(timer, bool) and 1 <= timer <= MAX_TIMER_SECONDS:
        guidance.timer = TimerGuidance(seconds=int(timer), source="page")
    elif timer is not None:
        warn(f"timerSeconds {str(timer)[:40]!r} dropped: not 1 s to 24 h")
    return guidance
