"""Stored diagnoses and the cook's notes: GET /api/failure/analyses[/{id}], notes CRUD.

The AI diagnosis is immutable: no route here (or anywhere) writes it. PUT/PATCH/DELETE on an analysis
answer 405 METHOD_NOT_ALLOWED with an `Allow` header; notes are separate records.
POST /api/failure/analyze lives with the diagnosis router.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from chefmentor.ai.types import ALL_CATEGORIES
from chefmentor.failure import queries
from chefmentor.failure.models import AnalysisStatus
from chefmentor.failure.schemas import AnalysisPage, AnalysisRead, NoteCreate, NoteRead, NoteUpdate
from chefmentor.paging import MAX_PAGE_SIZE
from server.deps import ActorDep, CtxDep, DbDep, RequestIdDep
from server.openapi_errors import errors

router = APIRouter(prefix="/api/failure", tags=["failure"])

OWNED_ERRORS = errors("NOT_FOUND")
AnalysisId = Annotated[uuid.UUID, Path(description="Analysis id")]
NoteId = Annotated[uuid.UUID, Path(description="Note id")]
CATEGORY_PATTERN = "^(" + "|".join(ALL_CATEGORIES) + ")$"


@router.get("/analyses", operation_id="failure_analyses_list", response_model=AnalysisPage)
async def list_analyses(
    db: DbDep,
    actor: ActorDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    category: Annotated[str | None, Query(pattern=CATEGORY_PATTERN, max_length=32)] = None,
    status: AnalysisStatus | None = None,
    cooking_session_id: Annotated[uuid.UUID | None, Query(alias="cookingSessionId")] = None,
) -> AnalysisPage:
    """Your analyses, newest first, each with its notes."""
    page = await queries.list_analyses(
        db,
        actor=actor,
        limit=limit,
        offset=offset,
        category=category,
        status=status,
        cooking_session_id=cooking_session_id,
    )
    return page


@router.get(
    "/analyses/{analysis_id}", operation_id="failure_analysis_get", response_model=AnalysisRead, responses=OWNED_ERRORS
)
async def get_analysis(analysis_id: AnalysisId, db: DbDep, actor: ActorDep) -> AnalysisRead:
    """One of your analyses: the immutable diagnosis plus your notes."""
    analysis = await queries.get_analysis(db, actor=actor, analysis_id=analysis_id)
    return analysis


@router.post(
    "/analyses/{analysis_id}/notes",
    operation_id="failure_note_add",
    response_model=NoteRead,
    status_code=201,
    responses=errors("NOT_FOUND", "CONFLICT"),
)
async def add_note(
    analysis_id: AnalysisId, body: NoteCreate, db: DbDep, ctx: CtxDep, actor: ActorDep, request_id: RequestIdDep
) -> NoteRead:
    """Add a note (up to 2000 characters) to one of your analyses; the diagnosis itself never changes."""
    return await queries.add_note(
        db, actor=actor, analysis_id=analysis_id, text=body.text, clock=ctx.clock, request_id=request_id
    )


@router.patch(
    "/analyses/{analysis_id}/notes/{note_id}",
    operation_id="failure_note_update",
    response_model=NoteRead,
    responses=OWNED_ERRORS,
)
async def update_note(
    analysis_id: AnalysisId,
    note_id: NoteId,
    body: NoteUpdate,
    db: DbDep,
    ctx: CtxDep,
    actor: ActorDep,
    request_id: RequestIdDep,
) -> NoteRead:
    """Edit the text of one of your notes."""
    return await queries.update_note(
        db,
        actor=actor,
        analysis_id=analysis_id,
        note_id=note_id,
        text=body.text,
        clock=ctx.clock,
        request_id=request_id,
    )


@router.delete(
    "/analyses/{analysis_id}/notes/{note_id}",
    operation_id="failure_note_delete",
    status_code=204,
    responses=OWNED_ERRORS,
)
async def delete_note(
    analysis_id: AnalysisId, note_id: NoteId, db: DbDep, actor: ActorDep, request_id: RequestIdDep
) -> Response:
    """Delete one of your notes."""
    await queries.delete_note(db, actor=actor, analysis_id=analysis_id, note_id=note_id, request_id=request_id)
    return Response(status_code=204)
