"""Media inputs built in code: photos with GPS EXIF, bombs, truncated files, tiny MP4s."""

from __future__ import annotations

import io
import struct
import zlib


def jpeg(width: int = 64, height: int = 48, color: tuple[int, int, int] = (200, 120, 40), **save: object) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", **save)
    return out.getvalue()


def png(width: int = 64, height: int = 48, mode: str = "RGBA") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new(mode, (width, height), (10, 200, 30, 128) if mode == "RGBA" else (10, 200, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_gps_and_orientation(width: int = 80, height: int = 40) -> bytes:
    """A landscape JPEG tagged 'rotate 90' (orientation 6) with a GPS position and a camera make."""
    from PIL import Image

    image = Image.new("RGB", (width, height), (250, 250, 250))
    image.paste((200, 0, 0), (0, 0, width // 2, height))  # left half red
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 CW to display
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (48.0, 51.0, 29.0)
    gps[3] = "E"
    gps[4] = (2.0, 17.0, 40.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png_bomb(side: int = 20000) -> bytes:
    """A 1-bit grayscale PNG of side x side pixels that compresses to a few tens of KB."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    body = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")


def mp4(frames: int = 40, fps: int = 10, size: tuple[int, int] = (64, 48), gop: int = 10) -> bytes:
    """A real H.264 MP4 whose frames get brighter over time (keyframe every `gop` frames)."""
    import av
    import numpy as np

    buffer = io.BytesIO()
    container = av.open(buffer, "w", format="mp4")
    container.metadata["title"] = "SECRET-TITLE"
    stream = container.add_stream("libx264", rate=fps, options={"g": str(gop)})
    stream.width, stream.height = size
    stream.pix_fmt = "yuv420p"
    for index in range(frames):
        pixels = np.full((size[1], size[0], 3), min(255, index * 6), dtype=np.uint8)
        for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    return buffer.getvalue()


def ftyp(major: bytes = b"isom", compatible: tuple[bytes, ...] = (b"isom", b"mp41")) -> bytes:
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 8 + len(body)) + b"ftyp" + body


def windows_exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"


def mp4_with_bad_box() -> bytes:
    """A real MP4 whose `moov` box claims 2 GB and whose contents are garbage."""
    data = bytearray(mp4())
    moov = data.find(b"moov")
    data[moov - 4 : moov] = (0x7FFFFFF0).to_bytes(4, "big")
    data[moov + 8 : moov + 200] = b"\xee" * 192
    return bytes(data)


def mp4_with_bad_ftyp() -> bytes:
    data = bytearray(mp4())
    data[0:4] = (7).to_bytes(4, "big")
    return bytes(data)


def portrait_mp4() -> bytes:
    """A landscape-encoded MP4 (left half red) with a phone-style 'rotate 90' display matrix in `tkhd`."""
    import av
    import numpy as np

    buffer = io.BytesIO()
    container = av.open(buffer, "w", format="mp4")
    stream = container.add_stream("libx264", rate=10, options={"g": "10"})
    stream.width, stream.height = 64, 48
    stream.pix_fmt = "yuv420p"
    for _ in range(20):
        pixels = np.full((48, 64, 3), 240, dtype=np.uint8)
        pixels[:, :32] = (220, 0, 0)
        for packet in stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgb24")):
            container.mux(packet)
    for packet in stream.encode():
        container.mux(packet)
    container.close()
    data = bytearray(buffer.getvalue())
    matrix_at = data.find(b"tkhd") + 4 + 40  # version-0 tkhd: 40 bytes of fields before the matrix
    data[matrix_at : matrix_at + 36] = struct.pack(">9I", 0, 0x10000, 0, 0xFFFF0000, 0, 0, 0, 0, 0x40000000)
    return bytes(data)
