"""The request-time liveness check of an actor's server-side session (issue 17 #1), once per request.

Token verification alone is stateless; a demo token must also die when its `demo_sessions` row ends or is
deleted. server.deps calls `checked_actor` wherever it hands out an actor (the upload gate included).
"""

from __future__ import annotations

from starlette.requests import Request

from chefmentor.actor import Actor
from chefmentor.auth.demo_sessions import ensure_actor_active
from chefmentor.context import AppContext

SCOPE_ACTOR_CHECKED = "chefmentor.actor_checked"


async def checked_actor(request: Request, actor: Actor | None) -> Actor | None:
    """`actor` once its session is known to be alive (TOKEN_EXPIRED / INVALID_TOKEN otherwise)."""
    if actor is None or request.scope.get(SCOPE_ACTOR_CHECKED):
        return actor
    ctx: AppContext = request.app.state.ctx
    await ensure_actor_active(actor, open_session=ctx.sessions, cache=ctx.cache, clock=ctx.clock, settings=ctx.settings)
    request.scope[SCOPE_ACTOR_CHECKED] = True
    return actor
