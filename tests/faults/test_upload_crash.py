"""A crash (kill -9 of `chefmentor serve`) in the middle of an upload, then the sweeper job.

Whatever the crash left in the media folder (a `.part` file, or a stored file whose row never committed —
a moment too narrow to hit by timing, so one such file is also placed by hand) is removed by the sweeper
once older than the grace period; files younger than it and files a row points at stay and are served.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import secrets
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from tests.faults.harness import ApiServer, auth, cli, demo_token

pytestmark = [pytest.mark.slow, pytest.mark.faults]

AGE_SECONDS = 7 * 24 * 3600  # older than any reasonable grace period
SWEEPER = "sweep_orphan_media"


def jpeg_bytes(side: int, seed: int) -> bytes:
    from PIL import Image

    noise = Image.frombytes(
        "RGB", (side, side), secrets.token_bytes(side * side * 3) if seed else bytes(side * side * 3)
    )
    buffer = io.BytesIO()
    noise.save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def multipart(boundary: str, data: bytes) -> tuple[bytes, bytes]:
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="dish"\r\n\r\nseared chicken\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="dish.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return head + data, f"\r\n--{boundary}--\r\n".encode()


async def referenced_names(fault_env) -> set[str]:
    rows = await fault_env.fetch("SELECT media_url, media_meta::text AS meta FROM failure_analyses")
    names = set()
    for row in rows:
        names.add(row["media_url"].rsplit("/", 1)[-1])
        names.update(re.findall(r"/media/([A-Za-z0-9_.-]+)", row["meta"] or ""))
    return names


async def test_crash_during_upload_then_sweeper(fault_env, tmp_path: Path) -> None:
    env = fault_env.env(CHEFMENTOR_SERVER__RATE_LIMIT_ANALYZE="1000/minute")
    media_dir = fault_env.home / "media"
    server = ApiServer(env, tmp_path / "serve-0.log")
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=60) as http:
            token = await demo_token(http)
            kept = await http.post(
                "/api/failure/analyze",
                files={"file": ("ok.jpg", jpeg_bytes(64, 0), "image/jpeg")},
                data={"dish": "rice", "notes": "burnt at the bottom"},
                headers=auth(token),
            )
            assert kept.status_code == 201, kept.text
            boundary = secrets.token_hex(12)
            head, tail = multipart(boundary, jpeg_bytes(1400, 1))
            half_sent, killed = asyncio.Event(), asyncio.Event()

            async def body() -> AsyncIterator[bytes]:
                middle = len(head) // 2
                for start in range(0, middle, 64 * 1024):
                    yield head[start : min(middle, start + 64 * 1024)]
                half_sent.set()
                await killed.wait()
                yield head[middle:] + tail

            upload = asyncio.create_task(
                http.post(
                    "/api/failure/analyze",
                    content=body(),
                    headers={**auth(token), "Content-Type": f"multipart/form-data; boundary={boundary}"},
                )
            )
            await asyncio.wait_for(half_sent.wait(), timeout=30)
            await asyncio.sleep(0.5)
            server.kill()
            killed.set()
            with pytest.raises(httpx.HTTPError):
                await asyncio.wait_for(upload, timeout=30)
    finally:
        server.stop()

    media_dir.mkdir(parents=True, exist_ok=True)
    # A file stored just before the crash whose row never committed, and a temporary file of a second upload.
    orphan = media_dir / f"{secrets.token_urlsafe(18)}.jpg"
    orphan.write_bytes(jpeg_bytes(32, 1))
    (media_dir / f".{secrets.token_urlsafe(18)}.jpg.part").write_bytes(b"\xff\xd8partial")
    referenced = await referenced_names(fault_env)
    kept_name = kept.json()["mediaUrl"].rsplit("/", 1)[-1]
    assert kept_name in referenced and (media_dir / kept_name).is_file()
    leftovers = [path for path in media_dir.rglob("*") if path.is_file() and path.name not in referenced]
    assert orphan in leftovers
    old = time.time() - AGE_SECONDS
    for path in [*leftovers, *(media_dir / name for name in referenced if (media_dir / name).is_file())]:
        os.utime(path, (old, old))  # time passes: everything is now older than the grace period
    fresh = media_dir / f"{secrets.token_urlsafe(18)}.png"  # an upload in progress right now: not swept
    fresh.write_bytes(b"\x89PNG fresh")

    result = cli(env, "--json", "jobs", "run", SWEEPER)
    assert json.loads(result.stdout)["ok"], result.stdout
    remaining = {path for path in media_dir.rglob("*") if path.is_file()}
    assert not [path.name for path in leftovers if path in remaining], f"left behind: {sorted(remaining)}"
    assert fresh in remaining, "a file younger than the grace period was swept"
    assert all((media_dir / name) in remaining for name in referenced if name == kept_name)

    server = ApiServer(env, tmp_path / "serve-1.log")
    server.start()
    try:
        async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
            assert (await http.get(f"/media/{kept_name}")).status_code == 200
            token = await demo_token(http)
            again = await http.get(f"/api/failure/analyses/{kept.json()['id']}", headers=auth(token))
            assert again.status_code == 404  # another actor's analysis; the server is back and answering
    finally:
        server.stop()
