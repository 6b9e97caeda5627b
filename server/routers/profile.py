"""GET/PUT /api/profile: the cook's habits and history stats.

A demo session reads its unsaved profile (default habits, its own stats, `editable: false`); saving stays for
signed-in users (PUT with a demo token → 403 DEMO_RESTRICTED).
"""

from __future__ import annotations

from fastapi import APIRouter

from chefmentor.profile import service
from chefmentor.profile.schemas import ProfileRead, ProfileUpdate
from server.deps import ActorDep, CtxDep, DbDep, RequestIdDep, UserActorDep
from server.openapi_errors import errors

router = APIRouter(prefix="/api/profile", tags=["profile"])


@router.get("", operation_id="profile_get", response_model=ProfileRead)
async def get_profile(db: DbDep, actor: ActorDep) -> ProfileRead:
    """Your cooking habits and stats: sessions cooked, completion rate, most common failure categories.
    A demo session gets default habits (not editable) with the stats of its own sessions."""
    return await service.get_profile(db, actor=actor)


@router.put("", operation_id="profile_update", response_model=ProfileRead, responses=errors("DEMO_RESTRICTED"))
async def update_profile(
    body: ProfileUpdate, db: DbDep, ctx: CtxDep, actor: UserActorDep, request_id: RequestIdDep
) -> ProfileRead:
    """Set your habits; only skillLevel, dietaryPreferences, equipment, preferredUnits and voiceEnabled are
    writable, and fields you omit keep their value."""
    return await service.update_profile(
        db, actor=actor, habits=body.cooking_habits, clock=ctx.clock, request_id=request_id
    )
