"""analyze_failure / retry_analysis: media intake, telemetry, the chain, pending analyses, ownership."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from chefmentor.actor import Actor
from chefmentor.ai.types import Diagnosis, DiagnosisRequest
from chefmentor.audit.models import AuditLog
from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.errors import (
    ConflictError,
    InvalidMediaError,
    NotFoundError,
    PayloadTooLargeError,
    ProviderUnavailableError,
    UnsupportedMediaError,
    ValidationError,
)
from chefmentor.failure.models import AnalysisStatus, FailureAnalysis
from chefmentor.failure.service import analyze_failure, retry_analysis
from chefmentor.media.store import LocalMediaStore
from tests.media.builders import jpeg, jpeg_with_gps_and_orientation, mp4, windows_exe
from tests.services.analysis_helpers import ScriptedDiagnoser, chain, cooked_rice
from tests.services.owners import clock, db_settings, make_demo, make_user  # noqa: F401


@pytest.fixture
async def ctx(db_settings: Settings, clock: FrozenClock) -> AsyncIterator[AppContext]:  # noqa: F811
    async with open_context(db_settings, clock=clock) as opened:
        yield opened


async def _analyze(ctx: AppContext, actor: Actor, diagnoser: object, upload: object, **kw: object):  # type: ignore[no-untyped-def]
    async with ctx.session() as session:
        return await analyze_failure(
            session,
            actor=actor,
            media_store=ctx.media_store,
            diagnoser=diagnoser,  # type: ignore[arg-type]
            media=ctx.settings.media,
            upload=upload,  # type: ignore[arg-type]
            clock=ctx.clock,
            cache=ctx.cache,
            request_id="req-1",
            **kw,  # type: ignore[arg-type]
        )


async def _retry(ctx: AppContext, actor: Actor, diagnoser: object, analysis_id: uuid.UUID):  # type: ignore[no-untyped-def]
    async with ctx.session() as session:
        return await retry_analysis(
            session,
            actor=actor,
            analysis_id=analysis_id,
            media_store=ctx.media_store,
            diagnoser=diagnoser,  # type: ignore[arg-type]
            media=ctx.settings.media,
            clock=ctx.clock,
            cache=ctx.cache,
        )


async def _rows(ctx: AppContext) -> list[FailureAnalysis]:
    async with ctx.session() as session:
        return list((await session.execute(select(FailureAnalysis))).scalars())


def _media_files(ctx: AppContext) -> list[Path]:
    root = ctx.settings.media_dir
    return sorted(p for p in root.iterdir() if not p.name.startswith(".")) if root.exists() else []


async def test_photo_is_stored_without_exif_and_diagnosed(ctx: AppContext) -> None:
    actor = await make_user(ctx)
    local = ScriptedDiagnoser()
    photo = jpeg_with_gps_and_orientation()
    result = await _analyze(ctx, actor, chain(local), photo, filename="../../dish.exe", dish="Rice")

    assert result.status == "completed"
    assert (result.category, result.provider, result.model) == ("cooked_too_short", "local", "local-double")
    assert result.suspected_step == 2 and result.fix_now and result.next_time
    assert [(a.provider, a.ok) for a in result.attempts] == [("local", True)]
    assert result.media_url.startswith("/media/") and result.media_kind == "image"
    [stored] = _media_files(ctx)
    assert result.media_url == f"/media/{stored.name}"
    assert "dish" not in stored.name and stored.suffix == ".jpg"
    assert not Image.open(io.BytesIO(stored.read_bytes())).getexif()
    [image] = local.requests[0].images
    assert max(image.width, image.height) <= ctx.settings.media.analysis_max_side

    [row] = await _rows(ctx)
    assert row.user_id == actor.user_id and row.status == AnalysisStatus.COMPLETED
    assert row.diagnosis["promptVersion"] and row.media_meta["uploadName"] == "dish.exe"
    async with ctx.session() as session:
        audit = (await session.execute(select(AuditLog).where(AuditLog.entity_id == row.id))).scalar_one()
    assert (audit.entity, audit.action, audit.request_id) == ("failure_analysis", "created", "req-1")


async def test_session_telemetry_reaches_the_diagnoser(ctx: AppContext) -> None:
    actor = await make_user(ctx)
    cook_id = await cooked_rice(ctx, actor)
    local = ScriptedDiagnoser()
    result = await _analyze(ctx, actor, chain(local), jpeg(), cooking_session_id=cook_id, notes="grains were hard")
    assert result.cooking_session_id == cook_id
    request = local.requests[0]
    assert request.notes == "grains were hard"
    assert request.recipe_name and request.recipe_name.startswith("Rice")
    step2 = next(s for s in request.steps if s.step_number == 2)
    assert (step2.expected_minutes, step2.actual_minutes) == (2.0, 6.0)


async def test_another_actors_session_is_not_found_and_nothing_is_stored(ctx: AppContext) -> None:
    owner, intruder = await make_user(ctx, "Owner"), await make_demo(ctx)
    cook_id = await cooked_rice(ctx, owner)
    with pytest.raises(NotFoundError):
        await _analyze(ctx, intruder, chain(ScriptedDiagnoser()), jpeg(), cooking_session_id=cook_id)
    assert await _rows(ctx) == [] and _media_files(ctx) == []


async def test_every_provider_failing_keeps_a_pending_analysis_then_retry_completes(ctx: AppContext) -> None:
    actor = await make_demo(ctx)
    dead = chain(ScriptedDiagnoser("gemini", fail=True), ScriptedDiagnoser("local", fail=True))
    pending = await _analyze(ctx, actor, dead, jpeg(), dish="omelette")
    assert pending.status == "pending" and pending.category is None
    assert [(a.provider, a.error) for a in pending.attempts] == [("gemini", "server_error"), ("local", "server_error")]
    assert len(_media_files(ctx)) == 1  # the upload is kept

    local = ScriptedDiagnoser()
    done = await _retry(ctx, actor, chain(local), pending.id)
    assert done.status == "completed" and done.category == "cooked_too_short"
    assert [a.ok for a in done.attempts] == [False, False, True]
    assert local.requests[0].dish == "omelette" and len(local.requests[0].images) == 1
    with pytest.raises(ConflictError):
        await _retry(ctx, actor, chain(ScriptedDiagnoser()), pending.id)


async def test_without_the_local_engine_the_answer_is_unavailable_but_the_upload_is_kept(ctx: AppContext) -> None:
    actor = await make_user(ctx)
    with pytest.raises(ProviderUnavailableError, match="retry") as caught:
        await _analyze(ctx, actor, chain(ScriptedDiagnoser("groq", fail=True)), jpeg())
    assert caught.value.code == "PROVIDER_UNAVAILABLE"
    [row] = await _rows(ctx)
    assert row.status == AnalysisStatus.PENDING and str(row.id) in caught.value.message
    assert row.attempts[0]["provider"] == "groq"


async def test_retry_of_another_actors_analysis_is_not_found(ctx: AppContext) -> None:
    owner, other = await make_user(ctx, "A"), await make_user(ctx, "B")
    pending = await _analyze(ctx, owner, chain(ScriptedDiagnoser(fail=True)), jpeg())
    with pytest.raises(NotFoundError):
        await _retry(ctx, other, chain(ScriptedDiagnoser()), pending.id)


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (windows_exe(), UnsupportedMediaError),
        (jpeg(300, 200)[:400], InvalidMediaError),
    ],
)
async def test_bad_uploads_store_nothing(ctx: AppContext, upload: bytes, error: type[Exception]) -> None:
    actor = await make_user(ctx)
    with pytest.raises(error):
        await _analyze(ctx, actor, chain(ScriptedDiagnoser()), upload)
    assert await _rows(ctx) == [] and _media_files(ctx) == []


async def test_a_large_stream_is_refused(ctx: AppContext) -> None:
    actor = await make_user(ctx)
    pulled: list[int] = []

    async def stream() -> AsyncIterator[bytes]:
        yield jpeg()
        for _ in range(25 * 16):
            pulled.append(1)
            yield b"\x00" * (64 * 1024)

    with pytest.raises(PayloadTooLargeError):
        await _analyze(ctx, actor, chain(ScriptedDiagnoser()), stream())
    assert len(pulled) < 25 * 16


async def test_text_fields_are_validated(ctx: AppContext) -> None:
    actor = await make_user(ctx)
    with pytest.raises(ValidationError, match="dish"):
        await _analyze(ctx, actor, chain(ScriptedDiagnoser()), jpeg(), dish="x" * 151)
    with pytest.raises(ValidationError, match="control"):
        await _analyze(ctx, actor, chain(ScriptedDiagnoser()), jpeg(), notes="bad\x00note")


async def test_video_keyframes_are_analysed(ctx: AppContext) -> None:
    actor = await make_user(ctx)
    local = ScriptedDiagnoser()
    result = await _analyze(ctx, actor, chain(local), mp4())
    assert result.media_kind == "video" and result.media_url.endswith(".mp4")
    assert 1 <= len(local.requests[0].images) <= ctx.settings.media.max_keyframes


def test_default_store_is_local(ctx: AppContext) -> None:
    assert isinstance(ctx.media_store, LocalMediaStore)


class BrokenStore(LocalMediaStore):
    async def save(self, data: bytes, kind: str, ext: str):  # type: ignore[no-untyped-def, override]
        from chefmentor.media.store import MediaStoreUnavailableError

        raise MediaStoreUnavailableError("disk full")


async def test_a_storage_outage_writes_nothing(ctx: AppContext) -> None:
    from chefmentor.errors import ServiceUnavailableError

    actor = await make_user(ctx)
    ctx.media_store = BrokenStore(ctx.settings.media_dir)
    with pytest.raises(ServiceUnavailableError, match="disk full"):
        await _analyze(ctx, actor, chain(ScriptedDiagnoser()), jpeg())
    assert await _rows(ctx) == []


async def test_a_crashing_diagnoser_leaves_no_orphan_file(ctx: AppContext) -> None:
    class Crashing(ScriptedDiagnoser):
        async def diagnose(self, request: DiagnosisRequest) -> Diagnosis:
            await asyncio.sleep(0.2)  # the kept copy is saved meanwhile
            raise RuntimeError("bug")

    actor = await make_user(ctx)
    with pytest.raises(RuntimeError):
        await _analyze(ctx, actor, Crashing(), jpeg())
    assert await _rows(ctx) == [] and _media_files(ctx) == []
