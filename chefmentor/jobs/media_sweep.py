"""Sweep the local media folder: what a crash left behind is removed after a grace period.

An upload is written to `.<name>.part`, fsynced and renamed, and its analysis row is committed afterwards;
a failed analysis deletes its file. A process killed in between leaves a `.part` file or a media file no
row points at. Files younger than `jobs.media_grace_minutes` are never touched (their request may still
be running); older ones are deleted when no failure_analyses row references them, neither as its upload
(`media_url`) nor as a preprocessed variant (`media_meta.variants`). Cloudinary keeps no partial uploads
and is not swept here.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlmodel import col

from chefmentor.failure.models import FailureAnalysis
from chefmentor.media.store import LOCAL_NAME_PATTERN, LOCAL_URL_PREFIX, LocalMediaStore

if TYPE_CHECKING:
    from chefmentor.context import AppContext


def referenced_names(rows: list[tuple[str, Any]]) -> set[str]:
    """Local file names referenced by analyses' uploads and variants."""
    names: set[str] = set()

    def add(url: object) -> None:
        if isinstance(url, str) and url.startswith(LOCAL_URL_PREFIX):
            names.add(url.removeprefix(LOCAL_URL_PREFIX))

    for media_url, meta in rows:
        add(media_url)
        variants = (meta or {}).get("variants") if isinstance(meta, dict) else None
        if isinstance(variants, dict):
            for value in variants.values():
                for url in value if isinstance(value, list) else [value]:
                    add(url)
    return names


def stale_files(root: Path, *, older_than: float) -> tuple[list[Path], list[Path]]:
    """(`.part` files, media files) under `root` last modified before `older_than` (epoch seconds)."""
    parts: list[Path] = []
    media: list[Path] = []
    if not root.is_dir():
        return parts, media
    for path in root.iterdir():
        try:
            if not path.is_file() or path.stat().st_mtime >= older_than:
                continue
        except FileNotFoundError:
            continue
        if path.name.startswith(".") and path.name.endswith(".part"):
            parts.append(path)
        elif LOCAL_NAME_PATTERN.fullmatch(path.name):
            media.append(path)
    return parts, media


def _unlink(paths: list[Path]) -> int:
    removed = 0
    for path in paths:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
    return removed


async def sweep_orphan_media(ctx: AppContext, *, grace_minutes: int | None = None) -> dict[str, Any]:
    """Delete `.part` files and unreferenced media files older than the grace period (local store only)."""
    store = ctx.media_store
    if not isinstance(store, LocalMediaStore):
        return {"store": getattr(store, "name", "?"), "skipped": "only the local store keeps partial files"}
    grace = ctx.settings.jobs.media_grace_minutes if grace_minutes is None else grace_minutes
    cutoff = time.time() - grace * 60
    parts, media = await asyncio.to_thread(stale_files, store.root, older_than=cutoff)
    orphans: list[Path] = []
    if media:
        async with ctx.session() as session:
            rows = (
                await session.execute(select(col(FailureAnalysis.media_url), col(FailureAnalysis.media_meta)))
            ).all()
        referenced = referenced_names([(row[0], row[1]) for row in rows])
        orphans = [path for path in media if path.name not in referenced]
    removed_parts = await asyncio.to_thread(_unlink, parts)
    removed_media = await asyncio.to_thread(_unlink, orphans)
    return {"partFilesRemoved": removed_parts, "orphanMediaRemoved": removed_media, "graceMinutes": grace}
