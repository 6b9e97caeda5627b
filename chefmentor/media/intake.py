"""From validated upload bytes to what the diagnoser sees and the copy we keep (the failure service's media step)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from chefmentor.ai.types import MediaImage
from chefmentor.config import MediaSettings
from chefmentor.media.store import MediaStore, StoredMedia
from chefmentor.media.validation import MediaType, detect_media_type


@dataclass(frozen=True, slots=True)
class PreparedMedia:
    """What the diagnoser sees plus what we keep (before storing)."""

    media_type: MediaType
    stored_bytes: bytes
    stored_ext: str
    images: tuple[MediaImage, ...]
    meta: dict[str, Any] = field(default_factory=dict)


def prepare_media(data: bytes, media_type: MediaType, media: MediaSettings) -> PreparedMedia:
    """Analysis images and the kept copy in one call (CPU-bound: worker thread)."""
    images, meta = analysis_view(data, media_type, media)
    copy = kept_copy(data, media_type, media)
    return PreparedMedia(media_type, copy.data, copy.ext, images, {**meta, **copy.meta})


def analysis_view(
    data: bytes, media_type: MediaType, media: MediaSettings
) -> tuple[tuple[MediaImage, ...], dict[str, Any]]:
    """What the diagnoser sees (a photo's analysis image or a video's keyframes) and facts about the media.

    Decoding here is complete enough to reject truncated or corrupt files (CPU-bound: worker thread).
    """
    if media_type.kind == "image":
        from chefmentor.media.images import prepare_analysis_image

        image = prepare_analysis_image(data, max_pixels=media.max_pixels, max_side=media.analysis_max_side)
        return (image,), {"frames": 1}
    from chefmentor.media.video import extract_keyframes

    video = extract_keyframes(
        data, max_keyframes=media.max_keyframes, max_side=media.analysis_max_side, max_pixels=media.max_pixels
    )
    meta = {
        "width": video.width,
        "height": video.height,
        "frames": len(video.frames),
        "durationSeconds": round(video.duration_seconds, 3) if video.duration_seconds else None,
        "codec": video.codec,
    }
    return video.frames, meta


def analysis_images(data: bytes, media_type: MediaType, media: MediaSettings) -> tuple[MediaImage, ...]:
    """Only what the diagnoser sees (no stored copy)."""
    return analysis_view(data, media_type, media)[0]


@dataclass(frozen=True, slots=True)
class KeptCopy:
    data: bytes
    ext: str
    meta: dict[str, Any]


def kept_copy(data: bytes, media_type: MediaType, media: MediaSettings) -> KeptCopy:
    """The copy we store: a re-encoded, EXIF-free photo or a metadata-free remux (CPU-bound: worker thread)."""
    if media_type.kind == "image":
        from chefmentor.media.images import make_stored_copy

        stored = make_stored_copy(data, max_pixels=media.max_pixels)
        return KeptCopy(stored.data, stored.ext, {"width": stored.width, "height": stored.height})
    from chefmentor.media.video import strip_video_metadata

    return KeptCopy(strip_video_metadata(data), "mp4", {})


async def store_upload(
    data: bytes, media_type: MediaType, *, media: MediaSettings, store: MediaStore
) -> tuple[StoredMedia, dict[str, Any]]:
    """Build the kept copy and save it; returns where it lives and its metadata (no client-chosen names)."""
    copy = await asyncio.to_thread(kept_copy, data, media_type, media)
    stored = await store.save(copy.data, media_type.kind, copy.ext)
    meta = {
        **copy.meta,
        "kind": media_type.kind,
        "mimeType": media_type.mime,
        "uploadBytes": len(data),
        "storedBytes": stored.size,
        "store": stored.store,
    }
    return stored, meta


async def analysis_images_from_store(url: str, *, media: MediaSettings, store: MediaStore) -> tuple[MediaImage, ...]:
    """Rebuild the analysis images from a stored copy (used when a pending analysis is retried)."""
    data = await store.load(url)
    media_type = detect_media_type(data[:64])
    return await asyncio.to_thread(analysis_images, data, media_type, media)
