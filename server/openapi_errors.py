"""Per-operation error responses in OpenAPI, built from the one code → status table (server.errors).

A route declares the codes its services can raise, e.g. `responses=errors("NOT_FOUND", "CONFLICT")`; the codes
every operation of a kind can give are added from the operation itself when the document is finished:
credentials (401), input validation (422), body limits and media types (413, 415), and for /api routes an
unexpected error (500) or an unavailable database or cache (503). Each status answers the error envelope, and
its description and examples name the codes that status carries for this operation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from server import errors as error_table
from server.errors import STATUS_BY_CODE, ErrorEnvelope

# Internal codes (e.g. VOICE_UNAVAILABLE) and the table code the handlers answer with instead.
WIRE_CODES: dict[str, str] = getattr(error_table, "WIRE_CODES", {})

CODES_KEY = "x-error-codes"
ERROR_CODE_SCHEMA = "ErrorCode"
ENVELOPE_REF = "#/components/schemas/ErrorEnvelope"
CREDENTIAL_CODES = ("INVALID_TOKEN", "TOKEN_EXPIRED")
HEADERS: dict[int, dict[str, str]] = {
    401: {"WWW-Authenticate": "Bearer challenge (error=invalid_token and the code for bad credentials)"},
    429: {
        "Retry-After": "Seconds to wait before retrying",
        "RateLimit-Policy": "The limit that applies (draft-ietf-httpapi-ratelimit-headers)",
        "RateLimit": "Remaining quota and seconds until it resets",
    },
    503: {"Retry-After": "Seconds to wait before retrying"},
}


def wire(code: str) -> str:
    """The table code a client sees for a code (internal codes such as VOICE_UNAVAILABLE answer as another)."""
    return WIRE_CODES.get(code, code)


def errors(*codes: str) -> dict[int | str, dict[str, Any]]:
    """`responses=` entries for these error codes, grouped by the status the error table gives each."""
    unknown = [code for code in codes if wire(code) not in STATUS_BY_CODE]
    if unknown:
        raise ValueError(f"not in the error table: {', '.join(unknown)}")
    by_status: dict[int, list[str]] = defaultdict(list)
    for code in dict.fromkeys(wire(code) for code in codes):
        by_status[STATUS_BY_CODE[code]].append(code)
    return {
        status: {"model": ErrorEnvelope, "description": _description(status, listed), CODES_KEY: listed}
        for status, listed in sorted(by_status.items())
    }


def _description(status: int, codes: Iterable[str]) -> str:
    return f"{HTTPStatus(status).phrase}: " + ", ".join(f"`{code}`" for code in codes)


def _is_envelope(response: dict[str, Any]) -> bool:
    content = response.get("content", {}).get("application/json", {})
    schema = content.get("schema", {})
    return schema.get("$ref") in (ENVELOPE_REF, "#/components/schemas/HTTPValidationError")


def automatic_codes(path: str, operation: dict[str, Any]) -> list[str]:
    """The codes an operation can give because of what it is, not what its service does."""
    codes: list[str] = []
    security = operation.get("security")
    if security:
        optional = {} in security
        codes += [*([] if optional else ["UNAUTHORIZED"]), *CREDENTIAL_CODES]
    body = operation.get("requestBody")
    if body or operation.get("parameters"):
        codes.append("VALIDATION_ERROR")
    if body:
        codes += ["PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA"]
        # A body that arrives too slowly (server/middleware.py), once the table has the code.
        codes += [code for code in ("REQUEST_TIMEOUT",) if code in STATUS_BY_CODE]
    if path.startswith("/api/"):
        codes += ["INTERNAL_ERROR", "SERVICE_UNAVAILABLE"]
    return codes


def finish_error_responses(document: dict[str, Any]) -> None:
    """Replace each operation's error responses by the ones its declared and automatic codes give."""
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            declared: list[str] = []
            for key in [s for s, r in responses.items() if s[:1] in "45" and _is_envelope(r)]:
                declared += responses.pop(key).get(CODES_KEY, [])
            codes = list(dict.fromkeys([*declared, *automatic_codes(path, operation)]))
            for status, entry in errors(*codes).items():
                responses[str(status)] = _response(int(status), entry[CODES_KEY])
            operation["responses"] = dict(sorted(responses.items()))
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_CODE_SCHEMA] = {
        "type": "string",
        "title": ERROR_CODE_SCHEMA,
        "description": "Every error code the API answers; each operation lists the ones it can give",
        "enum": list(STATUS_BY_CODE),
    }
    detail = schemas.get("ErrorDetail", {}).get("properties", {})
    if "code" in detail:
        detail["code"] = {"$ref": f"#/components/schemas/{ERROR_CODE_SCHEMA}", "description": "Stable error code"}
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _spec(code: str, field: str) -> str:
    """The table's sentence for a code (its fixed client message, or what it means)."""
    spec = getattr(error_table, "ERROR_BY_CODE", {}).get(code)
    return str(getattr(spec, field, code.replace("_", " ").capitalize()))


def _response(status: int, codes: list[str]) -> dict[str, Any]:
    examples = {
        code: {
            "summary": _spec(code, "description"),
            "value": {"success": False, "error": {"code": code, "message": _spec(code, "message")}},
        }
        for code in codes
    }
    response: dict[str, Any] = {
        "description": _description(status, codes),
        "content": {"application/json": {"schema": {"$ref": ENVELOPE_REF}, "examples": examples}},
        CODES_KEY: codes,
    }
    if status in HEADERS:
        response["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in HEADERS[status].items()
        }
    return response
