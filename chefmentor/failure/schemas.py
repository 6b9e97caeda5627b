"""API/CLI shapes for stored diagnoses and the cook's notes (camelCase, CONTRACTS.md "Diagnosis")."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from chefmentor.ai.types import UNKNOWN
from chefmentor.failure.models import AnalysisNote, AnalysisStatus, FailureAnalysis
from chefmentor.schemas import CamelModel, field_title

NOTE_MAX_CHARS = 2000
MAX_NOTES_PER_ANALYSIS = 100
NOTE_PATTERN = r"^[\t\n\r ]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class DiagnosisCategory(enum.StrEnum):
    """The closed set of failure causes (CONTRACTS.md); `unknown` when the engine abstains.

    The same names as chefmentor.ai.types.CategoryName (a test keeps them equal)."""

    HEAT_TOO_HIGH = "heat_too_high"
    HEAT_TOO_LOW = "heat_too_low"
    COOKED_TOO_LONG = "cooked_too_long"
    COOKED_TOO_SHORT = "cooked_too_short"
    OVERCROWDED_PAN = "overcrowded_pan"
    TOO_MUCH_LIQUID = "too_much_liquid"
    TOO_LITTLE_LIQUID = "too_little_liquid"
    SEASONING_OFF = "seasoning_off"
    OVERMIXED = "overmixed"
    LEAVENING_PROBLEM = "leavening_problem"
    EMULSION_BROKE = "emulsion_broke"
    PAN_NOT_READY = "pan_not_ready"
    UNKNOWN = UNKNOWN


class MediaKind(enum.StrEnum):
    IMAGE = "image"
    VIDEO = "video"


def _known_category(value: Any) -> Any:
    # A stored category outside today's set (an older engine's name) reads as `unknown` rather than failing.
    if isinstance(value, str) and value not in DiagnosisCategory.__members__.values():
        return DiagnosisCategory.UNKNOWN
    return value


Category = Annotated[DiagnosisCategory, BeforeValidator(_known_category)]


class AttemptRead(CamelModel):
    provider: str
    ok: bool
    error: str | None = None
    latency_ms: float = 0.0
    model: str | None = None


class NoteRead(CamelModel):
    id: uuid.UUID
    text: str
    created_at: datetime
    updated_at: datetime


class AnalysisRead(CamelModel):
    """One diagnosis: the immutable AI part, where it came from, and the cook's own notes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "3d4c1b2a-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
                    "status": "completed",
                    "dish": "pancakes",
                    "cookNotes": "burnt outside, raw inside",
                    "cookingSessionId": "0b8f5a52-6d1e-4f7a-8c3b-91d2e4f5a6b7",
                    "category": "heat_too_high",
                    "rootCause": "The pan was too hot, so the outside set before the middle cooked.",
                    "explanation": "Dark edges with a pale, wet centre; step 2 ran on high heat for 2 minutes.",
                    "evidence": ["dark edges", "heat high on step 2"],
                    "suspectedStep": 2,
                    "fixNow": "Finish them in a 180 °C oven for 5 minutes.",
                    "nextTime": ["Cook on medium-low and wait for bubbles before flipping."],
                    "confidence": 0.82,
                    "safety": [],
                    "provider": "local",
                    "model": "chefmentor-local-1",
                    "attempts": [{"provider": "local", "ok": True, "error": None, "latencyMs": 3.1, "model": None}],
                    "mediaUrl": "http://127.0.0.1:8000/media/5JtQbYwY0fQ3c7d0.jpg",
                    "mediaKind": "image",
                    "createdAt": "2026-01-01T12:30:00Z",
                    "diagnosedAt": "2026-01-01T12:30:01Z",
                    "notes": [],
                }
            ]
        }
    )

    id: uuid.UUID
    status: AnalysisStatus = Field(description="`pending` until a provider answered (retry it), then `completed`")
    dish: str | None = None
    cook_notes: str | None = None
    cooking_session_id: uuid.UUID | None = None
    category: Category | None = None
    root_cause: str | None = None
    explanation: str | None = None
    evidence: list[str] = Field(default_factory=list)
    suspected_step: int | None = None
    fix_now: str | None = None
    next_time: list[str] = Field(default_factory=list)
    confidence: float | None = None
    safety: list[str] = Field(default_factory=list)
    provider: str | None = None
    model: str | None = None
    attempts: list[AttemptRead] = Field(default_factory=list)
    media_url: str
    media_kind: MediaKind | None = None
    created_at: datetime
    diagnosed_at: datetime | None = None
    notes: list[NoteRead] = Field(default_factory=list)


