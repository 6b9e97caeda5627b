"""Accept JPG, PNG and MP4 only, judged by magic bytes; enforce the size limit while streaming.

The extension and the client's Content-Type are never consulted (OWASP File Upload cheat sheet:
"don't trust the Content-Type header"). filetype and our explicit signature checks must agree.
"""

from __future__ import annotations

import struct
from collections.abc import AsyncIterable
from dataclasses import dataclass
from typing import Literal

from chefmentor.errors import InvalidMediaError, PayloadTooLargeError, UnsupportedMediaError

MediaKind = Literal["image", "video"]

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# MP4 brands we accept (ISO base media + MPEG-4 part 14).
# QuickTime ('qt  '), HEIF and audio-only files are not MP4 videos.
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
)
REJECTED_MAJOR_BRANDS = frozenset({b"qt  ", b"heic", b"heix", b"mif1", b"msf1", b"avif", b"M4A ", b"M4B "})
SNIFF_BYTES = 64
# filetype names an 'M4V '-branded MP4 video/x-m4v; the brand allow-list decides.
_MP4_MIMES = frozenset({"video/mp4", "video/x-m4v"})
_MAX_FTYP_SIZE = 4096


@dataclass(frozen=True, slots=True)
class MediaType:
    kind: MediaKind
    mime: str
    ext: str


JPEG = MediaType("image", "image/jpeg", "jpg")
PNG = MediaType("image", "image/png", "png")
MP4 = MediaType("video", "video/mp4", "mp4")
ACCEPTED_TYPES = (JPEG, PNG, MP4)


def _unsupported() -> UnsupportedMediaError:
    return UnsupportedMediaError("Only JPG, PNG and MP4 files are accepted (judged by the file's content)")


def _ftyp_box_is_well_formed(head: bytes) -> bool:
    if len(head) < 16:
        return False
    box_size: int = struct.unpack(">I", head[:4])[0]
    return 16 <= box_size <= _MAX_FTYP_SIZE and (box_size - 16) % 4 == 0


def _mp4_brands_ok(head: bytes) -> bool:
    (box_size,) = struct.unpack(">I", head[:4])
    major = head[8:12]
    if major in REJECTED_MAJOR_BRANDS:
        return False
    compatible = {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    return major in MP4_BRANDS or bool(compatible & MP4_BRANDS)


def detect_media_type(head: bytes) -> MediaType:
    """The accepted type of a file from its first bytes: UnsupportedMediaError for other types,
    InvalidMediaError for an ISO media file whose `ftyp` box is malformed (it claims MP4 but is broken)."""
    import filetype

    if not head:
        raise InvalidMediaError("The file is empty")
    guessed = filetype.guess(head[:SNIFF_BYTES] if len(head) > SNIFF_BYTES else head)
    mime = guessed.mime if guessed is not None else None
    if mime == JPEG.mime and head.startswith(JPEG_MAGIC):
        return JPEG
    if mime == PNG.mime and head.startswith(PNG_MAGIC):
        return PNG
    if head[4:8] == b"ftyp":
        if not _ftyp_box_is_well_formed(head):
            raise InvalidMediaError("The MP4 header (ftyp box) is malformed")
        if mime in _MP4_MIMES and _mp4_brands_ok(head):
            return MP4
    raise _unsupported()


def _too_large(max_bytes: int) -> PayloadTooLargeError:
    return PayloadTooLargeError(f"The file is larger than the {max_bytes // (1024 * 1024)} MB limit")


async def read_upload(source: bytes | AsyncIterable[bytes], *, max_bytes: int) -> tuple[bytes, MediaType]:
    """Read an upload chunk by chunk: refuse it as soon as it passes `max_bytes` or its type is wrong.

    The type is judged from the first bytes, so a renamed executable is refused before the rest is read.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > max_bytes:
            raise _too_large(max_bytes)
        return data, detect_media_type(data[:SNIFF_BYTES])
    buffer = bytearray()
    media_type: MediaType | None = None
    async for chunk in source:
        if not chunk:
            continue
        buffer += chunk
        if len(buffer) > max_bytes:
            raise _too_large(max_bytes)
        if media_type is None and len(buffer) >= SNIFF_BYTES:
            media_type = detect_media_type(bytes(buffer[:SNIFF_BYTES]))
    if media_type is None:
        media_type = detect_media_type(bytes(buffer))
    return bytes(buffer), media_type
