"""Reading stored diagnoses and managing the cook's notes on them (the AI part is never written here)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.audit.service import record_audit
from chefmentor.clock import Clock
from chefmentor.errors import ConflictError, NotFoundError, ValidationError
from chefmentor.failure.models import AnalysisNote, AnalysisStatus, FailureAnalysis
from chefmentor.failure.schemas import (
    MAX_NOTES_PER_ANALYSIS,
    AnalysisPage,
    AnalysisRead,
    NoteRead,
    analysis_to_read,
    check_note_text,
)
from chefmentor.paging import check_page

ANALYSIS_NOT_FOUND = "Analysis not found"
NOTE_NOT_FOUND = "Note not found"


async def owned_analysis(session: AsyncSession, actor: Actor, analysis_id: uuid.UUID) -> FailureAnalysis:
    """The actor's analysis row; another actor's is NOT_FOUND like an unknown id."""
    # Another actor's analysis gets the same answer as an unknown id, so ids cannot be probed (OWASP API1).
    row = (
        await session.execute(
            select(FailureAnalysis).where(col(FailureAnalysis.id) == analysis_id, actor.owner_filter(FailureAnalysis))
        )
    ).scalar_one_or_none()
    if row is None:
        raise NotFoundError(ANALYSIS_NOT_FOUND)
    return row


async def _notes_by_analysis(
    session: AsyncSession, analysis_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[AnalysisNote]]:
    grouped: dict[uuid.UUID, list[AnalysisNote]] = defaultdict(list)
    if not analysis_ids:
        return grouped
    rows = await session.execute(
        select(AnalysisNote)
        .where(col(AnalysisNote.analysis_id).in_(analysis_ids))
        .order_by(col(AnalysisNote.created_at), col(AnalysisNote.id))
    )
    for note in rows.scalars():
        grouped[note.analysis_id].append(note)
    return grouped


async def list_analyses(
    session: AsyncSession,
    *,
    actor: Actor,
    limit: int = 20,
    offset: int = 0,
    category: str | None = None,
    status: AnalysisStatus | None = None,
    cooking_session_id: uuid.UUID | None = None,
) -> AnalysisPage:
    """List only the actor's own analyses, newest first, in bounded pages."""
    check_page(limit, offset)
    conditions = [actor.owner_filter(FailureAnalysis)]
    if category is not None:
        conditions.append(col(FailureAnalysis.category) == category)
    if status is not None:
        conditions.append(col(FailureAnalysis.status) == status)
    if cooking_session_id is not None:
        conditions.append(col(FailureAnalysis.cooking_session_id) == cooking_session_id)
    total = (await session.execute(select(func.count()).select_from(FailureAnalysis).where(*conditions))).scalar_one()
    rows = list(
        (
            await session.execute(
                select(FailureAnalysis)
                .where(*conditions)
                .order_by(col(FailureAnalysis.created_at).desc(), col(FailureAnalysis.id))
                .limit(limit)
                .offset(offset)
            )
        ).scalars()
    )
    notes = await _notes_by_analysis(session, [row.id for row in rows])
    return AnalysisPage(
        items=[analysis_to_read(row, notes.get(row.id, ())) for row in rows],
        total=int(total),
        limit=limit,
        offset=offset,
    )


async def get_analysis(session: AsyncSession, *, actor: Actor, analysis_id: uuid.UUID) -> AnalysisRead:
    """Return one analysis with its notes; another actor's analysis is NOT_FOUND like an unknown id."""
    row = await owned_analysis(session, actor, analysis_id)
    notes = await _notes_by_analysis(session, [row.id])
    return analysis_to_read(row, notes.get(row.id, ()))


def _text(value: str) -> str:
    try:
        return check_note_text(value)
    except ValueError as exc:
        raise ValidationError(str(exc).capitalize()) from None


