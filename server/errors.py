"""Errors → HTTP: the ONE code → status table, the envelope, and the exception handlers.

Every error answer is `{"success": false, "error": {"code", "message"}}`; no handler ever echoes a
stack trace or the offending input (OWASP API8).
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from chefmentor.errors import (
    AuthError,
    ChefMentorError,
    ConflictError,
    ForbiddenError,
    MethodNotAllowedError,
    NotFoundError,
    PayloadTooLargeError,
    RateLimitedError,
    ServiceUnavailableError,
    UnsupportedMediaError,
    ValidationError,
)

log = logging.getLogger("chefmentor.server")

STATUS_BY_CODE: dict[str, int] = {
    "UNAUTHORIZED": 401,
    "INVALID_TOKEN": 401,
    "TOKEN_EXPIRED": 401,
    "INVALID_REFRESH_TOKEN": 401,
    "INVALID_GOOGLE_TOKEN": 401,
    "FORBIDDEN": 403,
    "DEMO_RESTRICTED": 403,
    "NOT_FOUND": 404,
    "METHOD_NOT_ALLOWED": 405,
    "CONFLICT": 409,
    "PAYLOAD_TOO_LARGE": 413,
    "UNSUPPORTED_MEDIA": 415,
    "VALIDATION_ERROR": 422,
    "INVALID_MEDIA": 422,
    "RATE_LIMITED": 429,
    "INTERNAL_ERROR": 500,
    "CONFIG_ERROR": 500,
    "SERVICE_UNAVAILABLE": 503,
    "AUTH_PROVIDER_UNAVAILABLE": 503,
    "PROVIDER_UNAVAILABLE": 503,
    "VOICE_UNAVAILABLE": 503,
}

# A subclass with a new code still lands on the right status through its ancestors (isinstance, not type).
_STATUS_BY_CLASS: tuple[tuple[type[ChefMentorError], int], ...] = (
    (AuthError, 401),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (MethodNotAllowedError, 405),
    (ConflictError, 409),
    (PayloadTooLargeError, 413),
    (UnsupportedMediaError, 415),
    (ValidationError, 422),
    (RateLimitedError, 429),
    (ServiceUnavailableError, 503),
)

# Framework statuses that have no ChefMentorError behind them.
_CODE_BY_STATUS: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    503: "SERVICE_UNAVAILABLE",
}

INTERNAL_MESSAGE = "Internal server error; the request id in X-Request-ID identifies it in the logs"


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable error code", examples=["NOT_FOUND"])
    message: str = Field(description="Human-readable explanation naming the fix when there is one")


class ErrorEnvelope(BaseModel):
    success: bool = Field(default=False, description="Always false on errors")
    error: ErrorDetail


def _doc(description: str, **headers: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"model": ErrorEnvelope, "description": description}
    if headers:
        entry["headers"] = {name: {"description": text, "schema": {"type": "string"}} for name, text in headers.items()}
    return entry


_ERROR_DOCS: dict[int, dict[str, Any]] = {
    400: _doc("Malformed request"),
    401: _doc("Missing, invalid or expired credentials", **{"WWW-Authenticate": "Bearer challenge"}),
    403: _doc("Not allowed for this actor (e.g. DEMO_RESTRICTED)"),
    404: _doc("Unknown resource, or one owned by another actor"),
    405: _doc("Method not allowed", Allow="Allowed methods"),
    409: _doc("The resource is in a state that does not allow this"),
    413: _doc("Request body too large"),
    415: _doc("Unsupported media type"),
    422: _doc("Invalid input (VALIDATION_ERROR, INVALID_MEDIA)"),
    429: _doc(
        "Rate limited",
        **{
            "Retry-After": "Seconds to wait",
            "RateLimit-Policy": "draft-ietf-httpapi-ratelimit-headers policy",
            "RateLimit": "Remaining quota and reset",
        },
    ),
    500: _doc("Unexpected server error (generic message, no details)"),
    503: _doc("A dependency (database, Google, AI provider) is unavailable", **{"Retry-After": "Seconds"}),
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for these error statuses, all using the envelope model."""
    return {status: _ERROR_DOCS[status] for status in statuses}


# Statuses any route can answer: bad input, body limits, constraint races, rate limits, crashes, DB down.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = error_responses(400, 409, 413, 415, 422, 429, 500, 503)
# Routes that read a bearer token (optional or required) also answer these.
AUTH_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = error_responses(401, 403)


def status_for(exc: ChefMentorError) -> int:
    status = STATUS_BY_CODE.get(exc.code)
    if status is not None:
        return status
    for cls, mapped in _STATUS_BY_CLASS:
        if isinstance(exc, cls):
            return mapped
    return 500


def envelope_bytes(code: str, message: str) -> bytes:
    return orjson.dumps({"success": False, "error": {"code": code, "message": message}})


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    response = Response(envelope_bytes(code, message), status_code=status, media_type="application/json")
    if headers:
        response.headers.update(headers)
    if status == 401:
        response.headers.setdefault("WWW-Authenticate", 'Bearer realm="chefmentor"')
    return response


def _retry_after(exc: ChefMentorError) -> str | None:
    if exc.retry_after is None:
        return None
    return str(max(1, int(exc.retry_after + 0.999)))


