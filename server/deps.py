"""Request dependencies as Annotated aliases: CtxDep, DbDep, ActorDep, OptionalActorDep, RequestIdDep."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.actor import Actor
from chefmentor.auth.service import resolve_actor
from chefmentor.context import AppContext
from chefmentor.errors import InvalidTokenError, UnauthorizedError
from server.middleware import request_id_of
from server.openapi_security import bearer_scheme
from server.security_actor import checked_actor


def ctx_of(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


async def get_ctx(request: Request) -> AppContext:
    return ctx_of(request)


CtxDep = Annotated[AppContext, Depends(get_ctx)]


async def get_db(ctx: CtxDep) -> AsyncIterator[AsyncSession]:
    """One session per request; closing it rolls back whatever a failed request left uncommitted."""
    async with ctx.sessions() as session:
        yield session


DbDep = Annotated[AsyncSession, Depends(get_db)]


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


# Declares the bearer scheme in OpenAPI for every route that reads a token; actor_of parses the header itself.
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Security(bearer_scheme)]


async def get_optional_actor(request: Request, _bearer: BearerCredentials = None) -> Actor | None:
    return await checked_actor(request, actor_of(request))


OptionalActorDep = Annotated[Actor | None, Depends(get_optional_actor)]


async def get_actor(request: Request, _bearer: BearerCredentials = None) -> Actor:
    """A signed-in user or a demo session, else 401."""
    actor = await checked_actor(request, actor_of(request))
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
