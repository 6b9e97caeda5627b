"""Request dependencies as Annotated aliases: CtxDep, DbDep, ActorDep, OptionalActorDep, RequestIdDep.

Every dependency is `async def`: FastAPI runs plain `def` dependencies in the thread pool, a thread hop
that cost ~1 ms per request on the hot paths. They take the Request and nothing else where they can:
FastAPI solves a dependency's own dependencies again on every use, before looking at its per-request
cache, so chains (actor → ctx, rate limit → actor → ctx) cost one solver pass per link and per use
(~25% of a step event's CPU). The actor is kept in the ASGI scope instead, resolved once per request.

Each dependency still costs FastAPI 0.165 ~40 µs of solving per request, so the hottest routes (recipe
reads, step events) take the Request and call the plain helpers below (ctx_of, actor_of, read_engine,
request_session) instead of declaring one dependency per resource.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from chefmentor.actor import Actor
from chefmentor.auth.service import resolve_actor
from chefmentor.context import AppContext
from chefmentor.db.engine import autocommit_engine_of
from chefmentor.errors import InvalidTokenError, UnauthorizedError
from server.middleware import SCOPE_DB_SESSIONS, request_id_of


def ctx_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


async def get_ctx(request: Request) -> AppContext:
    return ctx_of(request)


CtxDep = Annotated[AppContext, Depends(get_ctx)]


def request_session(request: Request) -> AsyncSession:
    """One session per request, closed by RequestContextMiddleware once the response is sent.

    Not a `yield` dependency: FastAPI's generator machinery plus an unconditional close() cost ~100 µs per
    request, and a session that only served cache hits never took a connection, so there is nothing to close.
    """
    session = ctx_of(request).sessions()
    request.scope.setdefault(SCOPE_DB_SESSIONS, []).append(session)
    return session


async def get_db(request: Request) -> AsyncSession:
    return request_session(request)


DbDep = Annotated[AsyncSession, Depends(get_db)]


def read_engine(ctx: AppContext) -> AsyncEngine:
    """The engine for routes that only read, used without an ORM session: on PostgreSQL in autocommit,
    so no BEGIN/ROLLBACK round trips; a connection is taken per statement, and only on a cache miss.

    Each loopback round trip to PostgreSQL cost ~0.3-0.8 ms of server CPU here, and a session ~0.2 ms
    more (bench/api.py). SQLite keeps its normal engine: there autocommit adds a PRAGMA per checkout.
    Never use it for writes: nothing would be transactional.
    """
    return autocommit_engine_of(ctx.sessions) or ctx.engine


async def get_request_id(request: Request) -> str:
    return request_id_of(request.scope) or ""


RequestIdDep = Annotated[str, Depends(get_request_id)]


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidTokenError("Authorization header must be `Bearer <token>`")
    return token.strip()


SCOPE_ACTOR = "chefmentor.actor"


def actor_of(request: Request) -> Actor | None:
    """The caller's actor, or None without credentials; bad credentials are a 401, never ignored.

    Resolved once per request: the rate limiter and the route share it through the scope.
    """
    scope = request.scope
    if SCOPE_ACTOR in scope:
        cached: Actor | None = scope[SCOPE_ACTOR]
        return cached
    token = bearer_token(request)
    ctx = ctx_of(request)
    actor = None if token is None else resolve_actor(token, settings=ctx.settings, clock=ctx.clock)
    scope[SCOPE_ACTOR] = actor
    scope["chefmentor.actor_kind"] = actor.kind if actor else "anonymous"  # for the access log
    return actor


async def get_optional_actor(request: Request) -> Actor | None:
    return actor_of(request)


OptionalActorDep = Annotated[Actor | None, Depends(get_optional_actor)]


async def get_actor(request: Request) -> Actor:
    """A signed-in user or a demo session, else 401. OpenAPI declares the bearer scheme on every route that
    depends on this (server/openapi_security.py) rather than through a per-request security dependency."""
    actor = actor_of(request)
    if actor is None:
        raise UnauthorizedError("Sign in (POST /api/auth/google) or start a demo (POST /api/demo/start)")
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


async def get_user_actor(actor: ActorDep) -> Actor:
    """A signed-in user (not a demo session): for anything that persists a profile."""
    if actor.kind != "user":
        from chefmentor.errors import DemoRestrictedError

        raise DemoRestrictedError()
    return actor


UserActorDep = Annotated[Actor, Depends(get_user_actor)]
