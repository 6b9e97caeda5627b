"""Analyses listing/reading and notes CRUD: ownership, bounds, audit, and an immutable AI part."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from chefmentor.actor import Actor
from chefmentor.audit.models import AuditLog
from chefmentor.clock import FrozenClock
from chefmentor.context import AppContext
from chefmentor.errors import ConflictError, NotFoundError, ValidationError
from chefmentor.failure.models import AnalysisNote, AnalysisStatus, FailureAnalysis
from chefmentor.failure.queries import add_note, delete_note, get_analysis, list_analyses, update_note
from chefmentor.failure.schemas import MAX_NOTES_PER_ANALYSIS, NOTE_MAX_CHARS
from tests.services.owners import clock, cook_ctx, db_settings, make_analysis, make_demo, make_user

__all__ = ["clock", "cook_ctx", "db_settings"]

AI_COLUMNS = (
    "category",
    "confidence",
    "root_cause",
    "explanation",
    "diagnosis",
    "provider",
    "model",
    "attempts",
    "media_url",
)


async def _ai_part(ctx: AppContext, analysis_id: uuid.UUID) -> tuple[object, ...]:
    async with ctx.session() as session:
        row = await session.get(FailureAnalysis, analysis_id)
        assert row is not None
        return tuple(getattr(row, name) for name in AI_COLUMNS)


async def test_list_and_get_are_scoped_to_the_actor(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, bob = await make_user(cook_ctx, "Ada"), await make_user(cook_ctx, "Bob")
    demo = await make_demo(cook_ctx)
    ids = []
    for n in range(3):
        clock.advance(minutes=1)
        ids.append(
            await make_analysis(cook_ctx, ada, created_at=clock.now(), category=["overmixed", "heat_too_high"][n % 2])
        )
    await make_analysis(cook_ctx, bob)
    demo_id = await make_analysis(cook_ctx, demo, status=AnalysisStatus.PENDING, category=None)
    async with cook_ctx.session() as session:
        page = await list_analyses(session, actor=ada, limit=2)
        assert page.total == 3 and [a.id for a in page.items] == [ids[2], ids[1]]
        assert [a.id for a in (await list_analyses(session, actor=ada, limit=2, offset=2)).items] == [ids[0]]
        overmixed = await list_analyses(session, actor=ada, category="overmixed")
        assert {a.id for a in overmixed.items} == {ids[0], ids[2]}
        pending = await list_analyses(session, actor=demo, status=AnalysisStatus.PENDING)
        assert [a.id for a in pending.items] == [demo_id]
        one = await get_analysis(session, actor=ada, analysis_id=ids[0])
        assert (one.root_cause, one.suspected_step, one.fix_now) == ("The pan was too hot", 2, "Scrape and lower heat")
        assert one.evidence == ["charred edges"] and one.attempts[0].latency_ms == 2.5
        body = one.to_json_dict()
        assert {"rootCause", "suspectedStep", "fixNow", "nextTime", "mediaUrl", "createdAt", "notes", "status"} <= set(
            body
        )
        for intruder in (bob, demo, Actor.local()):
            with pytest.raises(NotFoundError) as caught:
                await get_analysis(session, actor=intruder, analysis_id=ids[0])
            assert caught.value.message == "Analysis not found"
        with pytest.raises(NotFoundError):
            await get_analysis(session, actor=ada, analysis_id=uuid.uuid4())
        for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}):
            with pytest.raises(ValidationError):
                await list_analyses(session, actor=ada, **bad)  # type: ignore[arg-type]


async def test_notes_crud_keeps_the_diagnosis_immutable(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    analysis_id = await make_analysis(cook_ctx, ada)
    before = await _ai_part(cook_ctx, analysis_id)
    async with cook_ctx.session() as session:
        note = await add_note(session, actor=ada, analysis_id=analysis_id, text="  Used the small pan  ", clock=clock)
        assert note.text == "Used the small pan" and note.created_at == note.updated_at == clock.now()
        clock.advance(minutes=3)
        edited = await update_note(
            session, actor=ada, analysis_id=analysis_id, note_id=note.id, text="Used the big pan", clock=clock
        )
        assert (
            edited.text == "Used the big pan"
            and edited.updated_at == clock.now()
            and edited.created_at == note.created_at
        )
        second = await add_note(session, actor=ada, analysis_id=analysis_id, text="Next time: preheat", clock=clock)
        read = await get_analysis(session, actor=ada, analysis_id=analysis_id)
        assert [n.text for n in read.notes] == ["Used the big pan", "Next time: preheat"]
        await delete_note(session, actor=ada, analysis_id=analysis_id, note_id=second.id)
        with pytest.raises(NotFoundError):
            await delete_note(session, actor=ada, analysis_id=analysis_id, note_id=second.id)
    assert await _ai_part(cook_ctx, analysis_id) == before
    async with cook_ctx.session() as session:
        texts = list(await session.scalars(select(AnalysisNote.text)))
        actions = list(
            await session.scalars(
                select(AuditLog.action).where(AuditLog.entity == "analysis_note").order_by(AuditLog.created_at)
            )
        )
    assert texts == ["Used the big pan"]
    assert sorted(actions) == ["created", "created", "deleted", "updated"]


async def test_notes_on_someone_elses_analysis_are_not_found(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, bob = await make_user(cook_ctx, "Ada"), await make_user(cook_ctx, "Bob")
    analysis_id = await make_analysis(cook_ctx, ada)
    bobs = await make_analysis(cook_ctx, bob)
    async with cook_ctx.session() as session:
        note = await add_note(session, actor=ada, analysis_id=analysis_id, text="mine", clock=clock)
        with pytest.raises(NotFoundError):
            await add_note(session, actor=bob, analysis_id=analysis_id, text="hijack", clock=clock)
        with pytest.raises(NotFoundError):
            await update_note(session, actor=bob, analysis_id=analysis_id, note_id=note.id, text="x", clock=clock)
        with pytest.raises(NotFoundError):
            await delete_note(session, actor=bob, analysis_id=analysis_id, note_id=note.id)
        # Bob's own analysis id with Ada's note id: the note is not under that analysis.
        with pytest.raises(NotFoundError):
            await update_note(session, actor=bob, analysis_id=bobs, note_id=note.id, text="x", clock=clock)
    async with cook_ctx.session() as session:
        assert list(await session.scalars(select(AnalysisNote.text))) == ["mine"]


@pytest.mark.parametrize("text", ["", "   ", "a\x00b", "bell\x07", "x" * (NOTE_MAX_CHARS + 1)])
async def test_bad_note_text_is_rejected(cook_ctx: AppContext, clock: FrozenClock, text: str) -> None:
    ada = await make_user(cook_ctx)
    analysis_id = await make_analysis(cook_ctx, ada)
    async with cook_ctx.session() as session:
        with pytest.raises(ValidationError):
            await add_note(session, actor=ada, analysis_id=analysis_id, text=text, clock=clock)
        assert list(await session.scalars(select(AnalysisNote))) == []


async def test_note_count_is_bounded(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    analysis_id = await make_analysis(cook_ctx, ada)
    async with cook_ctx.session() as session:
        session.add_all(AnalysisNote(analysis_id=analysis_id, text=f"n{n}") for n in range(MAX_NOTES_PER_ANALYSIS))
        await session.commit()
        with pytest.raises(ConflictError):
            await add_note(session, actor=ada, analysis_id=analysis_id, text="one more", clock=clock)