async def add_note(
    session: AsyncSession,
    *,
    actor: Actor,
    analysis_id: uuid.UUID,
    text: str,
    clock: Clock,
    request_id: str | None = None,
) -> NoteRead:
    """Attach a note to the actor's own analysis (bounded text, bounded count); the diagnosis is untouched."""
    clean = _text(text)
    analysis = await owned_analysis(session, actor, analysis_id)
    count = (
        await session.execute(
            select(func.count()).select_from(AnalysisNote).where(col(AnalysisNote.analysis_id) == analysis.id)
        )
    ).scalar_one()
    if count >= MAX_NOTES_PER_ANALYSIS:
        raise ConflictError(f"An analysis holds at most {MAX_NOTES_PER_ANALYSIS} notes: edit or delete one")
    now = clock.now()
    note = AnalysisNote(analysis_id=analysis.id, text=clean, created_at=now, updated_at=now)
    session.add(note)
    record_audit(
        session,
        entity="analysis_note",
        action="created",
        entity_id=note.id,
        actor=actor,
        request_id=request_id,
        details={"analysisId": str(analysis.id), "length": len(clean)},
    )
    await session.commit()
    return NoteRead.model_validate(note)


async def _owned_note(session: AsyncSession, actor: Actor, analysis_id: uuid.UUID, note_id: uuid.UUID) -> AnalysisNote:
    row = (
        await session.execute(
            select(AnalysisNote)
            .join(FailureAnalysis, col(FailureAnalysis.id) == col(AnalysisNote.analysis_id))
            .where(
                col(AnalysisNote.id) == note_id,
                col(AnalysisNote.analysis_id) == analysis_id,
                actor.owner_filter(FailureAnalysis),
            )
        )
    ).scalar_one_or_none()
    if row is None:
        # Same answer whether the analysis or the note is unknown or someone else's.
        raise NotFoundError(NOTE_NOT_FOUND)
    return row


async def update_note(
    session: AsyncSession,
    *,
    actor: Actor,
    analysis_id: uuid.UUID,
    note_id: uuid.UUID,
    text: str,
    clock: Clock,
    request_id: str | None = None,
) -> NoteRead:
    """Replace the text of one of the actor's notes; only `text` and `updated_at` change."""
    clean = _text(text)
    note = await _owned_note(session, actor, analysis_id, note_id)
    now = clock.now()
    note.text = clean
    note.updated_at = now
    record_audit(
        session,
        entity="analysis_note",
        action="updated",
        entity_id=note.id,
        actor=actor,
        request_id=request_id,
        details={"analysisId": str(analysis_id), "length": len(clean)},
    )
    await session.commit()
    return NoteRead.model_validate(note)


async def delete_note(
    session: AsyncSession,
    *,
    actor: Actor,
    analysis_id: uuid.UUID,
    note_id: uuid.UUID,
    request_id: str | None = None,
) -> None:
    """Delete one of the actor's notes; deleting twice is NOT_FOUND the second time."""
    note = await _owned_note(session, actor, analysis_id, note_id)
    await session.delete(note)
    record_audit(
        session,
        entity="analysis_note",
        action="deleted",
        entity_id=note.id,
        actor=actor,
        request_id=request_id,
        details={"analysisId": str(analysis_id)},
    )
    await session.commit()


async def count_analyses_by_category(session: AsyncSession, *, actor: Actor) -> dict[str, int]:
    """How many of the actor's own completed diagnoses fall in each category (most common first)."""
    rows = await session.execute(
        select(col(FailureAnalysis.category), func.count())
        .where(actor.owner_filter(FailureAnalysis), col(FailureAnalysis.category).is_not(None))
        .group_by(col(FailureAnalysis.category))
        .order_by(func.count().desc(), col(FailureAnalysis.category))
    )
    return {str(category): int(count) for category, count in rows.all()}


async def count_analyses(session: AsyncSession, *, actor: Actor) -> int:
    """How many analyses the actor owns."""
    total = await session.scalar(
        select(func.count()).select_from(FailureAnalysis).where(actor.owner_filter(FailureAnalysis))
    )
    return int(total or 0)
