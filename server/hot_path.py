"""Replay FastAPI's routing decision for requests it has already routed, instead of routing them again.

Between our middleware and a LeanRoute handler FastAPI 0.165 runs ExceptionMiddleware, an AsyncExitStack
middleware, the router, the included router, the route, and request_response with two more exit stacks:
~10% of a step event's CPU, the same work on every request to the same path. This middleware sits
innermost in the user middleware (inside CORS and the request-context middleware). A request for a
(method, path) it has not seen goes through FastAPI as usual; when LeanRoute's handler serves it, the
handler reports itself and the scope entries routing set (server/lean_route.py), and the next request for
that same method and path gets those entries and the handler directly, with Starlette's own exception
handling around it (the handlers ExceptionMiddleware would use).

Only what FastAPI chose is replayed, per concrete path, so route order, shadowing and path parameters
are FastAPI's. Skipped and left to FastAPI: mounted apps (a root path), requests made while dependency
overrides are set, routes LeanRoute does not serve (uploads, yield dependencies...), and everything once
the app's routes change. At most MAX_PATHS paths of at most MAX_PATH_LENGTH characters are kept (path
parameters make each id a new path; clients choose them).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from starlette._exception_handler import wrap_app_handling_exceptions
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from chefmentor.cache import BoundedMemo

Handler = Callable[[Request], Coroutine[Any, Any, Response]]

SCOPE_RECORDER = "chefmentor.hot_path.recorder"
# What routing puts in the scope for the handler: Starlette's keys, and FastAPI's own dict (copied per
# request, since handlers may write to it).
ROUTING_KEYS = ("router", "endpoint", "route", "path_params", "starlette.exception_handlers")
FASTAPI_SCOPE_KEY = "fastapi"
MAX_PATHS = 4096
MAX_PATH_LENGTH = 256  # longer paths (garbage ids) are routed as usual rather than kept
_VERSION = operator.attrgetter("_routes_version")


@dataclass(frozen=True, slots=True)
class RoutedPath:
    handler: Handler
    routing: tuple[tuple[str, Any], ...]
    fastapi_scope: dict[str, Any] | None


def report_route(scope: Scope, handler: Handler) -> None:
    """Called by LeanRoute's handler: this request was routed to `handler`."""
    recorder = scope.get(SCOPE_RECORDER)
    if recorder is not None:
        recorder(scope, handler)


class RoutesVersion:
    """The sum of the app's routers' change counters: FastAPI's _get_routes_version walks every route to
    find the included routers (~10 µs a request here), so the routers are listed once, again on a change."""

    def __init__(self, router: Any) -> None:
        self.root = router
        self.routers: list[Any] = []
        self.value = -1

    def changed(self) -> bool:
        value = sum(map(_VERSION, self.routers))
        if value == self.value and self.routers:
            return False
        self.routers = _routers(self.root, set())
        self.value = sum(map(_VERSION, self.routers))
        return True


def _routers(router: Any, seen: set[int]) -> list[Any]:
    if id(router) in seen:
        return []
    seen.add(id(router))
    found = [router]
    for route in router.routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _routers(included, seen)
    return found


class HotPathMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.paths: BoundedMemo[tuple[str, str], RoutedPath] = BoundedMemo(MAX_PATHS)
        self.version: RoutesVersion | None = None
        self.replayed = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("root_path") or _overridden(scope):
            await self.app(scope, receive, send)
            return
        if self.version is None:
            self.version = RoutesVersion(scope["app"].router)
        if self.version.changed():
            self.paths.clear()
        key = (scope["method"], scope["path"])
        version = self.version.value
        routed = self.paths.peek(key)
        if routed is None:
            scope[SCOPE_RECORDER] = lambda routed_scope, handler: self._remember(key, version, routed_scope, handler)
            await self.app(scope, receive, send)
            return
        self.replayed += 1
        await _replay(routed, scope, receive, send)

    def _remember(self, key: tuple[str, str], version: Any, scope: Scope, handler: Handler) -> None:
        if self.version is None or version != self.version.value or len(key[1]) > MAX_PATH_LENGTH:
            return
        if any(name not in scope for name in ROUTING_KEYS):
            return
        fastapi_scope = scope.get(FASTAPI_SCOPE_KEY)
        routing = tuple((name, scope[name]) for name in ROUTING_KEYS)
        self.paths.put(
            key, RoutedPath(handler, routing, dict(fastapi_scope) if isinstance(fastapi_scope, dict) else None)
        )


def _overridden(scope: Scope) -> bool:
    return bool(getattr(scope["app"], "dependency_overrides", None))


async def _replay(routed: RoutedPath, scope: Scope, receive: Receive, send: Send) -> None:
    scope.update(routed.routing)
    if scope["path_params"]:
        scope["path_params"] = dict(scope["path_params"])
    if routed.fastapi_scope is not None:
        scope[FASTAPI_SCOPE_KEY] = dict(routed.fastapi_scope)
    request = Request(scope, receive, send)

    async def respond(scope: Scope, receive: Receive, send: Send) -> None:
        response = await routed.handler(request)
        await response(scope, receive, send)

    await wrap_app_handling_exceptions(respond, request)(scope, receive, send)
