"""MP4 validation and keyframe extraction with PyAV; frames are analysed like photos.

PyAV is imported inside the functions so the CLI starts fast.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from chefmentor.ai.types import MediaImage
from chefmentor.errors import InvalidMediaError
from chefmentor.media.images import ANALYSIS_JPEG_QUALITY

if TYPE_CHECKING:
    from PIL import Image as PILImage

# A frame that decodes to nothing for this many packets means a broken stream, not a slow one.
_MAX_PACKETS_PER_FRAME = 600


@dataclass(frozen=True, slots=True)
class VideoAnalysis:
    frames: tuple[MediaImage, ...]
    width: int
    height: int
    duration_seconds: float | None
    codec: str
    meta: dict[str, Any] = field(default_factory=dict)


def _invalid(reason: str) -> InvalidMediaError:
    return InvalidMediaError(f"The video could not be read: {reason}")


def _open(data: bytes) -> Any:
    import av

    try:
        return av.open(io.BytesIO(data), mode="r", format="mp4")
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise _invalid("not a valid MP4 file (bad or missing boxes)") from exc


def _frame_image(frame: Any, max_side: int) -> MediaImage:
    from PIL import Image

    picture: PILImage.Image = frame.to_image()
    # Phones record portrait video sideways plus a display matrix; apply it like players do.
    rotation = round(float(getattr(frame, "rotation", 0) or 0) / 90) * 90 % 360
    if rotation:
        picture = picture.rotate(rotation, expand=True)
    if max(picture.size) > max_side:
        picture.thumbnail((max_side, max_side), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=ANALYSIS_JPEG_QUALITY)
    return MediaImage(data=out.getvalue(), mime_type="image/jpeg", width=picture.width, height=picture.height)


def _first_frame_from(container: Any, stream: Any, seek_to: int | None) -> Any | None:
    if seek_to is not None:
        container.seek(seek_to, stream=stream, backward=True, any_frame=False)
    for count, packet in enumerate(container.demux(stream)):
        if count > _MAX_PACKETS_PER_FRAME:
            return None
        for frame in packet.decode():
            return frame
    return None


def extract_keyframes(data: bytes, *, max_keyframes: int, max_side: int, max_pixels: int) -> VideoAnalysis:
    """Validate the MP4 and decode up to `max_keyframes` evenly spaced frames (seeking lands on keyframes)."""
    import av

    container = _open(data)
    try:
        if not container.streams.video:
            raise _invalid("it has no video track")
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > max_pixels:
            raise _invalid(f"{width}x{height} is larger than the pixel limit")
        duration = _duration_seconds(container, stream)
        targets: list[int | None] = [None]
        if duration and stream.time_base and max_keyframes > 1:
            start = float(stream.start_time or 0) * float(stream.time_base)
            times = [start + duration * (i + 0.5) / max_keyframes for i in range(max_keyframes)]
            targets = [int(t / float(stream.time_base)) for t in times]
        frames: list[MediaImage] = []
        seen_pts: set[int | None] = set()
        for target in targets[: max(1, max_keyframes)]:
            frame = _first_frame_from(container, stream, target)
            if frame is None or frame.pts in seen_pts:
                continue
            seen_pts.add(frame.pts)
            frames.append(_frame_image(frame, max_side))
        if not frames:
            raise _invalid("no frame could be decoded")
        return VideoAnalysis(
            frames=tuple(frames),
            width=width,
            height=height,
            duration_seconds=duration,
            codec=stream.codec_context.name,
            meta={"keyframes": len(frames)},
        )
    except av.FFmpegError as exc:
        raise _invalid("the stream is corrupt or undecodable") from exc
    finally:
        container.close()


def _duration_seconds(container: Any, stream: Any) -> float | None:
    if stream.duration and stream.time_base:
        return float(stream.duration * stream.time_base)
    if container.duration:
        return float(container.duration) / 1_000_000
    return None


def strip_video_metadata(data: bytes) -> bytes:
    """Remux (no re-encode) into a fresh MP4 so container tags such as a GPS location are not kept."""
    import av

    source = _open(data)
    out_buffer = io.BytesIO()
    try:
        target = av.open(out_buffer, mode="w", format="mp4")
        try:
            mapping: dict[int, Any] = {}
            for stream in source.streams:
                if stream.type in ("video", "audio"):
                    out_stream = target.add_stream_from_template(stream)
                    out_stream.metadata.clear()
                    mapping[stream.index] = out_stream
            for packet in source.demux(*[s for s in source.streams if s.index in mapping]):
                if packet.dts is None:
                    continue
                packet.stream = mapping[packet.stream.index]
                target.mux(packet)
        finally:
            target.close()
    except av.FFmpegError as exc:
        raise _invalid("the stream could not be rewritten") from exc
    finally:
        source.close()
    return out_buffer.getvalue()
