"""The media sweeper removes what a crash left behind (.part files, files without a row) after the grace
period, and never a file a row references or one younger than the grace period."""

from __future__ import annotations

import os
import time

from chefmentor.failure.models import FailureAnalysis
from chefmentor.jobs.media_sweep import sweep_orphan_media
from tests.media.builders import jpeg


def _age(path, seconds: float) -> None:
    past = time.time() - seconds
    os.utime(path, (past, past))


async def test_sweeper_removes_only_old_orphans(app_ctx, settings) -> None:
    store = app_ctx.media_store
    kept = await store.save(jpeg(64, 48), "image", "jpg")
    variant = await store.save(jpeg(32, 24), "image", "jpg")
    async with app_ctx.session() as session:
        session.add(
            FailureAnalysis(
                media_url=kept.url,
                media_kind="image",
                media_meta={"variants": {"thumbnail": variant.url, "keyframes": []}},
            )
        )
        await session.commit()
    orphan = await store.save(jpeg(64, 48), "image", "jpg")  # written, then the process died before the row
    fresh_orphan = await store.save(jpeg(64, 48), "image", "jpg")  # its request may still be running
    root = settings.media_dir
    part = root / f".{'p' * 24}.jpg.part"  # killed mid-write
    part.write_bytes(b"partial")
    for name in (kept.key, variant.key, orphan.key, part.name):
        _age(root / name, 2 * 3600)

    result = await sweep_orphan_media(app_ctx, grace_minutes=60)

    assert result == {"partFilesRemoved": 1, "orphanMediaRemoved": 1, "graceMinutes": 60}
    remaining = {path.name for path in root.iterdir()}
    assert remaining == {kept.key, variant.key, fresh_orphan.key}


async def test_sweeper_is_a_registered_cron_job() -> None:
    from chefmentor.jobs.registry import JOBS

    assert JOBS["sweep_orphan_media"].cron is not None
