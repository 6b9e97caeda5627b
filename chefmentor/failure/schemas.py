"""API/CLI shapes for stored diagnoses and the cook's notes (camelCase, CONTRACTS.md "Diagnosis")."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from chefmentor.failure.models import AnalysisNote, FailureAnalysis
from chefmentor.schemas import CamelModel

NOTE_MAX_CHARS = 2000
MAX_NOTES_PER_ANALYSIS = 100


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

    id: uuid.UUID
    status: str
    dish: str | None = None
    cook_notes: str | None = None
    cooking_session_id: uuid.UUID | None = None
    category: str | None = None
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
    media_kind: str | None = None
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

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=NOTE_MAX_CHARS)

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
        status=str(row.status.value if hasattr(row.status, "value") else row.status),
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