class AnalysisPage(CamelModel):
    items: list[AnalysisRead]
    total: int
    limit: int
    offset: int


class NoteCreate(BaseModel):
    """Only the note text is writable: the AI fields of an analysis are never reachable from here."""

    model_config = ConfigDict(
        extra="forbid",
        field_title_generator=field_title,
        json_schema_extra={"examples": [{"text": "Next time: medium heat, and wait for the bubbles."}]},
    )

    text: str = Field(
        min_length=1,
        max_length=NOTE_MAX_CHARS,
        # What check_note_text accepts, for clients and fuzzers: some visible text, no control characters.
        json_schema_extra={"pattern": NOTE_PATTERN},
    )

    @field_validator("text")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        return check_note_text(value)


class NoteUpdate(NoteCreate):
    pass


def check_note_text(value: str) -> str:
    """Strip, bound, and refuse NUL/control characters (PostgreSQL text cannot hold NUL)."""
    text = value.strip()
    if not text:
        raise ValueError("a note cannot be empty")
    if len(text) > NOTE_MAX_CHARS:
        raise ValueError(f"a note is at most {NOTE_MAX_CHARS} characters")
    if any((ord(ch) < 32 and ch not in "\n\t\r") or ch == "\x7f" for ch in text):
        raise ValueError("a note cannot contain control characters")
    return text


def _detail(details: dict[str, Any], camel: str, snake: str) -> Any:
    return details.get(camel, details.get(snake))


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if item is not None]


def _attempts(rows: Iterable[Any]) -> list[AttemptRead]:
    out: list[AttemptRead] = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        out.append(
            AttemptRead(
                provider=str(row.get("provider", "")),
                ok=bool(row.get("ok", False)),
                error=row.get("error"),
                latency_ms=float(_detail(row, "latencyMs", "latency_ms") or 0.0),
                model=row.get("model"),
            )
        )
    return out


def analysis_to_read(row: FailureAnalysis, notes: Iterable[AnalysisNote] = ()) -> AnalysisRead:
    """Build the API shape from a stored row; details live in `diagnosis` (camelCase or snake_case keys)."""
    details = row.diagnosis or {}
    suspected = _detail(details, "suspectedStep", "suspected_step")
    fix_now = _detail(details, "fixNow", "fix_now")
    return AnalysisRead(
        id=row.id,
        status=AnalysisStatus(row.status),
        dish=row.dish,
        cook_notes=row.cook_notes,
        cooking_session_id=row.cooking_session_id,
        category=row.category,
        root_cause=row.root_cause,
        explanation=row.explanation,
        evidence=_str_list(details.get("evidence")),
        suspected_step=suspected if isinstance(suspected, int) and not isinstance(suspected, bool) else None,
        fix_now=str(fix_now) if fix_now is not None else None,
        next_time=_str_list(_detail(details, "nextTime", "next_time")),
        confidence=row.confidence,
        safety=_str_list(details.get("safety")),
        provider=row.provider,
        model=row.model,
        attempts=_attempts(row.attempts or []),
        media_url=row.media_url,
        media_kind=row.media_kind,
        created_at=row.created_at,
        diagnosed_at=row.diagnosed_at,
        notes=[NoteRead.model_validate(note) for note in sorted(notes, key=lambda n: n.created_at)],
    )
