"""Read-only views of the actor's cooking history: recorded events and per-status counts."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.cache import Cache
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus, StepEventKind
from chefmentor.cooking.schemas import StepEventRead
from chefmentor.cooking.state import owned_state


async def list_step_events(
    session: AsyncSession, *, actor: Actor, session_id: uuid.UUID, cache: Cache
) -> list[StepEventRead]:
    """The recorded events of the actor's session in time order; another actor's session is NOT_FOUND."""
    state = await owned_state(session, cache=cache, actor=actor, session_id=session_id)
    rows = await session.scalars(
        select(CookingStepEvent)
        .where(col(CookingStepEvent.session_id) == state.id)
        .order_by(col(CookingStepEvent.at), col(CookingStepEvent.created_at), col(CookingStepEvent.id))
    )
    return [
        StepEventRead(
            id=row.id,
            step_number=row.step_number,
            event=StepEventKind(row.event),
            at=row.at,
            event_id=row.client_event_id,
            data=row.data or {},
        )
        for row in rows
    ]


async def count_sessions_by_status(session: AsyncSession, *, actor: Actor) -> dict[SessionStatus, int]:
    """How many of the actor's own sessions are in each status (for profile stats)."""
    rows = await session.execute(
        select(col(CookingSession.status), func.count())
        .where(actor.owner_filter(CookingSession))
        .group_by(col(CookingSession.status))
    )
    counts = dict.fromkeys(SessionStatus, 0)
    for status, count in rows.all():
        counts[SessionStatus(status)] = int(count)
    return counts
