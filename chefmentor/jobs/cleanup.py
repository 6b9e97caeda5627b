"""Cache cleanup: expired demo sessions and stale active-session keys.

Demo sessions live `auth.demo_ttl_hours` (24 h). Once expired, their cached cooking state is dropped at
the next run (the token no longer works, so nobody can read it). Their rows (cooking sessions, step
events, analyses, notes, stored media, the demo session itself) stay for `jobs.demo_grace_hours`
(default 24 h) after expiry, so support can still look at a demo that just ended, and are then purged.
A cached cooking-session key whose session is finished, unknown or purged is deleted as well.

This maintenance job deletes across domains directly (one place, one transaction per batch) because
purging is not an operation any domain service offers to callers.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlmodel import col

from chefmentor.audit.service import record_audit
from chefmentor.auth.models import DemoSession
from chefmentor.cache import Cache, MemoryCache, RedisCache
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus
from chefmentor.failure.models import AnalysisNote, FailureAnalysis

if TYPE_CHECKING:
    from chefmentor.context import AppContext

SESSION_KEY_PREFIX = "cooking:session:"
PURGE_BATCH = 200
KEY_BATCH = 500


def _session_key(session_id: uuid.UUID) -> str:
    return f"{SESSION_KEY_PREFIX}{session_id}"


async def iter_cache_keys(cache: Cache, prefix: str) -> AsyncIterator[str]:
    """Keys under a prefix (namespace stripped): SCAN on Redis, a snapshot of the dict in memory."""
    if isinstance(cache, RedisCache):
        async for raw in cache.client.scan_iter(match=cache.ns + prefix + "*", count=KEY_BATCH):
            key = raw.decode() if isinstance(raw, bytes) else str(raw)
            yield key.removeprefix(cache.ns)
    elif isinstance(cache, MemoryCache):
        for key in [k for k in cache._data if k.startswith(prefix)]:
            yield key


async def _drop_cached_state_of_expired_demos(ctx: AppContext) -> int:
    now = ctx.clock.now()
    dropped = 0
    async with ctx.session() as session:
        ids = list(
            await session.scalars(
                select(col(CookingSession.id))
                .join(DemoSession, col(DemoSession.id) == col(CookingSession.demo_session_id))
                .where(col(DemoSession.expires_at) <= now, col(CookingSession.status) == SessionStatus.IN_PROGRESS)
            )
        )
    for start in range(0, len(ids), KEY_BATCH):
        chunk = ids[start : start + KEY_BATCH]
        await ctx.cache.delete(*(_session_key(i) for i in chunk))
        dropped += len(chunk)
    return dropped


async def _purge_batch(ctx: AppContext, demo_ids: list[uuid.UUID]) -> tuple[int, list[str]]:
    """Delete one batch of demo sessions with everything they own, in one transaction."""
    media_urls: list[str] = []
    async with ctx.session() as session, session.begin():
        analyses = list(
            (
                await session.execute(
                    select(
                        col(FailureAnalysis.id), col(FailureAnalysis.media_url), col(FailureAnalysis.media_meta)
                    ).where(col(FailureAnalysis.demo_session_id).in_(demo_ids))
                )
            ).all()
        )
        analysis_ids = [row.id for row in analyses]
        for row in analyses:
            media_urls.append(row.media_url)
            media_urls.extend(_variant_urls(row.media_meta))
        session_ids = list(
            await session.scalars(
                select(col(CookingSession.id)).where(col(CookingSession.demo_session_id).in_(demo_ids))
            )
        )
        if analysis_ids:
            await session.execute(delete(AnalysisNote).where(col(AnalysisNote.analysis_id).in_(analysis_ids)))
            await session.execute(delete(FailureAnalysis).where(col(FailureAnalysis.id).in_(analysis_ids)))
        if session_ids:
            await session.execute(delete(CookingStepEvent).where(col(CookingStepEvent.session_id).in_(session_ids)))
            await session.execute(delete(CookingSession).where(col(CookingSession.id).in_(session_ids)))
        await session.execute(delete(DemoSession).where(col(DemoSession.id).in_(demo_ids)))
        for demo_id in demo_ids:
            record_audit(
                session,
                entity="demo_session",
                action="purge",
                entity_id=demo_id,
                details={"reason": "expired", "job": "cleanup_cache"},
            )
    if session_ids:
        await ctx.cache.delete(*(_session_key(i) for i in session_ids))
    return len(demo_ids), media_urls


def _variant_urls(meta: Any) -> list[str]:
    variants = meta.get("variants") if isinstance(meta, dict) else None
    if not isinstance(variants, dict):
        return []
    urls = [variants.get("thumbnail"), variants.get("analysis"), *list(variants.get("keyframes") or [])]
    return [u for u in urls if isinstance(u, str) and u]


async def _purge_expired_demos(ctx: AppContext, grace: timedelta) -> tuple[int, int]:
    threshold = ctx.clock.now() - grace
    purged = 0
    media_deleted = 0
    while True:
        async with ctx.session() as session:
            demo_ids = list(
                await session.scalars(
                    select(col(DemoSession.id))
                    .where(col(DemoSession.expires_at) <= threshold)
                    .order_by(col(DemoSession.expires_at))
                    .limit(PURGE_BATCH)
                )
            )
        if not demo_ids:
            break
        count, urls = await _purge_batch(ctx, demo_ids)
        purged += count
        # Files go after the commit: a crash here leaves an orphan file, never a row pointing at nothing.
        for url in urls:
            try:
                await ctx.media_store.delete(url)
                media_deleted += 1
            except Exception:  # noqa: S112 - an unreachable store must not stop the purge; files are orphans
                continue
        if len(demo_ids) < PURGE_BATCH:
            break
    return purged, media_deleted


async def _drop_stale_session_keys(ctx: AppContext) -> tuple[int, int]:
    seen = 0
    dropped = 0
    batch: list[str] = []

    async def flush() -> int:
        ids: dict[uuid.UUID, str] = {}
        stale: list[str] = []
        for key in batch:
            try:
                ids[uuid.UUID(key.removeprefix(SESSION_KEY_PREFIX))] = key
            except ValueError:
                stale.append(key)  # not ours / corrupt: the cooking service would ignore it anyway
        if ids:
            async with ctx.session() as session:
                active = set(
                    await session.scalars(
                        select(col(CookingSession.id)).where(
                            col(CookingSession.id).in_(list(ids)),
                            col(CookingSession.status) == SessionStatus.IN_PROGRESS,
                        )
                    )
                )
            stale.extend(key for session_id, key in ids.items() if session_id not in active)
        if stale:
            await ctx.cache.delete(*stale)
        batch.clear()
        return len(stale)

    async for key in iter_cache_keys(ctx.cache, SESSION_KEY_PREFIX):
        seen += 1
        batch.append(key)
        if len(batch) >= KEY_BATCH:
            dropped += await flush()
    if batch:
        dropped += await flush()
    return seen, dropped


async def cleanup_cache(ctx: AppContext, *, grace_hours: int | None = None) -> dict[str, Any]:
    """Drop expired demos' cached state, purge demos past the grace period, delete stale session keys."""
    hours = ctx.settings.jobs.demo_grace_hours if grace_hours is None else grace_hours
    dropped_state = await _drop_cached_state_of_expired_demos(ctx)
    purged, media_deleted = await _purge_expired_demos(ctx, timedelta(hours=hours))
    keys_seen, keys_dropped = await _drop_stale_session_keys(ctx)
    return {
        "expiredDemoStateDropped": dropped_state,
        "demoSessionsPurged": purged,
        "mediaDeleted": media_deleted,
        "sessionKeysSeen": keys_seen,
        "staleSessionKeysDropped": keys_dropped,
        "graceHours": hours,
    }
