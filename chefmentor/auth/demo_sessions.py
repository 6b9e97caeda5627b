"""A demo token is only as alive as its `demo_sessions` row: checked on every request, cached briefly.

A demo token's own `exp` is fixed when it is signed; ending the session (expires_at moved to the past, or
the row deleted) must stop the token at once. Every request of a demo actor therefore needs the row's
`expires_at`. It is cached for at most `auth.demo_check_cache_seconds` (and never past the row's own expiry);
the shared cache (Redis with several workers) means that `end_demo_session` invalidates it for all workers.
A change made behind the service's back (raw SQL) is seen within that cache time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.auth.models import DemoSession
from chefmentor.cache import Cache
from chefmentor.clock import Clock
from chefmentor.config import Settings
from chefmentor.errors import InvalidTokenError, TokenExpiredError

CACHE_PREFIX = "auth:demo-session:"
GONE = b"gone"
EXPIRED_MESSAGE = "The demo session has expired: start a new demo or sign in with Google"
GONE_MESSAGE = "The demo session no longer exists: start a new demo or sign in with Google"


def cache_key(demo_session_id: uuid.UUID) -> str:
    return f"{CACHE_PREFIX}{demo_session_id}"


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes for timezone-aware columns; they are stored as UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


async def _cached_expiry(cache: Cache | None, key: str) -> tuple[bool, float | None]:
    """(hit, expires_at as a timestamp or None for a row that is gone). A cache failure is a miss."""
    if cache is None:
        return False, None
    try:
        raw = await cache.get(key)
    except Exception:  # the database is the truth: a cache outage only costs a query
        return False, None
    if raw is None:
        return False, None
    if raw == GONE:
        return True, None
    try:
        return True, float(raw)
    except ValueError:
        return False, None


async def _remember(cache: Cache | None, key: str, value: bytes, ttl: float) -> None:
    if cache is None or ttl <= 0:
        return
    try:
        await cache.set(key, value, ttl_seconds=ttl)
    except Exception:  # noqa: S110 - not caching only costs the next request a query
        pass


async def ensure_demo_session_active(
    demo_session_id: uuid.UUID,
    *,
    open_session: Callable[[], AsyncSession],
    cache: Cache | None,
    clock: Clock,
    settings: Settings,
) -> None:
    """Raise TOKEN_EXPIRED for an ended demo session and INVALID_TOKEN for one whose row is gone."""
    key = cache_key(demo_session_id)
    now = clock.now().timestamp()
    hit, expires_at = await _cached_expiry(cache, key)
    if not hit:
        async with open_session() as session:
            found = await session.scalar(
                select(col(DemoSession.expires_at)).where(col(DemoSession.id) == demo_session_id)
            )
        expires_at = None if found is None else _aware(found).timestamp()
        ttl = settings.auth.demo_check_cache_seconds
        if expires_at is None:
            await _remember(cache, key, GONE, ttl)
        else:
            await _remember(cache, key, repr(expires_at).encode(), min(ttl, max(0.0, expires_at - now)))
    if expires_at is None:
        raise InvalidTokenError(GONE_MESSAGE)
    if expires_at <= now:
        raise TokenExpiredError(EXPIRED_MESSAGE)


async def ensure_actor_active(
    actor: Actor | None,
    *,
    open_session: Callable[[], AsyncSession],
    cache: Cache | None,
    clock: Clock,
    settings: Settings,
) -> None:
    """The request-time check for any actor: only demo actors have a server-side session to consult."""
    if actor is not None and actor.kind == "demo" and actor.id is not None:
        await ensure_demo_session_active(
            actor.id, open_session=open_session, cache=cache, clock=clock, settings=settings
        )


async def end_demo_session(
    session: AsyncSession, demo_session_id: uuid.UUID, *, cache: Cache | None, clock: Clock
) -> bool:
    """End a demo session now (its token answers TOKEN_EXPIRED from the next request on, on every worker)."""
    result = await session.execute(
        update(DemoSession)
        .where(col(DemoSession.id) == demo_session_id)
        .values(expires_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    await session.commit()
    await forget_demo_session(cache, demo_session_id)
    return bool(getattr(result, "rowcount", 0))


async def forget_demo_session(cache: Cache | None, *demo_session_ids: uuid.UUID) -> None:
    """Drop cached demo-session states after a change (end, delete, cleanup job): call after the commit."""
    if cache is None or not demo_session_ids:
        return
    try:
        await cache.delete(*(cache_key(demo_id) for demo_id in demo_session_ids))
    except Exception:  # noqa: S110 - the entry dies with its short TTL anyway
        pass
