"""LeanRoute: an APIRoute whose request handler skips FastAPI's general dependency solver where it can.

FastAPI 0.165's handler solves every request through the general machinery: a Response object for
dependency headers, a scope-walk per dependency, a cache key per dependency, recursion into each
sub-dependency, the endpoint-context extraction. On POST /api/cooking/step-event that was ~20% of the
route's CPU (bench/api.py). Most of our routes need none of it: their dependencies take only the Request
(rate limit, actor), and the rest are path, query and JSON body parameters.

For such a route the lean handler calls each request-only dependency directly (once per request, as
FastAPI's cache would), then converts path, query and body with FastAPI's own functions (its per-value
validation for one-value parameters, `request_params_to_args` for the rest, `request_body_to_args`), so
values, validation errors and their locations are exactly what FastAPI produces (tests/server/
test_lean_route.py compares the two handlers request by request). Everything else about the route
(OpenAPI, matching, included-router dependencies, middleware) is FastAPI's. A route it cannot handle, or
a request made while `app.dependency_overrides` is set (tests), goes through FastAPI's own handler.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request, params
from fastapi._body_limit import get_body_limit_error
from fastapi._compat import Undefined
from fastapi._compat.shared import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.dependencies.utils import (
    _get_param_aliases,
    _get_param_model,
    _is_json_field,
    _validate_value_with_model_field,
    request_body_to_args,
    request_params_to_args,
)
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, _effective_route_context_var
from starlette.exceptions import HTTPException
from starlette.middleware.body_limit import MAX_BODY_SIZE_SCOPE_KEY
from starlette.responses import Response

from server.hot_path import report_route

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _is_async_function(call: Any) -> bool:
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(getattr(call, "__call__", None))  # noqa: B004


def _plain(dependant: Dependant) -> bool:
    """An `async def` taking no headers, cookies or FastAPI-injected objects (background tasks, response...)."""
    return (
        _is_async_function(dependant.call)
        and not (dependant.header_params or dependant.cookie_params)
        and dependant.background_tasks_param_name is None
        and dependant.response_param_name is None
        and dependant.websocket_param_name is None
        and dependant.security_scopes_param_name is None
    )


def _request_only(dependant: Dependant) -> bool:
    """A dependency that is `async def f(request: Request)`: nothing to solve, no cleanup to schedule."""
    return (
        _plain(dependant)
        and not dependant.dependencies
        and not (dependant.path_params or dependant.query_params or dependant.body_params)
    )


def _returns_response(call: Any) -> bool:
    annotation = inspect.signature(call, eval_str=True).return_annotation
    return isinstance(annotation, type) and issubclass(annotation, Response)


def _json_body_field(route: Any) -> bool:
    field = route.body_field
    return field is None or not isinstance(field.field_info, (params.Form, params.File))


def eligible(route: Any) -> bool:
    dependant: Dependant = route.dependant
    return (
        _plain(dependant)
        and _returns_response(dependant.call)
        and all(_request_only(sub) for sub in dependant.dependencies)
        and _json_body_field(route)
    )


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    media = content_type.partition(";")[0].strip().lower()
    kind, _, subtype = media.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def _json_error(exc: json.JSONDecodeError) -> RequestValidationError:
    error = {"type": "json_invalid", "loc": ("body", exc.pos), "msg": "JSON decode error", "input": {}}
    return RequestValidationError([{**error, "ctx": {"error": exc.msg}}], body=exc.doc)


async def _read_body(request: Request) -> Any:
    """The body as FastAPI's handler reads it: JSON when declared so, the raw bytes otherwise; a body that
    is not even text (invalid UTF-8) is FastAPI's 400."""
    try:
        raw = await request.body()
        if not raw:
            return Undefined
        if not _is_json(request.headers.get("content-type")):
            return raw
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise _json_error(exc) from exc
    except HTTPException:
        raise
    except Exception as exc:
        if MAX_BODY_SIZE_SCOPE_KEY in request.scope and (limit_error := get_body_limit_error(exc)):
            raise limit_error from exc
        raise HTTPException(status_code=400, detail="There was an error parsing the body") from exc


