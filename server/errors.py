"""Errors → HTTP: THE error table (every status/code the server emits), the envelope, and the handlers.

`ERROR_TABLE` is the single source of truth: ARCHITECTURE.md rule 4's codes, each with its status and the
fixed sentence a client sees when the details must stay inside. Handlers only ever answer with a code from it
(internal codes such as CONFIG_ERROR or VOICE_UNAVAILABLE are mapped onto it by `WIRE_CODES`), and the
OpenAPI `responses` are built from it (`error_responses`, `codes_for_status`). A test pins the table, so it
changes only on purpose.

What a client reads (OWASP API8, issue 17 #5):
- 5xx: always the fixed sentence of the code; the real cause goes to the log with the request id.
- 4xx raised by our services: their own message, which describes the client's input, unless the error was
  raised from a foreign exception (a library, SDK or OS error whose text could leak paths or provider
  answers): then the fixed sentence, and the foreign text is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from chefmentor.errors import ChefMentorError
from server.middleware import request_id_of
from server.security_requests import allowed_methods, content_type_mismatch, unparseable_body_message

log = logging.getLogger("chefmentor.server")


@dataclass(frozen=True, slots=True)
class ErrorSpec:
    code: str
    status: int
    message: str
    description: str


ERROR_TABLE: tuple[ErrorSpec, ...] = (
    ErrorSpec("UNAUTHORIZED", 401, "Sign in or start a demo first", "No credentials were sent"),
    ErrorSpec("INVALID_TOKEN", 401, "The access token is not valid", "The bearer token is malformed or forged"),
    ErrorSpec("TOKEN_EXPIRED", 401, "The access token has expired", "The token or its demo session has expired"),
    ErrorSpec("INVALID_REFRESH_TOKEN", 401, "The refresh token is not valid: sign in again", "Unknown/spent token"),
    ErrorSpec("INVALID_GOOGLE_TOKEN", 401, "The Google sign-in could not be verified", "Bad Google ID token"),
    ErrorSpec("FORBIDDEN", 403, "This action is not allowed", "Not allowed for this actor"),
    ErrorSpec("DEMO_RESTRICTED", 403, "Not available in demo mode: sign in with Google", "Demo sessions only"),
    ErrorSpec("NOT_FOUND", 404, "Not found", "Unknown resource, or one owned by another actor"),
    ErrorSpec("METHOD_NOT_ALLOWED", 405, "Method not allowed on this path", "See the Allow header"),
    ErrorSpec("CONFLICT", 409, "The request conflicts with the current state: retry", "State does not allow it"),
    ErrorSpec("PAYLOAD_TOO_LARGE", 413, "The request body is too large", "Body or upload over its limit"),
    ErrorSpec("UNSUPPORTED_MEDIA", 415, "Unsupported media type", "Wrong Content-Type or file type"),
    ErrorSpec("VALIDATION_ERROR", 422, "The request is not valid", "Invalid input"),
    ErrorSpec("INVALID_MEDIA", 422, "The file could not be read as a JPG, PNG or MP4", "Undecodable or empty file"),
    ErrorSpec("REQUEST_TIMEOUT", 408, "The request body arrived too slowly", "Body read timeout"),
    ErrorSpec("RATE_LIMITED", 429, "Too many requests: wait and retry", "See Retry-After"),
    ErrorSpec(
        "INTERNAL_ERROR",
        500,
        "Internal server error; the request id in X-Request-ID identifies it in the logs",
        "Unexpected server error (no details)",
    ),
    ErrorSpec(
        "SERVICE_UNAVAILABLE",
        503,
        "A service this request needs is unavailable; try again shortly",
        "Database, cache, media store or voice engine unavailable",
    ),
    ErrorSpec(
        "AUTH_PROVIDER_UNAVAILABLE", 503, "Google sign-in is unavailable right now, try again shortly", "Google down"
    ),
    ErrorSpec(
        "PROVIDER_UNAVAILABLE",
        503,
        "No diagnosis provider is available right now; a saved upload can be retried later",
        "Every diagnosis provider failed",
    ),
)
ERROR_BY_CODE: dict[str, ErrorSpec] = {spec.code: spec for spec in ERROR_TABLE}
STATUS_BY_CODE: dict[str, int] = {spec.code: spec.status for spec in ERROR_TABLE}
# Internal codes (CLI exit codes, logs) and the table code they answer with on the wire.
WIRE_CODES: dict[str, str] = {"CONFIG_ERROR": "INTERNAL_ERROR", "VOICE_UNAVAILABLE": "SERVICE_UNAVAILABLE"}
# Framework statuses → table code. Statuses not listed become VALIDATION_ERROR (4xx) or INTERNAL_ERROR.
_CODE_BY_STATUS: dict[int, str] = {
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
INTERNAL_MESSAGE = ERROR_BY_CODE["INTERNAL_ERROR"].message
BODY_NOT_JSON = "The request body is not valid JSON (UTF-8, nested at most a few hundred levels)"


def codes_for_status(status: int) -> list[str]:
    return [spec.code for spec in ERROR_TABLE if spec.status == status]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable error code", examples=["NOT_FOUND"])
    message: str = Field(description="Human-readable explanation naming the fix when there is one")


class ErrorEnvelope(BaseModel):
    success: bool = Field(default=False, description="Always false on errors")
    error: ErrorDetail


_HEADERS_BY_STATUS: dict[int, dict[str, str]] = {
    401: {"WWW-Authenticate": "Bearer challenge"},
    405: {"Allow": "Allowed methods"},
    429: {
        "Retry-After": "Seconds to wait",
        "RateLimit-Policy": "draft-ietf-httpapi-ratelimit-headers policy",
        "RateLimit": "Remaining quota and reset",
    },
    503: {"Retry-After": "Seconds"},
}


def _doc(status: int) -> dict[str, Any]:
    specs = [spec for spec in ERROR_TABLE if spec.status == status]
    description = "; ".join(f"`{spec.code}`: {spec.description}" for spec in specs)
    entry: dict[str, Any] = {"model": ErrorEnvelope, "description": description}
    headers = _HEADERS_BY_STATUS.get(status)
    if headers:
        entry["headers"] = {name: {"description": text, "schema": {"type": "string"}} for name, text in headers.items()}
    return entry


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for these error statuses, all using the envelope model."""
    return {status: _doc(status) for status in statuses}


