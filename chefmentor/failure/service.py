"""Failed-dish diagnosis: validate and store the upload, gather session telemetry, run the provider chain.

Nothing the cook sends is lost: when every provider fails the upload is kept and the analysis is stored
as `pending` with the attempts, and `retry_analysis` re-runs it later. The AI part of an analysis is
written exactly once (a conditional UPDATE guards against two concurrent retries).
"""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterable
from typing import TYPE_CHECKING, Any, TypedDict

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

import chefmentor.db.models  # noqa: F401 - registers every table so the analysis row's foreign keys resolve
from chefmentor.actor import Actor
from chefmentor.ai.errors import DiagnosisUnavailableError, ProviderError
from chefmentor.ai.prompt import PROMPT_VERSION
from chefmentor.ai.types import Attempt, Diagnoser, Diagnosis, DiagnosisRequest, MediaImage, StepTelemetry
from chefmentor.audit.service import record_audit
from chefmentor.cache import Cache, MemoryCache
from chefmentor.clock import Clock
from chefmentor.config import MediaSettings
from chefmentor.errors import ConflictError, ProviderUnavailableError, ValidationError
from chefmentor.failure.models import AnalysisStatus, FailureAnalysis
from chefmentor.failure.queries import get_analysis, owned_analysis
from chefmentor.failure.schemas import AnalysisRead, analysis_to_read
from chefmentor.media.intake import analysis_images_from_store, analysis_view, store_upload
from chefmentor.media.store import MediaStore, StoredMedia
from chefmentor.media.validation import read_upload

if TYPE_CHECKING:
    from chefmentor.context import AppContext

log = logging.getLogger(__name__)

MAX_DISH_CHARS = 150
MAX_NOTES_CHARS = 2000
MAX_FILENAME_CHARS = 120
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _clean_text(value: str | None, *, field: str, limit: int) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if len(text) > limit:
        raise ValidationError(f"{field} is at most {limit} characters")
    if _CONTROL.search(text):
        raise ValidationError(f"{field} cannot contain control characters")
    return text


def _upload_name(filename: str | None) -> str | None:
    # Kept only as a label for the cook; never used to build a path or choose a type.
    if not filename:
        return None
    base = re.split(r"[\\/]", filename)[-1]
    return _CONTROL.sub("", base)[:MAX_FILENAME_CHARS] or None


def _has_local_fallback(diagnoser: Diagnoser) -> bool:
    flag = getattr(diagnoser, "has_local_fallback", None)
    return bool(flag) if flag is not None else getattr(diagnoser, "name", "") == "local"


async def _telemetry(
    session: AsyncSession,
    *,
    actor: Actor,
    cooking_session_id: uuid.UUID | None,
    cache: Cache | None,
    clock: Clock,
) -> tuple[tuple[StepTelemetry, ...], str | None]:
    if cooking_session_id is None:
        return (), None
    from chefmentor.cooking.service import get_cooking_session
    from chefmentor.cooking.telemetry import load_step_telemetry

    # Both calls enforce ownership: another actor's session is NOT_FOUND, like an unknown id.
    steps = await load_step_telemetry(session, cooking_session_id=cooking_session_id, actor=actor)
    cook = await get_cooking_session(
        session, actor=actor, session_id=cooking_session_id, cache=cache or MemoryCache(), clock=clock
    )
    return tuple(steps), cook.recipe_name


def _ai_values(diagnosis: Diagnosis, clock: Clock) -> dict[str, Any]:
    details = diagnosis.to_json()
    attempts = details.pop("attempts")
    details["promptVersion"] = PROMPT_VERSION
    details["usage"] = dict(diagnosis.usage)
    return {
        "status": AnalysisStatus.COMPLETED,
        "category": diagnosis.category,
        "confidence": round(float(diagnosis.confidence), 4),
        "root_cause": diagnosis.root_cause,
        "explanation": diagnosis.explanation,
        "diagnosis": details,
        "provider": diagnosis.provider[:32],
        "model": diagnosis.model[:100],
        "attempts": attempts,
        "diagnosed_at": clock.now(),
    }


def _pending_message(exc: ProviderUnavailableError, analysis_id: uuid.UUID) -> str:
    return (
        f"{exc.message}. The upload is saved as pending analysis {analysis_id}: "
        f"retry with POST /api/failure/analyses/{analysis_id}/retry"
    )


Outcome = tuple[Diagnosis | None, ProviderUnavailableError | None]


async def _run(diagnoser: Diagnoser, request: DiagnosisRequest) -> Outcome:
    try:
        return await diagnoser.diagnose(request), None
    except ProviderUnavailableError as exc:
        return None, exc
    except ProviderError as exc:  # a bare provider (not a chain) failed: same outcome, one attempt
        attempt = Attempt(exc.provider or getattr(diagnoser, "name", "?"), False, exc.code.value)
        return None, DiagnosisUnavailableError(f"The diagnosis provider failed ({exc.code.value})", attempts=[attempt])


def _attempts_of(exc: ProviderUnavailableError) -> list[dict[str, Any]]:
    return [a.to_json() if hasattr(a, "to_json") else dict(a) for a in getattr(exc, "attempts", [])]


class DiagnosisDeps(TypedDict):
    media_store: MediaStore
    diagnoser: Diagnoser
    media: MediaSettings
    clock: Clock
    cache: Cache | None


def diagnosis_deps(ctx: AppContext) -> DiagnosisDeps:
    """The providers analyze_failure and retry_analysis take, read from the one wiring point."""
    return {
        "media_store": ctx.media_store,
        "diagnoser": ctx.diagnoser,
        "media": ctx.settings.media,
        "clock": ctx.clock,
        "cache": ctx.cache,
    }


