"""Media preprocessing after an upload, off the request path: a thumbnail for history lists, the
analysis-size variant (so a retried diagnosis need not decode the original again) and, for videos, the
keyframes as images. Results are recorded in failure_analyses.media_meta["variants"].

Idempotent: an analysis that already has variants is skipped; when two runners race, the loser deletes
the files it just stored. The sweep job picks up any upload whose enqueue was lost.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import col

from chefmentor.ai.types import MediaImage
from chefmentor.config import MediaSettings
from chefmentor.errors import InvalidMediaError, NotFoundError, UnsupportedMediaError
from chefmentor.failure.models import FailureAnalysis

if TYPE_CHECKING:
    from chefmentor.context import AppContext

THUMBNAIL_SIDE = 320
SWEEP_WINDOW_DAYS = 7
SWEEP_LIMIT = 200
VARIANTS_KEY = "variants"
ERROR_KEY = "variantsError"


@dataclass(frozen=True, slots=True)
class Variants:
    thumbnail: MediaImage
    analysis: MediaImage
    keyframes: tuple[MediaImage, ...]
    kind: str


def build_variants(data: bytes, media: MediaSettings) -> Variants:
    """Decode once and derive every variant (CPU-bound: runs in a worker thread)."""
    from chefmentor.media.images import analysis_image_from, open_image
    from chefmentor.media.validation import detect_media_type

    media_type = detect_media_type(data[:64])
    if media_type.kind == "image":
        analysis = analysis_image_from(open_image(data, max_pixels=media.max_pixels), max_side=media.analysis_max_side)
        keyframes: tuple[MediaImage, ...] = ()
    else:
        from chefmentor.media.video import extract_keyframes

        video = extract_keyframes(
            data, max_keyframes=media.max_keyframes, max_side=media.analysis_max_side, max_pixels=media.max_pixels
        )
        analysis, keyframes = video.frames[0], video.frames
    # The thumbnail comes from the already small analysis image: a fraction of the decoding work.
    thumbnail = analysis_image_from(open_image(analysis.data, max_pixels=media.max_pixels), max_side=THUMBNAIL_SIDE)
    return Variants(thumbnail=thumbnail, analysis=analysis, keyframes=keyframes, kind=media_type.kind)


def _has_variants(meta: Any) -> bool:
    return isinstance(meta, dict) and isinstance(meta.get(VARIANTS_KEY), dict)


async def _record(ctx: AppContext, analysis_id: uuid.UUID, update: dict[str, Any]) -> bool:
    """Merge `update` into media_meta unless variants are already there; False when another run won."""
    postgres = ctx.engine.dialect.name == "postgresql"
    async with ctx.session() as session, session.begin():
        query = select(FailureAnalysis).where(col(FailureAnalysis.id) == analysis_id)
        if postgres:
            query = query.with_for_update()
        row = (await session.execute(query)).scalar_one_or_none()
        if row is None or _has_variants(row.media_meta):
            return False
        row.media_meta = {**(row.media_meta or {}), **update}
    return True


async def preprocess_media(ctx: AppContext, *, analysis_id: str | uuid.UUID) -> dict[str, Any]:
    """Thumbnail + analysis variant (+ keyframes for video) for one analysis' stored upload."""
    key = analysis_id if isinstance(analysis_id, uuid.UUID) else uuid.UUID(str(analysis_id))
    async with ctx.session() as session:
        row = (
            await session.execute(
                select(col(FailureAnalysis.media_url), col(FailureAnalysis.media_meta)).where(
                    col(FailureAnalysis.id) == key
                )
            )
        ).one_or_none()
    if row is None:
        return {"analysisId": str(key), "status": "missing"}
    if _has_variants(row.media_meta):
        return {"analysisId": str(key), "status": "already-done"}
    store = ctx.media_store
    try:
        data = await store.load(row.media_url)
        variants = await asyncio.to_thread(build_variants, data, ctx.settings.media)
    except (NotFoundError, InvalidMediaError, UnsupportedMediaError) as exc:
        # Permanent: retrying cannot help, so remember why and let the sweep skip it.
        await _record(ctx, key, {ERROR_KEY: exc.message})
        return {"analysisId": str(key), "status": "unprocessable", "reason": exc.message}
    saved: list[str] = []
    try:
        thumb = await store.save(variants.thumbnail.data, "image", "jpg")
        saved.append(thumb.url)
        analysis = await store.save(variants.analysis.data, "image", "jpg")
        saved.append(analysis.url)
        frames = []
        for frame in variants.keyframes:
            stored = await store.save(frame.data, "image", "jpg")
            saved.append(stored.url)
            frames.append(stored.url)
        update = {
            VARIANTS_KEY: {
                "thumbnail": thumb.url,
                "thumbnailSize": [variants.thumbnail.width, variants.thumbnail.height],
                "analysis": analysis.url,
                "analysisSize": [variants.analysis.width, variants.analysis.height],
                "keyframes": frames,
            },
            "preprocessedAt": ctx.clock.now().isoformat(),
        }
        won = await _record(ctx, key, update)
    except BaseException:
        await _delete_quietly(ctx, saved)
        raise
    if not won:
        await _delete_quietly(ctx, saved)
        return {"analysisId": str(key), "status": "already-done"}
    return {"analysisId": str(key), "status": "done", "kind": variants.kind, "files": len(saved)}


async def _delete_quietly(ctx: AppContext, urls: list[str]) -> None:
    for url in urls:
        try:
            await ctx.media_store.delete(url)
        except Exception:  # noqa: S112 - cleanup of our own fresh files is best effort
            continue


async def preprocess_pending_media(ctx: AppContext, *, window_days: int = SWEEP_WINDOW_DAYS) -> dict[str, Any]:
    """Preprocess recent analyses that have neither variants nor a recorded permanent error."""
    since = ctx.clock.now() - timedelta(days=window_days)
    async with ctx.session() as session:
        rows = (
            await session.execute(
                select(col(FailureAnalysis.id), col(FailureAnalysis.media_meta))
                .where(col(FailureAnalysis.created_at) >= since)
                .order_by(col(FailureAnalysis.created_at).desc())
                .limit(SWEEP_LIMIT * 5)
            )
        ).all()
    pending = [
        row.id
        for row in rows
        if not _has_variants(row.media_meta) and not (isinstance(row.media_meta, dict) and ERROR_KEY in row.media_meta)
    ][:SWEEP_LIMIT]
    outcomes: dict[str, int] = {}
    for analysis_id in pending:
        result = await preprocess_media(ctx, analysis_id=analysis_id)
        outcomes[result["status"]] = outcomes.get(result["status"], 0) + 1
    return {"candidates": len(pending), "outcomes": outcomes}
