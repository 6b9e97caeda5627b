"""Upload routes check the caller before a byte of the body is read.

FastAPI parses a route's multipart body before it solves the route's dependencies, so a 20 MB upload
without a token would be received, spooled to disk and parsed only to be refused. This pure ASGI
middleware runs the upload route's authentication and rate limits on the headers alone: a refused
request is answered at once (the body is never read) and an accepted one goes on with its checks marked
as done, so the route's own dependencies do not count it twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from server.deps import get_actor

Check = Callable[[Request], Awaitable[None]]
SCOPE_GATED = "chefmentor.upload_gate_passed"


class UploadGate:
    def __init__(self, app: ASGIApp, *, checks: Mapping[str, Iterable[Check]]) -> None:
        self.app = app
        self.checks = {path: tuple(found) for path, found in checks.items()}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        checks = self.checks.get(scope.get("path", "")) if scope["type"] == "http" else None
        if checks is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        request = Request(scope)  # no receive channel: nothing here can touch the body
        try:
            await get_actor(request)
            for check in checks:
                await check(request)
        except Exception as exc:
            handler = _handler_for(request.app, exc)
            if handler is None:
                raise
            response = await handler(request, exc)
            await response(scope, receive, send)
            return
        scope[SCOPE_GATED] = True
        await self.app(scope, receive, send)


def _handler_for(app: Any, exc: Exception) -> Any:
    """The app's registered exception handler for `exc` (by class hierarchy), as the app itself would pick."""
    handlers: Mapping[Any, Any] = app.exception_handlers
    for cls in type(exc).__mro__:
        if cls in handlers:
            return handlers[cls]
    return None


def gated(check: Check) -> Check:
    """A route-level check that the gate already ran for this request is not run (or counted) again."""

    async def unless_gated(request: Request) -> None:
        if not request.scope.get(SCOPE_GATED):
            await check(request)

    return unless_gated
