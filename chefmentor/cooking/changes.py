"""One mutation of an in-progress session as a unit of work: new snapshot + events + audit, one commit.

Used by complete/abandon in service.py and by every navigation/timer/pause helper in navigation.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.actor import Actor
from chefmentor.audit.service import record_audit
from chefmentor.cache import Cache
from chefmentor.clock import Clock
from chefmentor.cooking.models import CookingStepEvent, StepEventKind
from chefmentor.cooking.schemas import StepEventRead
from chefmentor.cooking.state import (
    SessionState,
    StaleSessionError,
    owned_state,
    remember,
    require_in_progress,
    write_lock,
    write_state,
)
from chefmentor.errors import ConflictError, ValidationError
from chefmentor.recipes.schemas import RecipeRead
from chefmentor.recipes.service import get_recipe_shared

MAX_ATTEMPTS = 3
EVENTS_TABLE: Any = CookingStepEvent.__table__  # type: ignore[attr-defined]


@dataclass(slots=True)
class NewEvent:
    step_number: int
    event: StepEventKind
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)
    client_event_id: str | None = None
    id: uuid.UUID = field(default_factory=uuid.uuid4)

    def read(self) -> StepEventRead:
        return StepEventRead(
            id=self.id,
            step_number=self.step_number,
            event=self.event,
            at=self.at,
            event_id=self.client_event_id,
            data=self.data,
        )


@dataclass(slots=True)
class Change:
    """What a mutation decided: the new snapshot, the events to insert, and the audit action if any."""

    state: SessionState
    events: list[NewEvent] = field(default_factory=list)
    audit_action: str | None = None
    result: Any = None


async def load_recipe(session: AsyncSession, recipe_id: uuid.UUID, *, cache: Cache) -> RecipeRead:
    return await get_recipe_shared(session, recipe_id, cache=cache)


def event_kind(value: StepEventKind | str) -> StepEventKind:
    try:
        return StepEventKind(value)
    except ValueError:
        allowed = ", ".join(kind.value for kind in StepEventKind)
        raise ValidationError(f"event must be one of: {allowed}") from None


def event_row(session_id: uuid.UUID, event: NewEvent, now: datetime) -> dict[str, Any]:
    return {
        "id": event.id,
        "session_id": session_id,
        "step_number": event.step_number,
        "event": event.event,
        "at": event.at,
        "client_event_id": event.client_event_id,
        "data": event.data,
        "created_at": now,
        "answer": None,
    }


async def apply_change(
    session: AsyncSession,
    *,
    actor: Actor,
    session_id: uuid.UUID,
    cache: Cache,
    clock: Clock,
    decide: Callable[[SessionState, RecipeRead, datetime], Change | Awaitable[Change]],
    request_id: str | None = None,
) -> tuple[Change, RecipeRead, datetime]:
    """Run one mutation of an in-progress session as a single unit of work, decided on the database row.

    The row is read under a lock (PostgreSQL: SELECT ... FOR UPDATE; SQLite: the process write lock) and
    never from the cache, so no decision (pause, resume, a step, a timer) rests on a snapshot older than the
    database; the version-guarded UPDATE still catches another process on SQLite (retried). The answer is
    given after the commit; the cache is written through afterwards.
    """
    for _attempt in range(MAX_ATTEMPTS):
        try:
            async with write_lock(session):
                state = await owned_state(session, cache=cache, actor=actor, session_id=session_id, for_update=True)
                require_in_progress(state)
                recipe = await load_recipe(session, state.recipe_id, cache=cache)
                now = clock.now()
                decided = decide(state, recipe, now)
                change = decided if isinstance(decided, Change) else await decided
                if change.state is state and not change.events and not change.audit_action:
                    await session.commit()  # nothing changed (e.g. pausing a paused session): release the lock
                    await remember(cache, state)
                    return change, recipe, now
                await write_state(session, change.state, previous_updated_at=state.updated_at)
                if change.events:
                    await session.execute(insert(EVENTS_TABLE), [event_row(state.id, e, now) for e in change.events])
                if change.audit_action:
                    record_audit(
                        session,
                        entity="cooking_session",
                        action=change.audit_action,
                        entity_id=state.id,
                        actor=actor,
                        request_id=request_id,
                        details={"recipeId": str(state.recipe_id), "step": change.state.current_step},
                    )
                await session.commit()
        except StaleSessionError:
            await session.rollback()
            continue
        except BaseException:
            await session.rollback()
            raise
        await remember(cache, change.state)
        return change, recipe, now
    raise ConflictError("The cooking session changed while saving: try again")
