"""What the error handlers need to know about a request: its body's media type against its route's, and the
methods its path allows.

415 for a body of the wrong media type (issue 17 #7): a JSON route sent `text/plain`, a form route sent JSON.

FastAPI parses a JSON body only under an `application/json` (or `+json`) Content-Type; any other type reaches
validation as raw bytes and used to fail as 422, although the OpenAPI document lists the route's one
accepted type. The route's body field says which kind it expects (FastAPI's public `APIRoute.body_field`).
"""

from __future__ import annotations

import email.message
from typing import Any

from fastapi import params
from fastapi.routing import APIRoute
from starlette.requests import Request

FORM_TYPES = frozenset({"multipart/form-data", "application/x-www-form-urlencoded"})


def _media_type(header: str) -> str:
    message = email.message.Message()
    message["content-type"] = header
    return message.get_content_type().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (media_type.startswith("application/") and media_type.endswith("+json"))


def unparseable_body_message(request: Request) -> str:
    """For FastAPI's 400 "error parsing the body" (answered as 422): which parser gave up, never its text."""
    header = request.headers.get("content-type")
    media_type = _media_type(header) if header else "application/json"
    if media_type in FORM_TYPES:
        return f"The request body could not be parsed as {media_type}"
    return "The request body is not valid JSON (UTF-8, nested at most a few hundred levels)"


def content_type_mismatch(request: Request) -> str | None:
    """The 415 message when the request's Content-Type is not the kind of body its route reads, else None."""
    header = request.headers.get("content-type")
    route = request.scope.get("route")
    if not header or not isinstance(route, APIRoute) or route.body_field is None:
        return None
    media_type = _media_type(header)
    expects_form = isinstance(route.body_field.field_info, params.Form | params.File)
    if expects_form and media_type not in FORM_TYPES:
        return f"This endpoint accepts multipart/form-data, not {media_type}"
    if not expects_form and not _is_json(media_type):
        return f"This endpoint accepts application/json, not {media_type}"
    return None


def allowed_methods(request: Request) -> str:
    """Starlette's Allow lists only the first route matching the path; a path often has one route per method."""
    from starlette.routing import Match

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
