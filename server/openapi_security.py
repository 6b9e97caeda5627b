"""The bearer scheme, declared in OpenAPI by FastAPI itself: the actor dependencies (server/deps.py) depend on
`bearer_scheme`, so every route that reads a token lists `security: [{"bearer": []}]`.

`auto_error=False`: the scheme only documents and exposes the header; server.deps parses it, answers a missing
token on protected routes with 401 UNAUTHORIZED and a malformed one anywhere with 401 INVALID_TOKEN (the
framework's own 403 would not use the error envelope). Routes where the token is optional add
`openapi_extra=OPTIONAL_AUTH`, which appends the empty requirement (`[{"bearer": []}, {}]`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.security import HTTPBearer

SCHEME_NAME = "bearer"
DESCRIPTION = "Access token from POST /api/auth/google, or a demo token from POST /api/demo/start"
bearer_scheme = HTTPBearer(auto_error=False, scheme_name=SCHEME_NAME, description=DESCRIPTION)
OPTIONAL_AUTH: dict[str, Any] = {"security": [{}]}


def install(app: FastAPI) -> None:
    """Serve the finished OpenAPI document (server/openapi.py)."""
    from server import openapi

    openapi.install(app)
