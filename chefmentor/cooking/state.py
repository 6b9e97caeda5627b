"""The active-session snapshot: cached (Redis when configured), written through after each commit.

Correctness never depends on the cache: every snapshot write is an UPDATE guarded by
`status = 'in_progress'` and by the `updated_at` it was read with (optimistic concurrency), and an
event that changes nothing else is an INSERT guarded by the status. A stale snapshot (another worker
wrote first, a lost cache write) therefore costs one retry from the database, never a lost update or an
event on a finished session; and because a successful write proves the snapshot was current, writing
it through to the cache afterwards is safe.
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
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.cache import BoundedMemo, Cache
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus
from chefmentor.db.direct import execute_autocommit
from chefmentor.db.engine import autocommit_engine
from chefmentor.errors import ConflictError, NotFoundError

CACHE_PREFIX = "cooking:session:"
ACTIVE_TTL_SECONDS = 12 * 3600
SESSION_NOT_FOUND = "Cooking session not found"


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
    def from_row(cls, row: CookingSession) -> SessionState:
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
    session: AsyncSession, *, cache: Cache, session_id: uuid.UUID, fresh: bool = False
) -> SessionState | None:
    """The session snapshot from cache, else from the database (caching it when active)."""
    if not fresh:
        raw = await cache.get(cache_key(session_id))
        if raw is not None:
            try:
                return state_from_cache(raw)
            except (ValueError, KeyError, TypeError):
                await forget(cache, session_id)  # a corrupt entry must not wedge the session
    row = (
        await session.execute(select(CookingSession).where(col(CookingSession.id) == session_id))
    ).scalar_one_or_none()
    if row is None:
        return None
    state = SessionState.from_row(row)
    await remember(cache, state)
    return state


async def owned_state(
    session: AsyncSession, *, cache: Cache, actor: Actor, session_id: uuid.UUID, fresh: bool = False
) -> SessionState:
    """Another actor's session is NOT_FOUND, exactly like an unknown id (OWASP API1)."""
    state = await load_state(session, cache=cache, session_id=session_id, fresh=fresh)
    if state is None or not actor.owns(state):
        raise NotFoundError(SESSION_NOT_FOUND)
    return state


def require_in_progress(state: SessionState) -> None:
    if state.status is not SessionStatus.IN_PROGRESS:
        raise ConflictError(f"This cooking session is {state.status.value}: start a new one to keep cooking")


_SESSIONS: Any = CookingSession.__table__  # type: ignore[attr-defined]
_EVENTS: Any = CookingStepEvent.__table__  # type: ignore[attr-defined]
_IN_PROGRESS = _SESSIONS.c.status == SessionStatus.IN_PROGRESS


def _build_update() -> Any:
    conditions = [
        _SESSIONS.c.id == sa.bindparam("w_id"),
        _IN_PROGRESS,
        _SESSIONS.c.updated_at == sa.bindparam("w_version"),
    ]
    columns = ("status", "current_step", "paused_at", "completed_at", "timers", "updated_at")
    return update(_SESSIONS).where(*conditions).values({name: sa.bindparam(f"v_{name}") for name in columns})


def _event_binds() -> list[Any]:
    return [sa.bindparam(f"e_{c.name}", type_=c.type).label(c.name) for c in _EVENTS.columns]


def _build_guarded_insert(*, relaxed: bool) -> Any:
    in_progress = exists().where(_SESSIONS.c.id == sa.bindparam("w_id", type_=sa.Uuid()), _IN_PROGRESS)
    source = select(*_event_binds()).where(in_progress)
    if relaxed:
        source = source.where(_RELAX_COMMIT)
    return insert(_EVENTS).from_select([c.name for c in _EVENTS.columns], source)


def _build_update_then_insert() -> Any:
    """PostgreSQL: the guarded UPDATE and the event INSERT as ONE statement (a data-modifying CTE)."""
    updated = _build_update().returning(_SESSIONS.c.id).cte("updated")
    source = select(*_event_binds()).select_from(updated).where(_RELAX_COMMIT)
    return insert(_EVENTS).from_select([c.name for c in _EVENTS.columns], source)


# Step events are telemetry sent many times per cook: waiting ~4 ms for the WAL flush on each one
# dominated the endpoint. synchronous_commit=off for just that transaction (set inside the statement,
# so no extra round trip) can lose the last few hundred ms of events on a database crash, never
# corrupts anything, and the client's eventId makes re-sending safe. Audit rows never take this path.
_RELAX_COMMIT = sa.func.set_config("synchronous_commit", "off", True).is_not(None)


