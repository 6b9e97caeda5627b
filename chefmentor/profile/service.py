"""A cook's profile (signed-in user or the local CLI/TUI cook): habits they set, plus stats from their history."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.ai.types import UNKNOWN
from chefmentor.audit.service import record_audit
from chefmentor.auth.local import ensure_local_user_id, find_local_user_id
from chefmentor.clock import Clock
from chefmentor.cooking.history import count_sessions_by_status
from chefmentor.cooking.models import SessionStatus
from chefmentor.errors import DemoRestrictedError
from chefmentor.failure.queries import count_analyses, count_analyses_by_category
from chefmentor.profile.models import UserProfile
from chefmentor.profile.schemas import (
    CategoryCount,
    CookingHabits,
    CookingHabitsUpdate,
    CookingStats,
    ProfileRead,
)

TOP_CATEGORIES = 3


def _check_actor(actor: Actor) -> None:
    # Spec rule: demo sessions never persist a profile (a function split, hence 403 not 404).
    if actor.is_demo:
        raise DemoRestrictedError()


async def _owner_id(session: AsyncSession, actor: Actor, *, create: bool) -> uuid.UUID | None:
    """The users row a profile hangs on: the signed-in user, or the one local CLI/TUI cook."""
    if actor.kind == "local":
        return await ensure_local_user_id(session) if create else await find_local_user_id(session)
    return actor.user_id


async def _stored(session: AsyncSession, owner_id: uuid.UUID | None) -> UserProfile | None:
    if owner_id is None:
        return None
    return (await session.execute(select(UserProfile).where(col(UserProfile.user_id) == owner_id))).scalar_one_or_none()


async def compute_stats(session: AsyncSession, *, actor: Actor) -> CookingStats:
    """History stats over the actor's own sessions and analyses only."""
    by_status = await count_sessions_by_status(session, actor=actor)
    completed = by_status[SessionStatus.COMPLETED]
    abandoned = by_status[SessionStatus.ABANDONED]
    ended = completed + abandoned
    categories = await count_analyses_by_category(session, actor=actor)
    top = [CategoryCount(category=c, count=n) for c, n in categories.items() if c != UNKNOWN][:TOP_CATEGORIES]
    return CookingStats(
        sessions_cooked=sum(by_status.values()),
        sessions_completed=completed,
        sessions_abandoned=abandoned,
        sessions_in_progress=by_status[SessionStatus.IN_PROGRESS],
        # Sessions still in progress are not failures yet, so the rate is over ended sessions.
        completion_rate=round(completed / ended, 3) if ended else None,
        analyses_count=await count_analyses(session, actor=actor),
        most_common_failure_categories=top,
    )


async def get_profile(session: AsyncSession, *, actor: Actor) -> ProfileRead:
    """The actor's habits and history stats.

    A demo session has no saved profile (the spec restricts persistence, not reading): it reads the default
    habits, marked not editable, with the stats of its own sessions and analyses.
    """
    if actor.is_demo:
        return ProfileRead(
            cooking_habits=CookingHabits(), stats=await compute_stats(session, actor=actor), editable=False
        )
    row = await _stored(session, await _owner_id(session, actor, create=False))
    return ProfileRead(
        cooking_habits=CookingHabits.from_stored(row.cooking_habits if row else None),
        stats=await compute_stats(session, actor=actor),
        updated_at=row.updated_at if row else None,
    )


async def update_profile(
    session: AsyncSession,
    *,
    actor: Actor,
    habits: CookingHabitsUpdate,
    clock: Clock,
    request_id: str | None = None,
) -> ProfileRead:
    """Change only the five habit fields the cook sent (others keep their value); demo → DEMO_RESTRICTED."""
    _check_actor(actor)
    changes = habits.model_dump(exclude_unset=True, exclude_none=True)
    for _attempt in range(2):
        owner_id = await _owner_id(session, actor, create=True)
        assert owner_id is not None  # noqa: S101 - users exist; the local cook was just ensured
        row = await _stored(session, owner_id)
        current = CookingHabits.from_stored(row.cooking_habits if row else None)
        merged = current.model_copy(update=changes)
        changed = sorted(k for k in changes if getattr(current, k) != getattr(merged, k))
        if row is not None and not changed:
            break
        now = clock.now()
        stored = merged.model_dump(by_alias=True, mode="json")
        if row is None:
            row = UserProfile(user_id=owner_id, cooking_habits=stored, updated_at=now)
            session.add(row)
        else:
            row.cooking_habits = stored
            row.updated_at = now
        record_audit(
            session,
            entity="user_profile",
            action="updated",
            entity_id=row.id,
            actor=actor,
            request_id=request_id,
            details={"fields": [CookingHabits.model_fields[k].alias or k for k in changed]},
        )
        try:
            await session.commit()
        except IntegrityError:
            # Two first saves raced on the unique user_id: re-read the winner and apply on top of it.
            await session.rollback()
            continue
        break
    return await get_profile(session, actor=actor)
