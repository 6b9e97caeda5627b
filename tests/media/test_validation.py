"""Magic-byte type checks and the streaming size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from chefmentor.errors import InvalidMediaError, PayloadTooLargeError, UnsupportedMediaError
from chefmentor.media.validation import JPEG, MP4, PNG, detect_media_type, read_upload
from tests.media.builders import ftyp, jpeg, mp4, png, windows_exe

MB = 1024 * 1024


def test_accepted_types_by_content() -> None:
    assert detect_media_type(jpeg()) == JPEG
    assert detect_media_type(png()) == PNG
    assert detect_media_type(mp4()) == MP4


@pytest.mark.parametrize(
    "data",
    [
        windows_exe(),  # a renamed .exe: the name "dish.jpg" never matters
        b"GIF89a" + b"\x00" * 64,
        b"%PDF-1.7\n" + b"\x00" * 64,
        b"\xff\xd8",  # too short to be a JPEG
        b"\x89PNG\r\n\x1a",  # truncated signature
        b"<svg xmlns='http://www.w3.org/2000/svg'/>" + b" " * 40,
        ftyp(b"qt  ", (b"qt  ",)) + b"\x00" * 32,  # QuickTime, not MP4
        ftyp(b"heic", (b"mif1", b"heic")) + b"\x00" * 32,  # HEIF photo
        ftyp(b"M4A ", (b"M4A ", b"isom")) + b"\x00" * 32,  # audio only
    ],
)
def test_everything_else_is_unsupported(data: bytes) -> None:
    with pytest.raises(UnsupportedMediaError):
        detect_media_type(data)


def test_an_empty_file_is_invalid_media_not_an_unsupported_type() -> None:
    with pytest.raises(InvalidMediaError, match="empty"):
        detect_media_type(b"")


@pytest.mark.parametrize("size", [9_999_999, 7, 17])
def test_a_malformed_ftyp_box_is_invalid_media(size: int) -> None:
    data = bytearray(ftyp() + b"\x00" * 32)
    data[0:4] = size.to_bytes(4, "big")
    with pytest.raises(InvalidMediaError, match="ftyp"):
        detect_media_type(bytes(data))


async def _chunks(first: bytes, total: int, chunk: int, read: list[int]) -> AsyncIterator[bytes]:
    sent = 0
    data = first
    while sent < total:
        piece = data[:chunk] if data else b"\x00" * min(chunk, total - sent)
        data = data[len(piece) :]
        sent += len(piece)
        read.append(len(piece))
        yield piece


async def test_a_25_mb_stream_is_refused_before_it_is_read_to_the_end() -> None:
    read: list[int] = []
    with pytest.raises(PayloadTooLargeError, match="20 MB"):
        await read_upload(_chunks(jpeg(), 25 * MB, 64 * 1024, read), max_bytes=20 * MB)
    consumed = sum(read)
    assert 20 * MB < consumed <= 20 * MB + 64 * 1024  # stopped at the first chunk past the limit
    assert consumed < 25 * MB


async def test_a_renamed_exe_stream_is_refused_after_the_first_chunk() -> None:
    read: list[int] = []
    with pytest.raises(UnsupportedMediaError):
        await read_upload(_chunks(windows_exe(), 10 * MB, 64 * 1024, read), max_bytes=20 * MB)
    assert len(read) == 1  # nothing after the first chunk was pulled


async def test_stream_and_bytes_give_the_same_result() -> None:
    data = png()
    read: list[int] = []
    streamed = await read_upload(_chunks(data, len(data), 7, read), max_bytes=MB)
    assert streamed == (data, PNG)
    assert await read_upload(data, max_bytes=MB) == (data, PNG)
    with pytest.raises(PayloadTooLargeError):
        await read_upload(data, max_bytes=len(data) - 1)
