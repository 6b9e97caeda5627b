"""Audit-log rotation: rows older than settings.jobs.audit_retention_days go to gzip JSON Lines under
CHEFMENTOR_HOME/audit/, then leave the table.

Crash safety, per batch (settings.jobs.audit_batch_size rows, oldest first, one transaction each):
select the batch (FOR UPDATE SKIP LOCKED on PostgreSQL, so two runners never export the same rows) ->
write the file to a temp name, fsync, rename, fsync the folder -> delete exactly those ids -> commit.
Stopping anywhere loses nothing: before the commit the rows are still in the table, and the rerun writes
the same batch to the same file name (the name is derived from the batch), so it also duplicates nothing.
"""

from __future__ import annotations

import asyncio
import gzip
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Text, delete, select, type_coerce

from chefmentor.audit.models import AuditLog

if TYPE_CHECKING:
    from chefmentor.context import AppContext

ARCHIVE_DIR_NAME = "audit"
FILE_MODE = 0o600


def archive_dir(home: Path) -> Path:
    return home / ARCHIVE_DIR_NAME


def _row_json(row: Any) -> dict[str, Any]:
    # orjson writes UUIDs and aware datetimes natively, and `details` arrives as JSON text that is embedded
    # as-is (orjson.Fragment): no decode/re-encode per row.
    details = row.details
    return {
        "id": row.id,
        "entity": row.entity,
        "entityId": row.entity_id,
        "action": row.action,
        "actorKind": row.actor_kind,
        "actorId": row.actor_id,
        "requestId": row.request_id,
        "details": orjson.Fragment(details) if isinstance(details, str | bytes) and details else details or {},
        "createdAt": row.created_at,
    }


def batch_file_name(first_created: datetime, first_id: uuid.UUID, count: int) -> str:
    return f"audit-{first_created.strftime('%Y%m%dT%H%M%S%f')}-{first_id.hex[:12]}-{count}.jsonl.gz"


def write_batch_durably(directory: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    """gzip JSON Lines on disk before the caller deletes anything: temp file, fsync, rename, fsync folder."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    final = directory / name
    temp = directory / f".{name}.part"
    payload = b"".join(orjson.dumps(row, default=str) + b"\n" for row in rows)
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as raw:
        # mtime=0 keeps the bytes identical when a batch is exported again after a crash.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6) as gz:
            gz.write(payload)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(temp, final)
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
    return final


def read_archive(path: Path) -> list[dict[str, Any]]:
    """Rows of one archive file (used by tests and for restores)."""
    with gzip.open(path, "rb") as handle:
        return [orjson.loads(line) for line in handle if line.strip()]


async def rotate_audit_logs(
    ctx: AppContext,
    *,
    retention_days: int | None = None,
    batch_size: int | None = None,
    max_batches: int | None = None,
) -> dict[str, Any]:
    """Export then delete audit rows older than the retention; safe to stop and rerun at any point."""
    days = ctx.settings.jobs.audit_retention_days if retention_days is None else retention_days
    size = batch_size or ctx.settings.jobs.audit_batch_size
    cutoff = ctx.clock.now() - timedelta(days=days)
    directory = archive_dir(ctx.settings.home)
    table = AuditLog.__table__  # type: ignore[attr-defined]
    postgres = ctx.engine.dialect.name == "postgresql"
    exported = 0
    files: list[str] = []
    while max_batches is None or len(files) < max_batches:
        async with ctx.session() as session, session.begin():
            columns = [c if c.name != "details" else type_coerce(c, Text).label("details") for c in table.c]
            query = (
                select(*columns).where(table.c.created_at < cutoff).order_by(table.c.created_at, table.c.id).limit(size)
            )
            if postgres:
                query = query.with_for_update(skip_locked=True)
            rows = list((await session.execute(query)).all())
            if not rows:
                break
            name = batch_file_name(rows[0].created_at, rows[0].id, len(rows))
            payload = [_row_json(row) for row in rows]
            await asyncio.to_thread(write_batch_durably, directory, name, payload)
            ids = [row.id for row in rows]
            await session.execute(delete(table).where(table.c.id.in_(ids)))
        exported += len(rows)
        files.append(name)
        if len(rows) < size:
            break
    return {
        "exported": exported,
        "batches": len(files),
        "files": files,
        "directory": str(directory),
        "cutoff": cutoff.isoformat(),
    }
