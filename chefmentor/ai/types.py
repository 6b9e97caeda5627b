"""The diagnosis contract shared by every provider, the chain, the API, the CLI and evaluation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, get_args

# One list: the Literal feeds the providers' response schema, the tuples feed validation and evaluation.
CategoryName = Literal[
    "heat_too_high",
    "heat_too_low",
    "cooked_too_long",
    "cooked_too_short",
    "overcrowded_pan",
    "too_much_liquid",
    "too_little_liquid",
    "seasoning_off",
    "overmixed",
    "leavening_problem",
    "emulsion_broke",
    "pan_not_ready",
    "unknown",
]
UNKNOWN = "unknown"
CATEGORIES: tuple[str, ...] = tuple(name for name in get_args(CategoryName) if name != UNKNOWN)
ALL_CATEGORIES: tuple[str, ...] = (*CATEGORIES, UNKNOWN)


@dataclass(frozen=True, slots=True)
class StepTelemetry:
    """What happened at one recipe step during a cook (from step events, or an eval case)."""

    step_number: int
    instruction: str = ""
    expected_state: str | None = None
    expected_minutes: float | None = None
    actual_minutes: float | None = None
    expected_heat: str | None = None
    actual_heat: str | None = None
    skipped: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MediaImage:
    """One analysis-size image (a photo, or a video keyframe) as encoded bytes plus its MIME type."""

    data: bytes
    mime_type: str = "image/jpeg"
    width: int = 0
    height: int = 0


@dataclass(frozen=True, slots=True)
class DiagnosisRequest:
    dish: str | None = None
    notes: str | None = None
    images: tuple[MediaImage, ...] = ()
    steps: tuple[StepTelemetry, ...] = ()
    recipe_name: str | None = None


@dataclass(slots=True)
class Attempt:
    provider: str
    ok: bool
    error: str | None = None
    latency_ms: float = 0.0
    model: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "ok": self.ok,
            "error": self.error,
            "latencyMs": round(self.latency_ms, 1),
            "model": self.model,
        }


@dataclass(slots=True)
class Diagnosis:
    category: str
    root_cause: str
    explanation: str
    evidence: list[str] = field(default_factory=list)
    suspected_step: int | None = None
    fix_now: str = ""
    next_time: list[str] = field(default_factory=list)
    confidence: float = 0.0
    safety: list[str] = field(default_factory=list)
    provider: str = "local"
    model: str = "local"
    attempts: list[Attempt] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "rootCause": self.root_cause,
            "explanation": self.explanation,
            "evidence": list(self.evidence),
            "suspectedStep": self.suspected_step,
            "fixNow": self.fix_now,
            "nextTime": list(self.next_time),
            "confidence": round(self.confidence, 3),
            "safety": list(self.safety),
            "provider": self.provider,
            "model": self.model,
            "attempts": [a.to_json() for a in self.attempts],
        }


class Diagnoser(Protocol):
    """One provider (or the fallback chain). Raises ProviderError subclasses on failure."""

    name: str
    model: str
    accepts_images: bool

    async def diagnose(self, request: DiagnosisRequest) -> Diagnosis: ...