# Statuses any route can answer: bad input, body limits, constraint races, rate limits, crashes, DB down.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = error_responses(409, 413, 415, 422, 429, 500, 503)
# Routes that read a bearer token (optional or required) also answer these.
AUTH_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = error_responses(401, 403)


def wire_code(code: str, status: int) -> str:
    """The table code to send for an internal code (falls back on the status's own code)."""
    if code in ERROR_BY_CODE:
        return code
    mapped = WIRE_CODES.get(code)
    if mapped is not None:
        return mapped
    return _CODE_BY_STATUS.get(status) or ("INTERNAL_ERROR" if status >= 500 else "VALIDATION_ERROR")


def status_for(exc: ChefMentorError) -> int:
    return STATUS_BY_CODE[wire_code(exc.code, _class_status(exc))]


def _class_status(exc: ChefMentorError) -> int:
    from chefmentor import errors as e

    classes: tuple[tuple[type[ChefMentorError], int], ...] = (
        (e.AuthError, 401),
        (e.ForbiddenError, 403),
        (e.NotFoundError, 404),
        (e.MethodNotAllowedError, 405),
        (e.ConflictError, 409),
        (e.PayloadTooLargeError, 413),
        (e.UnsupportedMediaError, 415),
        (e.ValidationError, 422),
        (e.MediaError, 422),
        (e.RateLimitedError, 429),
        (e.ServiceUnavailableError, 503),
    )
    return next((status for cls, status in classes if isinstance(exc, cls)), 500)


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


def _raised_from_foreign(exc: BaseException) -> bool:
    """Raised while handling a non-ChefMentor exception (`from exc`, or implicitly): its text may be foreign."""
    cause = exc.__cause__ if exc.__cause__ is not None else (None if exc.__suppress_context__ else exc.__context__)
    return cause is not None and not isinstance(cause, ChefMentorError)


def public_message(exc: ChefMentorError, code: str, status: int) -> str:
    if status >= 500 or _raised_from_foreign(exc):
        return ERROR_BY_CODE[code].message
    return exc.message


async def chefmentor_error_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ChefMentorError)  # noqa: S101 - registered for this class only
    code = wire_code(exc.code, _class_status(exc))
    status = STATUS_BY_CODE[code]
    message = public_message(exc, code, status)
    request_id = request_id_of(request.scope)
    if status >= 500 and status != 503:
        log.error("internal error %s [request %s]: %s", exc.code, request_id, exc.message, exc_info=exc)
    elif message != exc.message:
        cause = exc.__cause__ or exc.__context__
        log.warning(
            "%s %s [request %s]: %s (%s: %s)",
            status,
            exc.code,
            request_id,
            exc.message,
            type(cause).__name__ if cause else "-",
            cause,
        )
    headers: dict[str, str] = {}
    retry = _retry_after(exc)
    if retry is not None:
        headers["Retry-After"] = retry
    extra = getattr(exc, "headers", None)
    if isinstance(extra, dict):
        headers.update(extra)
    if status == 401 and code != "UNAUTHORIZED":
        headers["WWW-Authenticate"] = f'Bearer realm="chefmentor", error="invalid_token", error_description="{code}"'
    return error_response(status, code, message, headers)


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


