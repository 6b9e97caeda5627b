"""The active-session snapshot: cached (Redis when configured), written through after each commit.

Correctness never depends on the cache: every write is guarded by `status = 'in_progress'` and by the
`updated_at` the snapshot was read with (optimistic concurrency) — the snapshot UPDATE and the event
INSERT alike. A stale snapshot (another worker wrote first, a cache write that failed or stalled)
therefore writes nothing and costs one retry from the database, never a lost update, an event decided on
an old state, or an event on a finished session. Changes other than step events (navigation, timers,
pause/resume, complete) are decided on the row read from the database under a lock, never on the cache.
"""

from __future__ import annotations

import asyncio
import uuid
import weakref
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import CursorResult, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.actor import Actor
from chefmentor.cache import BoundedMemo, Cache
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus
from chefmentor.errors import ConflictError, NotFoundError

CACHE_PREFIX = "cooking:session:"
ACTIVE_TTL_SECONDS = 12 * 3600
SESSION_NOT_FOUND = "Cooking session not found"
_SESSIONS: Any = CookingSession.__table__  # type: ignore[attr-defined]
_EVENTS: Any = CookingStepEvent.__table__  # type: ignore[attr-defined]


class StaleSessionError(Exception):
    """The guarded UPDATE matched no row: the snapshot was stale (retry) or the session ended."""


@dataclass(slots=True)
class SessionState:
    id: uuid.UUID
    user_id: uuid.UUID | None
    demo_session_id: uuid.UUID | None
    recipe_id: uuid.UUID
    status: SessionStatus
    current_step: int
    started_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    paused_at: datetime | None = None
    timers: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_row(cls, row: Any) -> SessionState:
        """From a CookingSession or a Core row of cooking_sessions (same attribute names)."""
        return cls(
            id=row.id,
            user_id=row.user_id,
            demo_session_id=row.demo_session_id,
            recipe_id=row.recipe_id,
            status=SessionStatus(row.status),
            current_step=row.current_step,
            started_at=row.started_at,
            updated_at=row.updated_at,
            completed_at=row.completed_at,
            paused_at=row.paused_at,
            timers=list(row.timers or []),
        )

    def to_bytes(self) -> bytes:
        return orjson.dumps(
            {
                "id": str(self.id),
                "userId": str(self.user_id) if self.user_id else None,
                "demoSessionId": str(self.demo_session_id) if self.demo_session_id else None,
                "recipeId": str(self.recipe_id),
                "status": self.status.value,
                "currentStep": self.current_step,
                "startedAt": self.started_at.isoformat(),
                "updatedAt": self.updated_at.isoformat(),
                "completedAt": self.completed_at.isoformat() if self.completed_at else None,
                "pausedAt": self.paused_at.isoformat() if self.paused_at else None,
                "timers": self.timers,
            }
        )

    @classmethod
    def from_bytes(cls, raw: bytes) -> SessionState:
        data = orjson.loads(raw)

        def ts(key: str) -> datetime | None:
            value = data.get(key)
            return datetime.fromisoformat(value) if value else None

        return cls(
            id=uuid.UUID(data["id"]),
            user_id=uuid.UUID(data["userId"]) if data.get("userId") else None,
            demo_session_id=uuid.UUID(data["demoSessionId"]) if data.get("demoSessionId") else None,
            recipe_id=uuid.UUID(data["recipeId"]),
            status=SessionStatus(data["status"]),
            current_step=int(data["currentStep"]),
            started_at=datetime.fromisoformat(data["startedAt"]),
            updated_at=datetime.fromisoformat(data["updatedAt"]),
            completed_at=ts("completedAt"),
            paused_at=ts("pausedAt"),
            timers=list(data.get("timers") or []),
        )

    def copy(self, **changes: Any) -> SessionState:
        return replace(self, **changes)

    def clone(self) -> SessionState:
        """A copy whose timers can be changed without changing this one's."""
        clone = SessionState(*[getattr(self, name) for name in _FIELD_NAMES])
        clone.timers = [dict(timer) for timer in self.timers]
        return clone


_FIELD_NAMES = tuple(f.name for f in fields(SessionState))
# Parsing a cached snapshot (JSON, three UUIDs, timestamps) was ~2% of a step event's CPU, and a cook's
# snapshot bytes only change when the session does: each distinct snapshot is parsed once.
PARSED_SNAPSHOTS = 4096
_parsed: BoundedMemo[bytes, SessionState] = BoundedMemo(PARSED_SNAPSHOTS)


def state_from_cache(raw: bytes) -> SessionState:
    """The snapshot in `raw`; the caller's own copy (the parsed one stays untouched)."""
    return _parsed.get_or_compute(raw, SessionState.from_bytes).clone()


def cache_key(session_id: uuid.UUID) -> str:
    return f"{CACHE_PREFIX}{session_id}"


async def remember(cache: Cache, state: SessionState) -> None:
    """Cache an in-progress session; a finished one is dropped (only active sessions are cached)."""
    if state.status is SessionStatus.IN_PROGRESS:
        await cache.set(cache_key(state.id), state.to_bytes(), ACTIVE_TTL_SECONDS)
    else:
        await cache.delete(cache_key(state.id))


async def forget(cache: Cache, session_id: uuid.UUID) -> None:
    await cache.delete(cache_key(session_id))


