"""Media preprocessing: thumbnail, analysis variant and keyframes, recorded once, idempotent, sweep backfill."""

from __future__ import annotations

import io
import uuid

from PIL import Image
from sqlalchemy import select

from chefmentor.failure.models import FailureAnalysis
from chefmentor.jobs.media import THUMBNAIL_SIDE, preprocess_media, preprocess_pending_media
from tests.media.builders import jpeg, mp4


async def _analysis(ctx, data: bytes, kind: str, ext: str) -> uuid.UUID:
    stored = await ctx.media_store.save(data, kind, ext)
    async with ctx.session() as session:
        row = FailureAnalysis(media_url=stored.url, media_kind=kind, media_meta={"kind": kind})
        session.add(row)
        await session.commit()
    return row.id


async def _meta(ctx, analysis_id: uuid.UUID) -> dict:
    async with ctx.session() as session:
        return dict(await session.scalar(select(FailureAnalysis.media_meta).where(FailureAnalysis.id == analysis_id)))


def _size(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


async def test_image_gets_thumbnail_and_analysis_variant(app_ctx, settings) -> None:
    analysis_id = await _analysis(app_ctx, jpeg(1600, 1200), "image", "jpg")
    result = await preprocess_media(app_ctx, analysis_id=str(analysis_id))
    assert result["status"] == "done" and result["files"] == 2
    meta = await _meta(app_ctx, analysis_id)
    assert meta["kind"] == "image", "existing metadata is kept"
    variants = meta["variants"]
    thumb = await app_ctx.media_store.load(variants["thumbnail"])
    analysis = await app_ctx.media_store.load(variants["analysis"])
    assert max(_size(thumb)) == THUMBNAIL_SIDE
    assert max(_size(analysis)) == settings.media.analysis_max_side
    assert variants["keyframes"] == []
    files_before = sorted(p.name for p in settings.media_dir.iterdir())
    again = await preprocess_media(app_ctx, analysis_id=analysis_id)
    assert again["status"] == "already-done"
    assert sorted(p.name for p in settings.media_dir.iterdir()) == files_before


async def test_video_keyframes_become_images(app_ctx, settings) -> None:
    analysis_id = await _analysis(app_ctx, mp4(frames=40, size=(160, 120)), "video", "mp4")
    result = await preprocess_media(app_ctx, analysis_id=analysis_id)
    assert result["status"] == "done" and result["kind"] == "video"
    variants = (await _meta(app_ctx, analysis_id))["variants"]
    assert 1 <= len(variants["keyframes"]) <= settings.media.max_keyframes
    for url in variants["keyframes"]:
        assert (await app_ctx.media_store.load(url))[:3] == b"\xff\xd8\xff"


async def test_missing_media_is_recorded_once_and_sweep_backfills(app_ctx) -> None:
    good = await _analysis(app_ctx, jpeg(300, 200), "image", "jpg")
    gone = await _analysis(app_ctx, jpeg(300, 200), "image", "jpg")
    async with app_ctx.session() as session:
        url = await session.scalar(select(FailureAnalysis.media_url).where(FailureAnalysis.id == gone))
    await app_ctx.media_store.delete(url)
    report = await preprocess_pending_media(app_ctx)
    assert report["outcomes"] == {"done": 1, "unprocessable": 1}
    assert "variants" in await _meta(app_ctx, good)
    assert "variantsError" in await _meta(app_ctx, gone)
    assert (await preprocess_pending_media(app_ctx))["candidates"] == 0
    assert (await preprocess_media(app_ctx, analysis_id=uuid.uuid4()))["status"] == "missing"
