"""OpenAPI's bearer scheme, declared on every operation that requires an actor.

FastAPI declares security only through a security dependency, and it solves that dependency (and its
OAuth-scope bookkeeping) on every request: ~10% of a step event's CPU for a header we already parse in
server.deps.bearer_token. The routes depend on server.deps.get_actor only; the schema is completed here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import _get_api_route_for_openapi
from fastapi.routing import iter_route_contexts

from server.deps import get_actor

SCHEME_NAME = "bearer"
BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "Access token from POST /api/auth/google, or a demo token from POST /api/demo/start",
}


def requires_actor(dependant: Dependant) -> bool:
    return any(sub.call is get_actor or requires_actor(sub) for sub in dependant.dependencies)


def add_bearer_security(schema: dict[str, Any], routes: Iterable[Any]) -> dict[str, Any]:
    paths = schema.get("paths", {})
    # The same walk get_openapi() makes: included routers resolved to routes with their full path and the
    # router's dependencies (FastAPI 0.165 keeps included routers as objects in app.routes).
    for context in iter_route_contexts(list(routes)):
        route = _get_api_route_for_openapi(context)
        if route is None or not requires_actor(route.dependant):
            continue
        for method in route.methods:
            operation = paths.get(route.path_format, {}).get(method.lower())
            if operation is not None:
                operation["security"] = [{SCHEME_NAME: []}]
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[SCHEME_NAME] = dict(BEARER_SCHEME)
    return schema


def install(app: FastAPI) -> None:
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_bearer_security(generate(), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
