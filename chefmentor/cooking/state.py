"""The active-session snapshot: cached (Redis when configured), written through after each commit.

Correctness never depends on the cache: every write is an UPDATE guarded by `status = 'in_progress'`
(and by the previous `updated_at` when the change is read-modify-write, like timers), so a stale
snapshot can only cost a retry, never a lost update or an event on a finished session.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import CursorResult, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.cache import Cache
from chefmentor.cooking.models import CookingSession, SessionStatus
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
                return SessionState.from_bytes(raw)
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


async def write_state(session: AsyncSession, new: SessionState, *, previous_updated_at: datetime | None = None) -> None:
    """UPDATE the row only while it is still in progress (and unchanged since it was read, if asked)."""
    conditions = [col(CookingSession.id) == new.id, col(CookingSession.status) == SessionStatus.IN_PROGRESS]
    if previous_updated_at is not None:
        conditions.append(col(CookingSession.updated_at) == previous_updated_at)
    result = await session.execute(
        update(CookingSession)
        .where(*conditions)
        .values(
            status=new.status,
            current_step=new.current_step,
            paused_at=new.paused_at,
            completed_at=new.completed_at,
            timers=new.timers,
            updated_at=new.updated_at,
        )
        .execution_options(synchronize_session=False)
    )
    if not isinstance(result, CursorResult) or result.rowcount != 1:
        raise StaleSessionError(str(new.id))
