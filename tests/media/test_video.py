"""PyAV: MP4 validation, evenly spaced keyframes, metadata-free remux."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chefmentor.errors import InvalidMediaError
from chefmentor.media.video import extract_keyframes, strip_video_metadata
from tests.media.builders import ftyp, mp4, portrait_mp4


def _brightness(data: bytes) -> int:
    return int(Image.open(io.BytesIO(data)).convert("L").getpixel((4, 4)))


def test_keyframes_are_evenly_spaced_and_bounded() -> None:
    video = extract_keyframes(mp4(frames=40, fps=10, gop=10), max_keyframes=4, max_side=768, max_pixels=40_000_000)
    assert len(video.frames) == 4
    assert video.duration_seconds == pytest.approx(4.0, abs=0.2)
    assert (video.width, video.height) == (64, 48)
    levels = [_brightness(frame.data) for frame in video.frames]
    assert levels == sorted(levels) and levels[-1] - levels[0] > 100  # from early to late in the clip


def test_fewer_frames_when_asked() -> None:
    video = extract_keyframes(mp4(), max_keyframes=1, max_side=32, max_pixels=40_000_000)
    assert len(video.frames) == 1
    assert max(video.frames[0].width, video.frames[0].height) <= 32


def test_mp4_with_a_bad_box_is_invalid() -> None:
    data = bytearray(mp4())
    moov = data.find(b"moov")
    assert moov > 0
    data[moov - 4 : moov] = (0x7FFFFFF0).to_bytes(4, "big")  # a moov box claiming 2 GB
    data[moov + 8 : moov + 200] = b"\xee" * 192
    with pytest.raises(InvalidMediaError):
        extract_keyframes(bytes(data), max_keyframes=4, max_side=768, max_pixels=40_000_000)


def test_ftyp_only_is_invalid() -> None:
    with pytest.raises(InvalidMediaError):
        extract_keyframes(ftyp() + b"\x00" * 100, max_keyframes=4, max_side=768, max_pixels=40_000_000)


def test_remux_drops_container_metadata_and_stays_playable() -> None:
    original = mp4()
    assert b"SECRET-TITLE" in original
    clean = strip_video_metadata(original)
    assert b"SECRET-TITLE" not in clean
    assert len(extract_keyframes(clean, max_keyframes=4, max_side=768, max_pixels=40_000_000).frames) == 4


def test_portrait_phone_video_is_turned_upright_and_stays_so_after_remux() -> None:
    for data in (portrait_mp4(), strip_video_metadata(portrait_mp4())):
        frame = extract_keyframes(data, max_keyframes=2, max_side=768, max_pixels=40_000_000).frames[0]
        image = Image.open(io.BytesIO(frame.data)).convert("RGB")
        assert image.size == (48, 64)
        assert image.getpixel((24, 5))[1] < 60  # the red (left) half is now on top
        assert image.getpixel((24, 58))[1] > 200
