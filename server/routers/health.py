"""/health (liveness with real checks) and /health/ready (readiness for load balancers).

Choice (spec/security.md §6): Redis down → /health answers 200 "degraded" (the server still serves from the
DB and memory), /health/ready answers 503 so an orchestrator can route around it; DB down → 503 on both.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text

from chefmentor.context import AppContext
from server.deps import CtxDep

router = APIRouter(tags=["health"])
RATE_LIMIT = None
CHECK_TIMEOUT_SECONDS = 2.0
RETRY_AFTER_SECONDS = 5

PartState = Literal["ok", "down", "disabled"]


class HealthRead(BaseModel):
    status: Literal["ok", "degraded", "down"]
    db: PartState
    redis: PartState


async def _db_state(ctx: AppContext) -> PartState:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            async with ctx.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    except Exception:
        return "down"
    return "ok"


async def _redis_state(ctx: AppContext) -> PartState:
    if not ctx.settings.redis.url:
        return "disabled"
    if ctx.redis is None:
        return "ok" if await ctx.cache.ping() else "down"
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_SECONDS):
            return "ok" if await ctx.redis.ping() else "down"
    except Exception:
        return "down"


async def _check(ctx: AppContext) -> HealthRead:
    db, redis = await asyncio.gather(_db_state(ctx), _redis_state(ctx))
    status: Literal["ok", "degraded", "down"] = "ok"
    if db == "down":
        status = "down"
    elif redis == "down":
        status = "degraded"
    return HealthRead(status=status, db=db, redis=redis)


def _answer(health: HealthRead, *, ready: bool) -> JSONResponse:
    failing = health.db == "down" or (ready and health.redis == "down")
    if failing:
        return JSONResponse(health.model_dump(), status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    return JSONResponse(health.model_dump())


HEALTH_RESPONSES: dict[int | str, dict[str, object]] = {
    503: {"model": HealthRead, "description": "A configured part is down"}
}


@router.get("/health", operation_id="health_get", response_model=HealthRead, responses=HEALTH_RESPONSES)
async def get_health(ctx: CtxDep) -> JSONResponse:
    """200 ok/degraded while the database answers; 503 when it does not."""
    return _answer(await _check(ctx), ready=False)


@router.get("/health/ready", operation_id="health_ready", response_model=HealthRead, responses=HEALTH_RESPONSES)
async def get_readiness(ctx: CtxDep) -> JSONResponse:
    """200 only when every configured part (database, Redis) answers."""
    return _answer(await _check(ctx), ready=True)