@dataclass(frozen=True, slots=True)
class _ScalarParam:
    """A path or query parameter holding one value: what FastAPI's request_params_to_args works out per
    request for each parameter (its param model, aliases, whether it is a sequence: ~25% of a cached
    GET /api/recipes with four query parameters) is worked out here once."""

    field: Any
    name: str
    aliases: tuple[str, ...]
    location: str


def _scalar_params(fields: list[Any]) -> list[_ScalarParam] | None:
    """None when a parameter needs FastAPI's general conversion (a param model, a list, a Json value)."""
    scalars = []
    for field in fields:
        annotation = field.field_info.annotation
        if _get_param_model(field) is not None or field_annotation_is_sequence(annotation) or _is_json_field(field):
            return None
        aliases = tuple(request_key for _, request_key in _get_param_aliases(field))
        scalars.append(_ScalarParam(field, field.name, aliases, field.field_info.in_.value))
    return scalars


def _convert(
    scalars: list[_ScalarParam], received: Mapping[str, Any], values: dict[str, Any], errors: list[Any]
) -> None:
    """request_params_to_args for scalar parameters: same lookup, same validation, same error locations."""
    for param in scalars:
        alias = next((key for key in param.aliases if key in received), param.aliases[0])
        value = received.get(alias)
        converted, problems = _validate_value_with_model_field(
            field=param.field, value=Undefined if value is None else value, values=values, loc=(param.location, alias)
        )
        if problems:
            errors.extend(problems)
        else:
            values[param.name] = converted


def _params_converter(fields: list[Any]) -> Callable[[Mapping[str, Any], dict[str, Any], list[Any]], None] | None:
    if not fields:
        return None
    scalars = _scalar_params(fields)
    if scalars is None:

        def general(received: Mapping[str, Any], values: dict[str, Any], errors: list[Any]) -> None:
            found, problems = request_params_to_args(fields, received)
            values.update(found)
            errors.extend(problems)

        return general
    return lambda received, values, errors: _convert(scalars, received, values, errors)


def lean_handler(route: Any, fallback: Handler) -> Handler:
    dependant: Dependant = route.dependant
    call: Any = dependant.call
    dependencies: list[tuple[Any, str | None, bool]] = [
        (sub.call, sub.name, sub.use_cache) for sub in dependant.dependencies
    ]
    convert_path = _params_converter(dependant.path_params)
    convert_query = _params_converter(dependant.query_params)
    body_fields = dependant.body_params
    embed = route._embed_body_fields
    request_name = dependant.request_param_name
    overrides_provider = route.dependency_overrides_provider

    async def handle(request: Request) -> Response:
        if overrides_provider is not None and getattr(overrides_provider, "dependency_overrides", None):
            return await fallback(request)
        report_route(request.scope, handle)
        values: dict[str, Any] = {}
        solved: dict[Any, Any] = {}
        for dependency, name, use_cache in dependencies:
            if use_cache and dependency in solved:
                result = solved[dependency]
            else:
                result = solved[dependency] = await dependency(request)
            if name is not None:
                values[name] = result
        errors: list[Any] = []
        if convert_path is not None:
            convert_path(request.path_params, values, errors)
        if convert_query is not None:
            convert_query(request.query_params, values, errors)
        body: Any = Undefined
        if body_fields:
            body = await _read_body(request)
            found, problems = await request_body_to_args(body_fields, body, embed)
            values.update(found)
            errors += problems
        if errors:
            raise RequestValidationError(errors, body=None if body is Undefined else body)
        if request_name is not None:
            values[request_name] = request
        response: Response = await call(**values)
        return response

    return handle


class LeanRoute(APIRoute):
    """Use as `APIRouter(route_class=LeanRoute)`; routes the lean handler cannot serve keep FastAPI's."""

    def get_route_handler(self) -> Handler:
        fallback = super().get_route_handler()
        context = _effective_route_context_var.get()
        route = context if context is not None and context.original_route is self else self
        return lean_handler(route, fallback) if eligible(route) else fallback