async def chefmentor_error_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChefMentorError)  # noqa: S101 - registered for this class only
    status = status_for(exc)
    if status >= 500 and status != 503:
        log.error("internal error %s: %s", exc.code, exc.message, exc_info=exc)
        return error_response(500, "INTERNAL_ERROR", INTERNAL_MESSAGE)
    headers: dict[str, str] = {}
    retry = _retry_after(exc)
    if retry is not None:
        headers["Retry-After"] = retry
    extra = getattr(exc, "headers", None)
    if isinstance(extra, dict):
        headers.update(extra)
    if status == 401 and exc.code != "UNAUTHORIZED":
        headers["WWW-Authenticate"] = (
            f'Bearer realm="chefmentor", error="invalid_token", error_description="{exc.code}"'
        )
    return error_response(status, exc.code, exc.message, headers)


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(part) for part in loc]
    return ".".join(parts) if parts else "request"


def validation_message(errors: list[dict[str, Any]]) -> str:
    """'body.recipeId: Field required; query.limit: Input should be less than or equal to 100'."""
    shown = []
    for error in errors[:5]:
        shown.append(f"{_location(error.get('loc', ()))}: {error.get('msg', 'invalid')}")
    more = len(errors) - len(shown)
    return "; ".join(shown) + (f" (+{more} more)" if more > 0 else "")


async def request_validation_handler(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    return error_response(422, "VALIDATION_ERROR", validation_message(list(exc.errors())))


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    status = exc.status_code
    known = status in HTTPStatus._value2member_map_
    code = _CODE_BY_STATUS.get(status) or (HTTPStatus(status).name if known else "ERROR")
    if status == 404:
        message = f"No route for {request.method} {request.url.path}"
    elif status == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
    elif isinstance(exc.detail, str) and exc.detail:
        message = exc.detail
    else:
        message = HTTPStatus(status).phrase if known else "Error"
    if status >= 500:
        return error_response(500, "INTERNAL_ERROR", INTERNAL_MESSAGE)
    headers = dict(exc.headers) if exc.headers else {}
    if status == 405:
        headers["Allow"] = _allowed_methods(request) or headers.get("Allow", "")
    return error_response(status, code, message, headers or None)


def _allowed_methods(request: Request) -> str:
    """Starlette's Allow lists only the first route matching the path; a path often has one route per method."""
    from starlette.routing import Match

    # The methods documented for the path template Starlette picked (the first one matching the path).
    methods: set[str] = set()
    scope = {**request.scope, "method": "GET"}
    template: str | None = None
    for route in _leaf_routes(request.app.router.routes):
        route_methods = getattr(route, "methods", None)
        if not route_methods:
            continue
        if template is None and route.matches(scope)[0] in (Match.FULL, Match.PARTIAL):
            template = route.path
        if template is not None and route.path == template:
            methods.update(route_methods)
    return ", ".join(sorted(methods))


def _leaf_routes(routes: list[Any]) -> list[Any]:
    # FastAPI 0.165 wraps included routers (`_IncludedRouter.original_router`); routers are included
    # without an extra prefix here, so the original routes carry their full paths.
    leaves: list[Any] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            leaves.extend(_leaf_routes(list(inner.routes)))
        else:
            leaves.append(route)
    return leaves


async def redis_error_handler(request: Request, exc: Exception) -> Response:
    """Safety net: services treat Redis as optional, but a RedisError that escapes is an outage, not a bug."""
    log.warning("redis unavailable on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return error_response(
        503, "SERVICE_UNAVAILABLE", "The cache is unavailable, try again shortly", {"Retry-After": "5"}
    )


def _is_database_outage(exc: BaseException) -> bool:
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeoutError

    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError | ConnectionError | TimeoutError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


async def database_error_handler(request: Request, exc: Exception) -> Response:
    """DB outage → 503; a value the database refuses (NUL byte, too long) → 422; a constraint race → 409."""
    from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

    if isinstance(exc, DataError):
        return error_response(
            422, "VALIDATION_ERROR", "A value was rejected by the database (too long, or contains a NUL character)"
        )
    if isinstance(exc, IntegrityError):
        # Services check their rules first; what still reaches the constraints is a concurrent duplicate or a
        # row that vanished meanwhile (e.g. a deleted user's still-valid access token).
        log.warning("integrity error on %s %s", request.method, request.url.path)
        return error_response(409, "CONFLICT", "The request conflicts with the current state of the data, retry")
    if _is_database_outage(exc):
        log.warning("backing service unavailable: %s", type(exc).__name__)
        what = "The database" if isinstance(exc, SQLAlchemyError) else "A backing service"
        return error_response(
            503, "SERVICE_UNAVAILABLE", f"{what} is unavailable, try again shortly", {"Retry-After": "5"}
        )
    return await unhandled_error_handler(request, exc)


async def unhandled_error_handler(request: Request, exc: Exception) -> Response:
    """Runs inside ServerErrorMiddleware, i.e. OUTSIDE our middleware: it sets the headers itself."""
    from server.middleware import SECURITY_HEADERS, request_id_of

    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
    response = error_response(500, "INTERNAL_ERROR", INTERNAL_MESSAGE)
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    response.headers["Cache-Control"] = "no-store"
    request_id = request_id_of(request.scope)
    if request_id:
        response.headers["X-Request-ID"] = request_id
    return response


def install_error_handlers(app: FastAPI) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    app.add_exception_handler(ChefMentorError, chefmentor_error_handler)
    app.add_exception_handler(RequestValidationError, request_validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(SQLAlchemyError, database_error_handler)
    app.add_exception_handler(ConnectionError, database_error_handler)
    app.add_exception_handler(TimeoutError, database_error_handler)
    from redis.exceptions import RedisError

    app.add_exception_handler(RedisError, redis_error_handler)
    app.add_exception_handler(Exception, unhandled_error_handler)
