"""Image decoding with a pixel cap, orientation, EXIF stripping and analysis-size downscaling.

Pillow is imported inside the functions so the CLI starts fast.
"""

from __future__ import annotations

import io
import math
import threading
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chefmentor.ai.types import MediaImage
from chefmentor.errors import InvalidMediaError

if TYPE_CHECKING:
    from PIL import Image as PILImage

ANALYSIS_JPEG_QUALITY = 85
STORED_JPEG_QUALITY = 90
# Restricting formats keeps exotic decoders (e.g. the FITS bomb, CVE-2026-40192) out of reach.
ALLOWED_FORMATS = ("JPEG", "PNG")
# warnings.catch_warnings() swaps process-wide filters: serialise it (Image.open reads headers only, ~1 ms).
_WARNINGS_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class StoredImage:
    """The copy we keep: re-encoded, orientation applied, no EXIF/GPS or text metadata."""

    data: bytes
    mime_type: str
    ext: str
    width: int
    height: int


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.1f} MP"


def open_image(data: bytes, *, max_pixels: int) -> PILImage.Image:
    """Open (header only) and enforce our own pixel cap before anything is decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with _WARNINGS_LOCK, warnings.catch_warnings():
            # Pillow only warns between its limit and 2x its limit; a warning here is a bomb too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(ALLOWED_FORMATS))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidMediaError(
            f"The image has too many pixels to process safely (limit {_megapixels(max_pixels)})"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidMediaError("The image could not be decoded: the file is corrupt or not a JPG/PNG") from exc
    pixels = image.width * image.height
    if pixels > max_pixels:
        raise InvalidMediaError(
            f"The image is {image.width}x{image.height} ({_megapixels(pixels)}); the limit is {_megapixels(max_pixels)}"
        )
    if image.width < 1 or image.height < 1:
        raise InvalidMediaError("The image has no pixels")
    return image


def _load(image: PILImage.Image) -> None:
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InvalidMediaError("The image is truncated or corrupt and could not be decoded") from exc


def _to_rgb(image: PILImage.Image) -> PILImage.Image:
    from PIL import Image

    if image.mode == "RGB":
        return image
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def draft_box(size: tuple[int, int], max_side: int) -> tuple[int, int]:
    """The smallest (w, h) with the image's aspect ratio whose longer side is `max_side`."""
    width, height = size
    scale = max_side / max(width, height)
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def analysis_image_from(image: PILImage.Image, *, max_side: int) -> MediaImage:
    """Downscale an opened image for analysis: JPEG decodes at 1/2..1/8 scale via draft()."""
    from PIL import Image, ImageOps

    if image.format in ("JPEG", "MPO"):
        # draft() picks the smallest DCT scale (1/2..1/8) still covering the requested box: far less decoding.
        # The box keeps the aspect ratio, otherwise the short side forces a needlessly large scale.
        image.draft("RGB", draft_box(image.size, max_side))
    _load(image)
    oriented = ImageOps.exif_transpose(image)
    rgb = _to_rgb(oriented)
    if max(rgb.size) > max_side:
        rgb.thumbnail((max_side, max_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
    out = io.BytesIO()
    rgb.save(out, "JPEG", quality=ANALYSIS_JPEG_QUALITY)
    return MediaImage(data=out.getvalue(), mime_type="image/jpeg", width=rgb.width, height=rgb.height)


def prepare_analysis_image(data: bytes, *, max_pixels: int, max_side: int) -> MediaImage:
    """Validate and downscale a photo for the diagnoser (the fast path: no full-size decode for JPEG)."""
    return analysis_image_from(open_image(data, max_pixels=max_pixels), max_side=max_side)


def make_stored_copy(data: bytes, *, max_pixels: int) -> StoredImage:
    """Fully decode and re-encode (OWASP: image rewriting), applying orientation and dropping all metadata."""
    from PIL import ImageOps

    image = open_image(data, max_pixels=max_pixels)
    source_format = image.format
    # The colour profile is not personal data; keeping it avoids a colour shift on wide-gamut photos.
    icc_profile = image.info.get("icc_profile")
    _load(image)
    oriented = ImageOps.exif_transpose(image)
    out = io.BytesIO()
    if source_format == "PNG":
        clean = oriented if oriented.mode in ("RGB", "RGBA", "L", "LA", "P", "1") else oriented.convert("RGBA")
        clean.info = {}
        clean.save(out, "PNG", icc_profile=icc_profile)
        return StoredImage(out.getvalue(), "image/png", "png", clean.width, clean.height)
    rgb = _to_rgb(oriented)
    rgb.info = {}
    # No exif= or comment=: the new file carries pixels and colour profile only (GPS included, gone).
    rgb.save(out, "JPEG", quality=STORED_JPEG_QUALITY, icc_profile=icc_profile)
    return StoredImage(out.getvalue(), "image/jpeg", "jpg", rgb.width, rgb.height)