async def analyze_failure(
    session: AsyncSession,
    *,
    actor: Actor,
    media_store: MediaStore,
    diagnoser: Diagnoser,
    media: MediaSettings,
    upload: bytes | AsyncIterable[bytes],
    filename: str | None = None,
    dish: str | None = None,
    notes: str | None = None,
    cooking_session_id: uuid.UUID | None = None,
    clock: Clock,
    cache: Cache | None = None,
    request_id: str | None = None,
) -> AnalysisRead:
    """Store the upload (URL only in the DB) and its diagnosis; every provider failing leaves it `pending`."""
    clean_dish = _clean_text(dish, field="dish", limit=MAX_DISH_CHARS)
    clean_notes = _clean_text(notes, field="notes", limit=MAX_NOTES_CHARS)
    steps, recipe_name = await _telemetry(
        session, actor=actor, cooking_session_id=cooking_session_id, cache=cache, clock=clock
    )
    # Release the connection while media is decoded and providers think (up to the AI budget).
    await session.rollback()
    data, media_type = await read_upload(upload, max_bytes=media.max_bytes)
    images, view_meta = await asyncio.to_thread(analysis_view, data, media_type, media)
    request = DiagnosisRequest(dish=clean_dish, notes=clean_notes, images=images, steps=steps, recipe_name=recipe_name)
    # The kept copy (full decode, re-encode, upload) is made while the providers think.
    storing = asyncio.create_task(store_upload(data, media_type, media=media, store=media_store))
    try:
        diagnosis, failure = await _run(diagnoser, request)
    except BaseException:
        await _abandon(storing, media_store)
        raise
    stored, store_meta = await storing
    label = _upload_name(filename)
    row = FailureAnalysis(
        user_id=actor.user_id,
        demo_session_id=actor.demo_session_id,
        cooking_session_id=cooking_session_id,
        media_url=stored.url,
        media_kind=stored.kind,
        media_meta={**view_meta, **store_meta, **({"uploadName": label} if label else {})},
        dish=clean_dish,
        cook_notes=clean_notes,
        status=AnalysisStatus.PENDING,
        created_at=clock.now(),
    )
    if diagnosis is not None:
        for key, value in _ai_values(diagnosis, clock).items():
            setattr(row, key, value)
    elif failure is not None:
        row.attempts = _attempts_of(failure)
    try:
        session.add(row)
        record_audit(
            session,
            entity="failure_analysis",
            action="created",
            entity_id=row.id,
            actor=actor,
            request_id=request_id,
            details={"status": row.status.value, "provider": row.provider, "mediaKind": row.media_kind},
        )
        await session.commit()
    except Exception:
        await session.rollback()
        await _forget_media(media_store, stored.url)
        raise
    if failure is not None and not _has_local_fallback(diagnoser):
        raise ProviderUnavailableError(_pending_message(failure, row.id))
    return analysis_to_read(row)


async def _abandon(storing: asyncio.Task[tuple[StoredMedia, dict[str, Any]]], store: MediaStore) -> None:
    """The analysis failed: stop (or undo) saving its media."""
    storing.cancel()
    try:
        stored, _ = await storing
    except BaseException:  # noqa: S110 - cancelled or failed: nothing was kept
        return
    await _forget_media(store, stored.url)


async def _forget_media(store: MediaStore, url: str) -> None:
    try:
        await store.delete(url)
    except Exception:  # best effort: an orphan file is better than hiding the original error
        log.warning("could not delete orphaned media %s", url, exc_info=True)


async def retry_analysis(
    session: AsyncSession,
    *,
    actor: Actor,
    analysis_id: uuid.UUID,
    media_store: MediaStore,
    diagnoser: Diagnoser,
    media: MediaSettings,
    clock: Clock,
    cache: Cache | None = None,
    request_id: str | None = None,
) -> AnalysisRead:
    """Re-run the providers for the actor's pending analysis from its stored media; a completed one is a conflict."""
    row = await owned_analysis(session, actor, analysis_id)
    if row.status != AnalysisStatus.PENDING:
        raise ConflictError("This analysis already has its diagnosis; it cannot be re-run")
    media_url, previous = row.media_url, list(row.attempts or [])
    steps, recipe_name = await _telemetry(
        session, actor=actor, cooking_session_id=row.cooking_session_id, cache=cache, clock=clock
    )
    dish, notes = row.dish, row.cook_notes
    await session.rollback()
    images: tuple[MediaImage, ...] = await analysis_images_from_store(media_url, media=media, store=media_store)
    request = DiagnosisRequest(dish=dish, notes=notes, images=images, steps=steps, recipe_name=recipe_name)
    diagnosis, failure = await _run(diagnoser, request)
    if diagnosis is not None:
        values = _ai_values(diagnosis, clock)
        values["attempts"] = previous + values["attempts"]
    else:
        assert failure is not None  # noqa: S101 - _run returns exactly one of the two
        values = {"attempts": previous + _attempts_of(failure)}
    result = await session.execute(
        update(FailureAnalysis)
        .where(col(FailureAnalysis.id) == analysis_id, col(FailureAnalysis.status) == AnalysisStatus.PENDING)
        .values(**values)
    )
    if getattr(result, "rowcount", 1) == 0:
        await session.rollback()
        raise ConflictError("This analysis was completed by another request meanwhile")
    record_audit(
        session,
        entity="failure_analysis",
        action="retried",
        entity_id=analysis_id,
        actor=actor,
        request_id=request_id,
        details={"status": "completed" if diagnosis else "pending", "provider": values.get("provider")},
    )
    await session.commit()
    if failure is not None and not _has_local_fallback(diagnoser):
        raise ProviderUnavailableError(_pending_message(failure, analysis_id))
    return await get_analysis(session, actor=actor, analysis_id=analysis_id)