# Built once: the hot path then skips statement construction and cache-key generation per request.
_UPDATE = _build_update()
_GUARDED_INSERT = _build_guarded_insert(relaxed=False)
_PG_GUARDED_INSERT = _build_guarded_insert(relaxed=True)
_PG_UPDATE_THEN_INSERT = _build_update_then_insert()


def _rowcount(result: Any) -> int:
    return int(result.rowcount) if isinstance(result, CursorResult) else -1


async def write_state(session: AsyncSession, new: SessionState, *, previous_updated_at: datetime) -> None:
    """UPDATE the row only while it is in progress and unchanged since it was read (else StaleSessionError)."""
    params = {**_state_params(new), "w_version": previous_updated_at}
    connection = await session.connection()
    if _rowcount(await connection.execute(_UPDATE, params)) != 1:
        raise StaleSessionError(str(new.id))


_SQLITE_WRITE_LOCKS: weakref.WeakKeyDictionary[Any, asyncio.Lock] = weakref.WeakKeyDictionary()


def write_lock(session: AsyncSession) -> AbstractAsyncContextManager[Any]:
    """On SQLite, serialise this process's write transactions.

    SQLite allows one writer; concurrent writers otherwise meet SQLITE_BUSY and back off (sleeps that grow
    to 50 ms, chefmentor/db/sqlite_inline.py), which turns a 2 ms write into a long p99 under 32 connections.
    PostgreSQL needs no lock.
    """
    bind = session.bind
    if bind is None or bind.dialect.name != "sqlite":
        return nullcontext()
    engine = getattr(bind, "sync_engine", bind)
    lock = _SQLITE_WRITE_LOCKS.get(engine)
    if lock is None:
        lock = _SQLITE_WRITE_LOCKS[engine] = asyncio.Lock()
    return lock


def _state_params(new: SessionState) -> dict[str, Any]:
    return {
        "w_id": new.id,
        "v_status": new.status,
        "v_current_step": new.current_step,
        "v_paused_at": new.paused_at,
        "v_completed_at": new.completed_at,
        "v_timers": new.timers,
        "v_updated_at": new.updated_at,
    }


async def save_event(
    session: AsyncSession,
    *,
    new: SessionState,
    event_row: dict[str, Any],
    state_changed: bool,
    previous_updated_at: datetime,
) -> None:
    """Persist one step event (and the new snapshot when it changed) only while the session is in progress.

    PostgreSQL: one statement in autocommit (an atomic unit on its own), outside the session unless a
    transaction is already open, so the whole write is one round trip. SQLite (under the process write
    lock): a guarded INSERT on its own likewise, or UPDATE + INSERT in the session's transaction.
    Raises StaleSessionError when the guard matched nothing; the caller commits if a transaction is open.
    """
    params = {f"e_{name}": value for name, value in event_row.items()}
    bind = session.bind
    if bind is not None and bind.dialect.name == "postgresql":
        params.update(_state_params(new))
        params["w_version"] = previous_updated_at
        statement = _PG_UPDATE_THEN_INSERT if state_changed else _PG_GUARDED_INSERT
        engine = autocommit_engine(session)
        # After a cache miss the snapshot SELECT already opened a transaction: the statement joins it.
        if engine is None or session.in_transaction():
            rowcount = _rowcount(await (await session.connection()).execute(statement, params))
        else:
            rowcount = await execute_autocommit(engine, statement, params)
        if rowcount != 1:
            raise StaleSessionError(str(new.id))
        return
    params["w_id"] = new.id
    if not state_changed and isinstance(bind, AsyncEngine) and not session.in_transaction():
        # One guarded INSERT, atomic on its own: no session transaction (~15% of a SQLite step event).
        if await execute_autocommit(bind, _GUARDED_INSERT, params) != 1:
            raise StaleSessionError(str(new.id))
        return
    # Core statements go to the connection: Session.execute adds ORM bookkeeping (~15% of a step event).
    connection = await session.connection()
    if state_changed:
        await write_state(session, new, previous_updated_at=previous_updated_at)
        await connection.execute(insert(_EVENTS), event_row)
        return
    if _rowcount(await connection.execute(_GUARDED_INSERT, params)) != 1:
        raise StaleSessionError(str(new.id))