async def load_state(
    session: AsyncSession, *, cache: Cache, session_id: uuid.UUID, cached: bool = False, for_update: bool = False
) -> SessionState | None:
    """The session snapshot from the database (caching it when active).

    `cached` takes the cached snapshot when there is one: only for a caller whose write is guarded by the
    snapshot's version (step events). `for_update` also locks the row until the transaction ends
    (PostgreSQL), so a decision taken on it cannot be overtaken by a concurrent change.
    """
    if cached and not for_update:
        raw = await cache.get(cache_key(session_id))
        if raw is not None:
            try:
                return state_from_cache(raw)
            except (ValueError, KeyError, TypeError):
                await forget(cache, session_id)  # a corrupt entry must not wedge the session
    statement = select(_SESSIONS).where(_SESSIONS.c.id == session_id)
    if for_update:
        statement = statement.with_for_update()
    row = (await (await session.connection()).execute(statement)).first()
    if row is None:
        return None
    state = SessionState.from_row(row)
    if not for_update:  # a locked read is about to be changed: the writer caches the result
        await remember(cache, state)
    return state


async def owned_state(
    session: AsyncSession,
    *,
    cache: Cache,
    actor: Actor,
    session_id: uuid.UUID,
    cached: bool = False,
    for_update: bool = False,
) -> SessionState:
    """Another actor's session is NOT_FOUND, exactly like an unknown id (OWASP API1)."""
    state = await load_state(session, cache=cache, session_id=session_id, cached=cached, for_update=for_update)
    if state is None or not actor.owns(state):
        raise NotFoundError(SESSION_NOT_FOUND)
    return state


def require_in_progress(state: SessionState) -> None:
    if state.status is not SessionStatus.IN_PROGRESS:
        raise ConflictError(f"This cooking session is {state.status.value}: start a new one to keep cooking")


_IN_PROGRESS = _SESSIONS.c.status == SessionStatus.IN_PROGRESS
_CURRENT = sa.and_(
    _SESSIONS.c.id == sa.bindparam("w_id", type_=sa.Uuid()),
    _IN_PROGRESS,
    _SESSIONS.c.updated_at == sa.bindparam("w_version", type_=_SESSIONS.c.updated_at.type),
)
_STATE_COLUMNS = ("status", "current_step", "paused_at", "completed_at", "timers", "updated_at")
# Only while the row is in progress and still at the version the snapshot was read with.
_UPDATE = update(_SESSIONS).where(_CURRENT).values({name: sa.bindparam(f"v_{name}") for name in _STATE_COLUMNS})
# The event row only while the snapshot it was decided on is still the session's current version.
_GUARDED_INSERT = insert(_EVENTS).from_select(
    [c.name for c in _EVENTS.columns],
    select(*[sa.bindparam(f"e_{c.name}", type_=c.type).label(c.name) for c in _EVENTS.columns]).where(
        exists().where(_CURRENT)
    ),
)


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else -1


def _state_params(new: SessionState, previous_updated_at: datetime) -> dict[str, Any]:
    return {
        "w_id": new.id,
        "w_version": previous_updated_at,
        **{f"v_{name}": getattr(new, name) for name in _STATE_COLUMNS},
    }


async def write_state(session: AsyncSession, new: SessionState, *, previous_updated_at: datetime) -> None:
    """UPDATE the row only while it is in progress and unchanged since it was read (else StaleSessionError)."""
    connection = await session.connection()
    if _rowcount(await connection.execute(_UPDATE, _state_params(new, previous_updated_at))) != 1:
        raise StaleSessionError(str(new.id))


_SQLITE_WRITE_LOCKS: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()


def write_lock(session: AsyncSession) -> AbstractAsyncContextManager[Any]:
    """On SQLite, serialise this process's read-decide-write units.

    SQLite allows one writer; two transactions that both read and then write meet SQLITE_BUSY, and a
    deferred transaction that must upgrade its lock fails at once instead of waiting. PostgreSQL needs no
    lock: its writers take row locks (SELECT ... FOR UPDATE) and the version guard catches the rest.
    """
    bind = session.bind
    if bind is None or bind.dialect.name != "sqlite":
        return nullcontext()
    engine = getattr(bind, "sync_engine", bind)
    lock = _SQLITE_WRITE_LOCKS.get(engine)
    if lock is None:
        lock = _SQLITE_WRITE_LOCKS[engine] = asyncio.Lock()
    return lock


async def save_event(
    session: AsyncSession,
    *,
    new: SessionState,
    event_row: dict[str, Any],
    state_changed: bool,
    previous_updated_at: datetime,
) -> None:
    """Add one step event (and the new snapshot when it changed) to the session's open transaction.

    Both statements are guarded by the version the snapshot was read with, so an event decided on a
    stale snapshot (a cache entry older than the database) writes nothing and raises StaleSessionError;
    the caller retries from the database. The caller commits, and acknowledges only after the commit.
    """
    connection = await session.connection()
    if state_changed:
        await write_state(session, new, previous_updated_at=previous_updated_at)
        await connection.execute(insert(_EVENTS), event_row)
        return
    params = {f"e_{name}": value for name, value in event_row.items()}
    params.update(w_id=new.id, w_version=previous_updated_at)
    if _rowcount(await connection.execute(_GUARDED_INSERT, params)) != 1:
        raise StaleSessionError(str(new.id))
