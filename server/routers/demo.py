"""POST /api/demo/start: a 24-hour demo session without sign-in."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Response

from chefmentor.auth import service
from chefmentor.auth.schemas import DemoStartResponse
from server import side_effects
from server.deps import CtxDep, DbDep, RequestIdDep

router = APIRouter(prefix="/api/demo", tags=["demo"])
RATE_LIMIT = "demo_start"  # demo tokens are free: creation is limited tightly per client IP
RATE_LIMIT_KEY = "ip"


@router.post("/start", operation_id="demo_start", response_model=DemoStartResponse, status_code=201)
async def start_demo(
    response: Response, background: BackgroundTasks, db: DbDep, ctx: CtxDep, request_id: RequestIdDep
) -> DemoStartResponse:
    """Create a demo session; its bearer token can browse, cook and analyze until it expires."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    started = await service.start_demo(db, settings=ctx.settings, clock=ctx.clock, request_id=request_id)
    side_effects.demo_started(background, ctx, started)
    return started
