"""One upload from bytes/stream to a stored copy plus analysis images (the failure service's media step)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable
from dataclasses import dataclass, field
from typing import Any

from chefmentor.ai.types import MediaImage
from chefmentor.config import MediaSettings
from chefmentor.media.store import MediaStore, StoredMedia
from chefmentor.media.validation import MediaType, detect_media_type, read_upload


@dataclass(frozen=True, slots=True)
class PreparedMedia:
    """What the diagnoser sees plus what we keep (before storing)."""

    media_type: MediaType
    stored_bytes: bytes
    stored_ext: str
    images: tuple[MediaImage, ...]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IngestedMedia:
    stored: StoredMedia
    images: tuple[MediaImage, ...]
    meta: dict[str, Any]


def prepare_media(data: bytes, media_type: MediaType, media: MediaSettings) -> PreparedMedia:
    """Decode and validate fully (CPU-bound: call it in a worker thread)."""
    if media_type.kind == "image":
        from chefmentor.media.images import make_stored_copy, prepare_analysis_image

        analysis = prepare_analysis_image(data, max_pixels=media.max_pixels, max_side=media.analysis_max_side)
        stored = make_stored_copy(data, max_pixels=media.max_pixels)
        meta: dict[str, Any] = {"width": stored.width, "height": stored.height, "frames": 1}
        return PreparedMedia(media_type, stored.data, stored.ext, (analysis,), meta)
    from chefmentor.media.video import extract_keyframes, strip_video_metadata

    video = extract_keyframes(
        data,
        max_keyframes=media.max_keyframes,
        max_side=media.analysis_max_side,
        max_pixels=media.max_pixels,
    )
    video_meta: dict[str, Any] = {
        "width": video.width,
        "height": video.height,
        "frames": len(video.frames),
        "durationSeconds": round(video.duration_seconds, 3) if video.duration_seconds else None,
        "codec": video.codec,
    }
    return PreparedMedia(media_type, strip_video_metadata(data), "mp4", video.frames, video_meta)


def analysis_images(data: bytes, media_type: MediaType, media: MediaSettings) -> tuple[MediaImage, ...]:
    """Only what the diagnoser sees (no stored copy): a photo's analysis image or a video's keyframes."""
    if media_type.kind == "image":
        from chefmentor.media.images import prepare_analysis_image

        return (prepare_analysis_image(data, max_pixels=media.max_pixels, max_side=media.analysis_max_side),)
    from chefmentor.media.video import extract_keyframes

    video = extract_keyframes(
        data, max_keyframes=media.max_keyframes, max_side=media.analysis_max_side, max_pixels=media.max_pixels
    )
    return video.frames


async def ingest_upload(
    source: bytes | AsyncIterable[bytes], *, media: MediaSettings, store: MediaStore
) -> IngestedMedia:
    """Size-limited read, magic-byte check, full decode, metadata strip, then store (the URL is all we keep)."""
    data, media_type = await read_upload(source, max_bytes=media.max_bytes)
    prepared = await asyncio.to_thread(prepare_media, data, media_type, media)
    stored = await store.save(prepared.stored_bytes, media_type.kind, prepared.stored_ext)
    meta: dict[str, Any] = {
        **prepared.meta,
        "kind": media_type.kind,
        "mimeType": media_type.mime,
        "uploadBytes": len(data),
        "storedBytes": stored.size,
        "store": stored.store,
    }
    return IngestedMedia(stored=stored, images=prepared.images, meta=meta)


async def analysis_images_from_store(url: str, *, media: MediaSettings, store: MediaStore) -> tuple[MediaImage, ...]:
    """Rebuild the analysis images from a stored copy (used when a pending analysis is retried)."""
    data = await store.load(url)
    media_type = detect_media_type(data[:64])
    return await asyncio.to_thread(analysis_images, data, media_type, media)