async def request_validation_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)  # noqa: S101

    wrong_type = content_type_mismatch(request)
    if wrong_type is not None:
        return error_response(415, "UNSUPPORTED_MEDIA", wrong_type)
    errors = list(exc.errors())
    if any(error.get("type") == "json_invalid" for error in errors):
        return error_response(422, "VALIDATION_ERROR", BODY_NOT_JSON)
    return error_response(422, "VALIDATION_ERROR", validation_message(errors))


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    status = exc.status_code
    if status >= 500 and status != 503:
        log.error(
            "HTTP %s on %s %s [request %s]", status, request.method, request.url.path, request_id_of(request.scope)
        )
        return error_response(500, "INTERNAL_ERROR", INTERNAL_MESSAGE)
    code = wire_code("", status)
    wire_status = STATUS_BY_CODE[code]
    headers = dict(exc.headers) if exc.headers else {}
    if status == 404:
        message = f"No route for {request.method} {request.url.path}"
    elif status == 405:
        message = f"Method {request.method} is not allowed on {request.url.path}"
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    elif status == 400:
        # FastAPI's "error parsing the body": invalid UTF-8, JSON nested past the parser's recursion limit.
        log.info(
            "unparseable body on %s %s [request %s]", request.method, request.url.path, request_id_of(request.scope)
        )
        message = unparseable_body_message(request)
    elif isinstance(exc.detail, str) and exc.detail and status in _CODE_BY_STATUS:
        message = exc.detail  # our own middleware's sentences (body limits)
    else:
        message = ERROR_BY_CODE[code].message
    return error_response(wire_status, code, message, headers or None)


async def redis_error_handler(request: Request, exc: Exception) -> Response:
    """Safety net: services treat Redis as optional, but a RedisError that escapes is an outage, not a bug."""
    request_id = request_id_of(request.scope)
    log.warning("redis unavailable on %s %s [request %s]: %r", request.method, request.url.path, request_id, exc)
    return error_response(
        503, "SERVICE_UNAVAILABLE", ERROR_BY_CODE["SERVICE_UNAVAILABLE"].message, {"Retry-After": "5"}
    )


def _is_database_outage(exc: BaseException) -> bool:
    from chefmentor.db.outage import is_database_outage

    return is_database_outage(exc)


async def database_error_handler(request: Request, exc: Exception) -> Response:
    """DB outage → 503; a value the database refuses (NUL byte, too long) → 422; a constraint race → 409."""
    from sqlalchemy.exc import DataError, IntegrityError

    request_id = request_id_of(request.scope)
    if isinstance(exc, DataError):
        log.info("data error on %s %s [request %s]: %s", request.method, request.url.path, request_id, exc)
        return error_response(
            422, "VALIDATION_ERROR", "A value was rejected by the database (too long, or contains a NUL character)"
        )
    if isinstance(exc, IntegrityError):
        # Services check their rules first; what still reaches the constraints is a concurrent duplicate or a
        # row that vanished meanwhile (e.g. a deleted user's still-valid access token).
        log.warning("integrity error on %s %s [request %s]", request.method, request.url.path, request_id)
        return error_response(409, "CONFLICT", ERROR_BY_CODE["CONFLICT"].message)
    if _is_database_outage(exc):
        log.warning("backing service unavailable [request %s]: %r", request_id, exc)
        return error_response(
            503, "SERVICE_UNAVAILABLE", ERROR_BY_CODE["SERVICE_UNAVAILABLE"].message, {"Retry-After": "5"}
        )
    return await unhandled_error_handler(request, exc)


async def unhandled_error_handler(request: Request, exc: Exception) -> Response:
    """Runs inside ServerErrorMiddleware, i.e. OUTSIDE our middleware: it sets the headers itself."""
    from server.middleware import SECURITY_HEADERS

    request_id = request_id_of(request.scope)
    log.error(
        "unhandled %s on %s %s [request %s]",
        type(exc).__name__,
        request.method,
        request.url.path,
        request_id,
        exc_info=exc,
    )
    response = error_response(500, "INTERNAL_ERROR", INTERNAL_MESSAGE)
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    response.headers["Cache-Control"] = "no-store"
    if request_id:
        response.headers["X-Request-ID"] = request_id
    return response


def install_error_handlers(app: FastAPI) -> None:
    from redis.exceptions import RedisError
    from sqlalchemy.exc import SQLAlchemyError

    app.add_exception_handler(ChefMentorError, chefmentor_error_handler)
    app.add_exception_handler(RequestValidationError, request_validation_handler)
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(SQLAlchemyError, database_error_handler)
    app.add_exception_handler(ConnectionError, database_error_handler)
    app.add_exception_handler(TimeoutError, database_error_handler)
    # Driver errors raised outside SQLAlchemy's wrapping (at connect: "the database system is starting up").
    app.add_exception_handler(OSError, database_error_handler)
    try:
        from asyncpg.exceptions import InterfaceError as DriverInterfaceError
        from asyncpg.exceptions import PostgresError
    except ImportError:  # asyncpg is installed with the project; tolerate a trimmed install
        pass
    else:
        app.add_exception_handler(PostgresError, database_error_handler)
        app.add_exception_handler(DriverInterfaceError, database_error_handler)
    app.add_exception_handler(RedisError, redis_error_handler)
    app.add_exception_handler(Exception, unhandled_error_handler)
