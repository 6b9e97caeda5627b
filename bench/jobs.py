"""Audit-log rotation throughput: 100k rows exported to gzip JSON Lines and deleted, SQLite vs PostgreSQL,
batch size 1000 vs 5000, measured side by side in one run (loopback PostgreSQL; skipped when absent)."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from chefmentor.audit.models import AuditLog  # noqa: E402
from chefmentor.config import load_settings  # noqa: E402
from chefmentor.context import open_context  # noqa: E402

ROWS = int(os.environ.get("BENCH_AUDIT_ROWS", "100000"))
PG_BASE = os.environ.get("CHEFMENTOR_TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
SECRET = "bench-secret-" + "x" * 40


def _settings(home: Path, url: str) -> Any:
    return load_settings(env="test", home=home, db={"url": url}, auth={"jwt_secret": SECRET})


async def _fill(ctx: Any, rows: int) -> None:
    table = AuditLog.__table__  # type: ignore[attr-defined]
    old = datetime.now(UTC) - timedelta(days=400)
    chunk = 10_000
    async with ctx.engine.begin() as conn:
        for start in range(0, rows, chunk):
            await conn.execute(
                table.insert(),
                [
                    {
                        "id": uuid.uuid4(),
                        "entity": "cooking_session",
                        "entity_id": uuid.uuid4(),
                        "action": "step_completed",
                        "actor_kind": "user",
                        "actor_id": uuid.uuid4(),
                        "request_id": uuid.uuid4().hex,
                        "details": {"step": i % 12, "source": "bench"},
                        "created_at": old + timedelta(seconds=i),
                    }
                    for i in range(start, min(rows, start + chunk))
                ],
            )


async def _run(url: str, batch: int) -> dict[str, float]:
    from chefmentor.db import migrate
    from chefmentor.jobs.audit_rotation import archive_dir, rotate_audit_logs

    with tempfile.TemporaryDirectory() as home:
        settings = _settings(Path(home), url)
        async with open_context(settings) as ctx:
            await migrate.upgrade(ctx.engine)
            await _fill(ctx, ROWS)
            started = time.perf_counter()
            report = await rotate_audit_logs(ctx, batch_size=batch)
            seconds = time.perf_counter() - started
            if report["exported"] != ROWS:
                raise RuntimeError(f"exported {report['exported']} of {ROWS} rows")
            size = sum(p.stat().st_size for p in archive_dir(Path(home)).glob("*.gz"))
        return {"seconds": seconds, "rowsPerSecond": ROWS / seconds, "archiveMb": size / 1e6}


async def _pg_database() -> str | None:
    import asyncpg

    name = f"cmx_bench_{uuid.uuid4().hex[:8]}"
    try:
        conn = await asyncio.wait_for(asyncpg.connect(PG_BASE.replace("postgresql+asyncpg", "postgresql")), 5)
    except Exception as exc:
        print(f"PostgreSQL unavailable ({type(exc).__name__}): SQLite only")
        return None
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    return PG_BASE.rsplit("/", 1)[0] + f"/{name}"


async def _drop(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(PG_BASE.replace("postgresql+asyncpg", "postgresql"))
    await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await conn.close()


async def main() -> None:
    results: list[tuple[str, int, dict[str, float]]] = []
    for batch in (1000, 5000):
        with tempfile.TemporaryDirectory() as folder:
            results.append(("sqlite", batch, await _run(f"sqlite+aiosqlite:///{folder}/bench.db", batch)))
    for batch in (1000, 5000):
        pg = await _pg_database()
        if pg is None:
            break
        try:
            results.append(("postgresql", batch, await _run(pg, batch)))
        finally:
            await _drop(pg)
    print(f"audit rotation of {ROWS:,} rows (export gzip JSONL + fsync + delete per batch)")
    for backend, batch, r in results:
        print(
            f"  {backend:<10} batch {batch:>5}: {r['seconds']:6.2f} s  {r['rowsPerSecond']:9,.0f} rows/s  "
            f"archive {r['archiveMb']:.1f} MB"
        )
    base = results[0][2]["rowsPerSecond"]
    for backend, batch, r in results[1:]:
        print(f"  ratio {backend}/{batch} vs sqlite/1000: {r['rowsPerSecond'] / base:.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
