"""Audit rotation: export to gzip JSON Lines, delete in per-batch transactions, lose and duplicate nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from chefmentor.audit.models import AuditLog
from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from chefmentor.jobs import audit_rotation
from chefmentor.jobs.audit_rotation import archive_dir, read_archive, rotate_audit_logs

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


async def _add_rows(ctx, count: int, *, age_days: float, entity: str = "recipe") -> list[str]:
    rows = [
        AuditLog(
            entity=entity,
            action="update",
            actor_kind="user",
            details={"n": i, "note": "Bearer should-not-matter"},
            created_at=NOW - timedelta(days=age_days, seconds=i),
        )
        for i in range(count)
    ]
    async with ctx.session() as session:
        session.add_all(rows)
        await session.commit()
    return [str(row.id) for row in rows]


async def _count(ctx) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(AuditLog)) or 0)


def _archived_ids(home: Path) -> list[str]:
    ids: list[str] = []
    for path in sorted(archive_dir(home).glob("*.jsonl.gz")):
        ids += [row["id"] for row in read_archive(path)]
    return ids


async def _rotation_case(ctx, settings: Settings) -> None:
    old = await _add_rows(ctx, 23, age_days=120)
    recent = await _add_rows(ctx, 5, age_days=3)
    report = await rotate_audit_logs(ctx, retention_days=90, batch_size=10)
    assert report["exported"] == 23 and report["batches"] == 3
    assert await _count(ctx) == 5
    assert sorted(_archived_ids(settings.home)) == sorted(old)
    async with ctx.session() as session:
        left = {str(i) for i in await session.scalars(select(AuditLog.id))}
    assert left == set(recent)
    first = read_archive(archive_dir(settings.home) / report["files"][0])[0]
    assert set(first) >= {"id", "entity", "action", "actorKind", "details", "createdAt"}
    assert first["createdAt"].startswith("2026-07")
    assert first["details"] == {"n": 22, "note": "Bearer should-not-matter"} and first["actorKind"] == "user"
    assert first["id"] in old and first["entityId"] is None
    for path in archive_dir(settings.home).iterdir():
        assert path.stat().st_mode & 0o077 == 0, "archives hold actor ids: owner-only"
    again = await rotate_audit_logs(ctx, retention_days=90, batch_size=10)
    assert again["exported"] == 0 and await _count(ctx) == 5


async def test_rotation_exports_then_deletes_only_old_rows(make_ctx, settings) -> None:
    async with make_ctx(clock=FrozenClock(NOW)) as ctx:
        await _rotation_case(ctx, settings)


@pytest.mark.pg
async def test_rotation_on_postgresql(pg_settings) -> None:
    from chefmentor.context import open_context

    async with open_context(pg_settings, clock=FrozenClock(NOW)) as ctx:
        await _rotation_case(ctx, pg_settings)


async def test_a_crash_midway_loses_and_duplicates_nothing(make_ctx, settings, monkeypatch) -> None:
    async with make_ctx(clock=FrozenClock(NOW)) as ctx:
        old = await _add_rows(ctx, 25, age_days=200)
        real_delete = audit_rotation.delete
        calls = {"n": 0}

        def crashing_delete(table):
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("power cut after the file was written")
            return real_delete(table)

        monkeypatch.setattr(audit_rotation, "delete", crashing_delete)
        with pytest.raises(RuntimeError):
            await rotate_audit_logs(ctx, retention_days=90, batch_size=10)
        # Batch 1 committed; batch 2 is on disk but its rows are still in the table (transaction rolled back).
        assert await _count(ctx) == 15
        assert len(list(archive_dir(settings.home).glob("*.jsonl.gz"))) == 2
        monkeypatch.setattr(audit_rotation, "delete", real_delete)
        report = await rotate_audit_logs(ctx, retention_days=90, batch_size=10)
        assert report["exported"] == 15 and await _count(ctx) == 0
        archived = _archived_ids(settings.home)
        assert sorted(archived) == sorted(old), "every row archived exactly once"
        assert not list(archive_dir(settings.home).glob(".*.part"))


async def test_settings_drive_retention_and_batch_size(make_ctx, settings) -> None:
    tuned = settings.model_copy(
        update={"jobs": settings.jobs.model_copy(update={"audit_retention_days": 10, "audit_batch_size": 4})}
    )
    async with make_ctx(tuned, clock=FrozenClock(NOW)) as ctx:
        await _add_rows(ctx, 9, age_days=11)
        await _add_rows(ctx, 2, age_days=9)
        report = await rotate_audit_logs(ctx)
        assert report["exported"] == 9 and report["batches"] == 3
        assert await _count(ctx) == 2
