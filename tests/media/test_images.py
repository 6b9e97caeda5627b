"""Pillow processing: pixel cap, truncation, EXIF/GPS stripping, orientation, analysis downscale."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from chefmentor.errors import InvalidMediaError
from chefmentor.media.images import make_stored_copy, prepare_analysis_image
from tests.media.builders import jpeg, jpeg_with_gps_and_orientation, png, png_bomb

MAX_PIXELS = 40_000_000


def test_png_bomb_is_a_clear_error_not_a_crash() -> None:
    bomb = png_bomb(20000)
    assert len(bomb) < 200_000  # tiny on disk, 400 MP when decoded
    with pytest.raises(InvalidMediaError, match="too many pixels|limit"):
        prepare_analysis_image(bomb, max_pixels=MAX_PIXELS, max_side=768)
    with pytest.raises(InvalidMediaError):
        make_stored_copy(bomb, max_pixels=MAX_PIXELS)


def test_our_own_cap_applies_below_pillows_limit() -> None:
    # 7000x7000 = 49 MP: Pillow would not even warn (89 MP); our 40 MP cap refuses it before decoding.
    big = png_bomb(7000)
    with pytest.raises(InvalidMediaError, match="limit is 40.0 MP"):
        prepare_analysis_image(big, max_pixels=MAX_PIXELS, max_side=768)


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_truncated_jpeg_is_invalid(cut: float) -> None:
    data = jpeg(400, 300, quality=95)
    truncated = data[: int(len(data) * cut)]
    with pytest.raises(InvalidMediaError, match="truncated or corrupt"):
        prepare_analysis_image(truncated, max_pixels=MAX_PIXELS, max_side=128)
    with pytest.raises(InvalidMediaError):
        make_stored_copy(truncated, max_pixels=MAX_PIXELS)


def test_garbage_after_a_jpeg_signature_is_invalid() -> None:
    with pytest.raises(InvalidMediaError):
        prepare_analysis_image(b"\xff\xd8\xff" + b"\x13" * 500, max_pixels=MAX_PIXELS, max_side=128)


def test_stored_copy_has_no_exif_gps_and_is_upright() -> None:
    original = jpeg_with_gps_and_orientation(80, 40)
    source = Image.open(io.BytesIO(original))
    assert source.getexif().get_ifd(0x8825)  # the input really carries GPS

    stored = make_stored_copy(original, max_pixels=MAX_PIXELS)
    assert b"SpyCam" not in stored.data and b"Exif" not in stored.data
    image = Image.open(io.BytesIO(stored.data))
    assert not image.getexif()
    assert "exif" not in image.info
    assert (stored.width, stored.height) == (40, 80) == image.size  # orientation 6 applied
    assert image.getpixel((20, 5))[0] > 150  # the red half is now on top


def test_analysis_copy_is_downscaled_and_oriented() -> None:
    big = jpeg(4000, 3000, quality=85)
    analysis = prepare_analysis_image(big, max_pixels=MAX_PIXELS, max_side=768)
    assert analysis.mime_type == "image/jpeg"
    assert max(analysis.width, analysis.height) == 768
    assert Image.open(io.BytesIO(analysis.data)).size == (analysis.width, analysis.height)
    oriented = prepare_analysis_image(jpeg_with_gps_and_orientation(80, 40), max_pixels=MAX_PIXELS, max_side=768)
    assert (oriented.width, oriented.height) == (40, 80)


def test_png_keeps_its_format_and_transparency_is_flattened_for_analysis() -> None:
    data = png(50, 30)
    stored = make_stored_copy(data, max_pixels=MAX_PIXELS)
    assert stored.mime_type == "image/png" and stored.ext == "png"
    assert Image.open(io.BytesIO(stored.data)).mode == "RGBA"
    analysis = prepare_analysis_image(data, max_pixels=MAX_PIXELS, max_side=768)
    assert Image.open(io.BytesIO(analysis.data)).mode == "RGB"


def test_pillows_bomb_warning_is_an_error_even_under_a_raised_cap() -> None:
    # 10000x10000 = 100 MP: above Pillow's 89 MP warning, below its 179 MP error, below a (too) generous cap.
    with pytest.raises(InvalidMediaError, match="too many pixels"):
        prepare_analysis_image(png_bomb(10000), max_pixels=500_000_000, max_side=768)
