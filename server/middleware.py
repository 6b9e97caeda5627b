"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs a task and a queue per request).

One pass does the request id, the body size limit and the response headers: security headers on every
response (spec/security.md §6), no `Server` header, and the RateLimit headers a limiter left in the scope.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import secrets
from collections.abc import Iterable
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
_SAFE_REQUEST_ID = re.compile(rb"^[A-Za-z0-9._:-]{1,64}$")

JSON_CSP = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# Swagger UI / ReDoc pages load their bundles from this server (server/openapi_docs.py) and boot them with an
# inline script; nothing on them comes from another origin.
DOCS_CSP = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
    b"frame-ancestors 'none'; base-uri 'none'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", JSON_CSP),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"x-permitted-cross-domain-policies", b"none"),
)
_SECURITY_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)
_DROPPED = frozenset({b"server", b"x-powered-by"})
DEFAULT_CACHE_CONTROL = b"no-store"

SCOPE_REQUEST_ID = "chefmentor.request_id"
SCOPE_EXTRA_HEADERS = "chefmentor.extra_headers"


def request_id_of(scope: Scope) -> str | None:
    value: object = scope.get(SCOPE_REQUEST_ID)
    return value if isinstance(value, str) else None


def add_response_headers(scope: Scope, headers: Iterable[tuple[str, str]]) -> None:
    """Let a dependency (e.g. the rate limiter) put headers on whatever response the request ends with."""
    extra: list[tuple[bytes, bytes]] = scope.setdefault(SCOPE_EXTRA_HEADERS, [])
    extra.extend((name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers)


class RequestIds:
    """32 hex characters: a random per-process prefix and a counter.

    Unique across workers and restarts like uuid4, without uuid4's getrandom() system call per request.
    A forked worker draws its own prefix.
    """

    def __init__(self) -> None:
        self.reset()
        os.register_at_fork(after_in_child=self.reset)

    def reset(self) -> None:
        self._prefix = secrets.token_hex(10)
        self._counter = itertools.count()

    def next(self) -> str:
        return f"{self._prefix}{next(self._counter) & 0xFFFFFFFFFFFF:012x}"


_request_ids = RequestIds()


def _incoming_request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == REQUEST_ID_HEADER:
            if _SAFE_REQUEST_ID.match(value):
                return bytes(value).decode("ascii")
            break
    return _request_ids.next()


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def human_size(size: int) -> str:
    """A byte count as people write it: 1048576 -> "1 MB", 1536 -> "1.5 KB", 900 -> "900 bytes"."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def too_large_message(limit: int) -> str:
    return f"Request body is larger than the {human_size(limit)} limit for this route"


class BodyTooLarge(HTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


class BodyTimeout(Exception):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"no request body data for {seconds} s")


class RequestContextMiddleware:
    """Request id, body size limit, security headers; upload routes get `upload_limit`, the rest `json_limit`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        json_limit: int,
        upload_limit: int,
        upload_paths: Iterable[str] = (),
        body_timeout: float = 30.0,
    ) -> None:
        self.app = app
        self.body_timeout = body_timeout
        self.json_limit = json_limit
        self.upload_limit = upload_limit
        self.upload_paths = tuple(upload_paths)

    def limit_for(self, path: str) -> int:
        for prefix in self.upload_paths:
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return self.upload_limit
        return self.json_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_request_id(scope)
        scope[SCOPE_REQUEST_ID] = request_id
        path: str = scope["path"]
        docs = path in DOCS_PATHS
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = _finish_headers(message.get("headers", ()), scope, request_id, docs)
            await send(message)

        limit = self.limit_for(path)
        length = _content_length(scope)
        if length is not None and length > limit:
            await _send_too_large(send_with_headers, limit)
            return
        received = 0
        body_done = False

        async def limited_receive() -> Message:
            nonlocal received, body_done
            if body_done:  # afterwards receive() only waits for a disconnect: no deadline there
                return await receive()
            try:
                async with asyncio.timeout(self.body_timeout):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(self.body_timeout) from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
                body_done = not message.get("more_body", False)
            return message

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            if started:
                raise
            await _send_too_large(send_with_headers, limit)
        except BodyTimeout:
            if started:
                raise
            await _send_envelope(send_with_headers, 408, "REQUEST_TIMEOUT", "The request body arrived too slowly")


def _finish_headers(
    raw: Iterable[tuple[bytes, bytes]], scope: Scope, request_id: str, docs: bool
) -> list[tuple[bytes, bytes]]:
    headers: list[tuple[bytes, bytes]] = []
    present: set[bytes] = set()
    for name, value in raw:
        lowered = name.lower()
        if lowered in _DROPPED:
            continue
        present.add(lowered)
        headers.append((name, value))
    for name, value in SECURITY_HEADERS:
        if name not in present:
            headers.append((name, DOCS_CSP if docs and name == b"content-security-policy" else value))
    if b"cache-control" not in present:
        headers.append((b"cache-control", DEFAULT_CACHE_CONTROL))
    headers.append((REQUEST_ID_HEADER, request_id.encode("ascii")))
    extra: list[tuple[bytes, bytes]] | None = scope.get(SCOPE_EXTRA_HEADERS)
    if extra:
        headers.extend(pair for pair in extra if pair[0] not in present)
    return headers


async def _send_too_large(send: Send, limit: int) -> None:
    await _send_envelope(send, 413, "PAYLOAD_TOO_LARGE", too_large_message(limit))


async def _send_envelope(send: Send, status: int, code: str, message: str) -> None:
    from server.errors import envelope_bytes

    body = envelope_bytes(code, message)
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


def cors_middleware_kwargs(origins: list[str]) -> dict[str, Any]:
    return {
        "allow_origins": origins,
        "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        "allow_headers": ["Authorization", "Content-Type", "X-Request-ID"],
        "expose_headers": ["X-Request-ID", "Retry-After", "RateLimit", "RateLimit-Policy"],
        "allow_credentials": False,
        "max_age": 600,
    }
