"""GET/PUT /api/profile: the signed-in cook's habits and history stats (demo sessions → 403 DEMO_RESTRICTED)."""

from __future__ import annotations

from fastapi import APIRouter

from chefmentor.profile import service
from chefmentor.profile.schemas import ProfileRead, ProfileUpdate
from server.deps import CtxDep, DbDep, RequestIdDep, UserActorDep
from server.errors import AUTH_ERROR_RESPONSES

router = APIRouter(prefix="/api/profile", tags=["profile"])


@router.get("", response_model=ProfileRead, responses=AUTH_ERROR_RESPONSES)
async def get_profile(db: DbDep, actor: UserActorDep) -> ProfileRead:
    """Your cooking habits and stats: sessions cooked, completion rate, most common failure categories."""
    return await service.get_profile(db, actor=actor)


@router.put("", response_model=ProfileRead, responses=AUTH_ERROR_RESPONSES)
async def update_profile(
    body: ProfileUpdate, db: DbDep, ctx: CtxDep, actor: UserActorDep, request_id: RequestIdDep
) -> ProfileRead:
    """Set your habits; only skillLevel, dietaryPreferences, equipment, preferredUnits and voiceEnabled are
    writable, and fields you omit keep their value."""
    return await service.update_profile(
        db, actor=actor, habits=body.cooking_habits, clock=ctx.clock, request_id=request_id
    )
