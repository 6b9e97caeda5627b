"""POST /api/failure/analyze (multipart upload -> stored diagnosis) and POST /api/failure/analyses/{id}/retry.

The request body limit for the upload route is settings.media.max_bytes plus multipart framing (see
UPLOAD_PATHS and server.app); the file part itself is then streamed to the service in chunks, which
refuses it as soon as it passes max_bytes, so every oversize upload gets the 413 envelope.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, Path, UploadFile

from chefmentor.failure import service
from chefmentor.failure.schemas import AnalysisRead
from chefmentor.media.validation import ACCEPTED_TYPES
from server import side_effects
from server.deps import ActorDep, CtxDep, DbDep, RequestIdDep
from server.openapi import upload_encoding
from server.openapi_errors import errors

router = APIRouter(prefix="/api/failure", tags=["failure"])

RATE_LIMIT = "analyze"
UPLOAD_PATHS = ("/api/failure/analyze",)
CHUNK_BYTES = 256 * 1024
# What the service accepts in dish and notes: no control characters but tabs and line breaks.
TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

ANALYZE_ERRORS = errors("NOT_FOUND", "UNSUPPORTED_MEDIA", "INVALID_MEDIA", "PROVIDER_UNAVAILABLE")
RETRY_ERRORS = errors("NOT_FOUND", "CONFLICT", "PROVIDER_UNAVAILABLE")


async def _chunks(upload: UploadFile) -> AsyncIterator[bytes]:
    while chunk := await upload.read(CHUNK_BYTES):
        yield chunk


@router.post(
    "/analyze",
    operation_id="failure_analyze",
    status_code=201,
    response_model=AnalysisRead,
    responses=ANALYZE_ERRORS,
    openapi_extra=upload_encoding(file=[media.mime for media in ACCEPTED_TYPES]),
)
async def analyze_failure(
    background: BackgroundTasks,
    ctx: CtxDep,
    db: DbDep,
    actor: ActorDep,
    request_id: RequestIdDep,
    file: Annotated[UploadFile, File(description="A JPG, PNG or MP4 of the dish, at most 20 MB")],
    dish: Annotated[
        str | None, Form(max_length=service.MAX_DISH_CHARS, pattern=TEXT_PATTERN, examples=["pancakes"])
    ] = None,
    notes: Annotated[
        str | None,
        Form(max_length=service.MAX_NOTES_CHARS, pattern=TEXT_PATTERN, examples=["burnt outside, raw in the middle"]),
    ] = None,
    cooking_session_id: Annotated[
        uuid.UUID | None, Form(alias="cookingSessionId", description="The cook this dish came from (its telemetry)")
    ] = None,
) -> AnalysisRead:
    """Diagnose a failed dish from a photo or short video; a linked cooking session adds its telemetry.

    The type is judged from the file's bytes, never its name or Content-Type. When every provider fails the
    upload is kept and the analysis is `pending` (retry it later); 503 only when no local engine is configured.
    """
    try:
        analysis = await service.analyze_failure(
            db,
            actor=actor,
            **service.diagnosis_deps(ctx),
            upload=_chunks(file),
            filename=file.filename,
            dish=dish,
            notes=notes,
            cooking_session_id=cooking_session_id,
            request_id=request_id or None,
        )
    finally:
        await file.close()
    side_effects.analysis_stored(background, ctx, actor, analysis, new_upload=True)
    return analysis


@router.post(
    "/analyses/{analysis_id}/retry",
    operation_id="failure_analysis_retry",
    response_model=AnalysisRead,
    responses=RETRY_ERRORS,
)
async def retry_analysis(
    analysis_id: Annotated[uuid.UUID, Path(description="Analysis id")],
    background: BackgroundTasks,
    ctx: CtxDep,
    db: DbDep,
    actor: ActorDep,
    request_id: RequestIdDep,
) -> AnalysisRead:
    """Re-run the providers for one of your `pending` analyses from its stored media (409 once completed)."""
    analysis = await service.retry_analysis(
        db,
        actor=actor,
        analysis_id=analysis_id,
        **service.diagnosis_deps(ctx),
        request_id=request_id or None,
    )
    side_effects.analysis_stored(background, ctx, actor, analysis, new_upload=False)
    return analysis
