"""Offline diagnosis time for a 12-megapixel JPEG against the floor of open + draft() + downscale.

Run: .venv/bin/python bench/diagnose.py [--repeats N]
Prints medians measured in this run and their ratio (target: diagnosis <= 3x the floor); the variants run
in turn within each round, so load from other processes on a shared machine hits them alike. The diagnosis
path is what a cook waits for: magic-byte check, pixel cap, draft-mode decode, orientation, downscale,
analysis JPEG, and the local engine. The EXIF-free stored copy (a full-size decode and re-encode) is
reported separately because it is storage work, not diagnosis.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

WIDTH, HEIGHT = 4000, 3000  # 12 MP, a common phone-camera size


def make_photo() -> bytes:
    """A 12 MP JPEG with smooth colour, texture and edges (a browned, uneven surface)."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    base = np.stack(
        [
            150 + 60 * np.sin(x / 500.0) * np.cos(y / 700.0),
            95 + 40 * np.cos(x / 350.0),
            40 + 30 * np.sin(y / 400.0),
        ],
        axis=-1,
    )
    texture = rng.normal(0, 18, size=(HEIGHT // 4, WIDTH // 4, 1)).repeat(4, axis=0).repeat(4, axis=1)
    pixels = np.clip(base + texture, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB").filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def interleaved_medians(works: list[Callable[[], object]], repeats: int) -> list[float]:
    """Median seconds of each callable, run in turn within every round so machine load hits all alike."""
    for work in works:
        work()  # warm-up: imports, caches
    samples: list[list[float]] = [[] for _ in works]
    for _ in range(repeats):
        for index, work in enumerate(works):
            started = time.perf_counter()
            work()
            samples[index].append(time.perf_counter() - started)
    return [statistics.median(times) for times in samples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()

    from PIL import Image

    from chefmentor.ai.types import DiagnosisRequest
    from chefmentor.config import load_settings
    from chefmentor.media.images import draft_box, make_stored_copy, prepare_analysis_image
    from chefmentor.media.validation import detect_media_type

    home = Path(tempfile.mkdtemp(prefix="cmx-bench-"))
    settings = load_settings(env="dev", home=home, offline=True)
    media = settings.media
    from chefmentor.ai.local import LocalDiagnoser

    engine = LocalDiagnoser(settings)
    photo = make_photo()
    side = media.analysis_max_side
    notes = "The outside is almost black and bitter, the middle still pink; the pan was smoking."

    def floor() -> None:
        image = Image.open(io.BytesIO(photo))
        image.draft("RGB", draft_box(image.size, side))
        image.load()
        image.thumbnail((side, side))

    loop = asyncio.new_event_loop()

    def diagnosis() -> None:
        detect_media_type(photo[:64])
        analysis = prepare_analysis_image(photo, max_pixels=media.max_pixels, max_side=side)
        request = DiagnosisRequest(dish="seared chicken", notes=notes, images=(analysis,))
        loop.run_until_complete(engine.diagnose(request))

    def stored_copy() -> None:
        make_stored_copy(photo, max_pixels=media.max_pixels)

    floor_s, diagnosis_s, stored_s = interleaved_medians([floor, diagnosis, stored_copy], args.repeats)
    loop.close()
    ratio = diagnosis_s / floor_s
    size_mb = len(photo) / 1e6
    print(f"12 MP JPEG ({WIDTH}x{HEIGHT}, {size_mb:.1f} MB), analysis side {side}px, {args.repeats} runs, medians")
    rows = [
        ("floor: open + draft() + downscale", floor_s, ""),
        ("offline diagnosis (media prep + local engine)", diagnosis_s, "target <= 3x"),
        ("stored copy (full decode, EXIF-free re-encode)", stored_s, "storage, informational"),
    ]
    for label, seconds, note in rows:
        print(f"{label:<48}{seconds * 1000:9.1f} ms {seconds / floor_s:6.2f}x   {note}")
    print("PASS" if ratio <= 3.0 else "ABOVE TARGET")


if __name__ == "__main__":
    main()
