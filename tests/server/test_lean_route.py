"""LeanRoute: which routes it serves, and that its answers equal FastAPI's own handler's, request by request."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, File, Header, Request, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel

from chefmentor.context import AppContext
from server import lean_route
from server.lean_route import LeanRoute, eligible
from tests.server.test_cooking_api import demo_headers
from tests.services.owners import make_recipe


class Item(BaseModel):
    name: str
    count: int = 1


async def request_only(request: Request) -> str:
    return request.method


async def with_cleanup(request: Request) -> AsyncIterator[str]:
    yield request.method


def _route(router: APIRouter, path: str) -> Any:
    return next(route for route in router.routes if getattr(route, "path", None) == path)


def test_eligibility_follows_what_the_lean_handler_can_serve() -> None:
    router = APIRouter(route_class=LeanRoute)

    @router.post("/body/{item_id}")
    async def body_route(item_id: uuid.UUID, item: Item, q: str = "", method: str = Depends(request_only)) -> Response:
        return Response()

    @router.get("/model")
    async def returns_model() -> Item:
        return Item(name="x")

    @router.get("/generator")
    async def generator_dependency(value: Annotated[str, Depends(with_cleanup)]) -> Response:
        return Response()

    @router.get("/header")
    async def header_param(x_thing: Annotated[str, Header()]) -> Response:
        return Response()

    @router.post("/upload")
    async def upload(file: Annotated[UploadFile, File()]) -> Response:
        return Response()

    @router.get("/sync")
    def sync_route() -> Response:
        return Response()

    assert eligible(_route(router, "/body/{item_id}"))
    for path in ("/model", "/generator", "/header", "/upload", "/sync"):
        assert not eligible(_route(router, path)), path


class LeanCalls:
    """Counts the lean handler's conversions of parameters and bodies (FastAPI's solver calls its own
    module's functions, not these names)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        for name in ("request_params_to_args", "_convert", "_read_body"):
            monkeypatch.setattr(lean_route, name, self._counted(getattr(lean_route, name)))

    def _counted(self, original: Any) -> Any:
        def counted(*args: Any) -> Any:
            self.count += 1
            return original(*args)

        return counted


async def _both_handlers(
    app: FastAPI, client: httpx.AsyncClient, calls: LeanCalls, method: str, path: str, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    """The same request served by the lean handler, then (with an override set) by FastAPI's handler."""
    before = calls.count
    lean = await client.request(method, path, **kwargs)
    lean_used = calls.count > before
    app.dependency_overrides[request_only] = request_only  # any override sends requests to FastAPI's handler
    try:
        standard = await client.request(method, path, **kwargs)
    finally:
        app.dependency_overrides.clear()
    after = calls.count
    standard_used = calls.count > after
    # A request refused by a dependency (401) never reaches parameter conversion on either handler.
    assert lean_used or lean.status_code == 401, (method, path)
    assert not standard_used
    return lean, standard


async def test_lean_and_fastapi_handlers_answer_alike(
    app: FastAPI, client: httpx.AsyncClient, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = LeanCalls(monkeypatch)
    demo = await demo_headers(client)
    recipe_id = await make_recipe(ctx, steps=3)
    started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=demo)
    session_id = started.json()["id"]
    event = {"sessionId": session_id, "stepNumber": 1, "event": "note", "data": {"text": "hi"}}
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/recipes", {}),
        ("GET", "/api/recipes?limit=1&offset=1", {}),
        ("GET", "/api/recipes?limit=-3", {}),
        ("GET", "/api/recipes?limit=abc&difficulty=impossible", {}),
        ("GET", "/api/recipes?q=%00%27%3B--", {}),
        ("GET", "/api/recipes?limit=1&limit=200&difficulty=easy", {}),
        ("GET", "/api/recipes?offset=99999999999999999999&q=" + "x" * 500, {}),
        ("GET", "/api/recipes?limit=&offset=1.5&unknown=1", {}),
        ("GET", f"/api/recipes/{recipe_id}", {}),
        ("GET", "/api/recipes/not-a-uuid", {}),
        ("GET", f"/api/recipes/{uuid.uuid4()}", {}),
        ("POST", "/api/cooking/step-event", {"json": event}),
        ("POST", "/api/cooking/step-event", {"json": event, "headers": {"Authorization": "Bearer nope"}}),
        ("POST", "/api/cooking/step-event", {"content": b"{not json", "headers": demo}),
        ("POST", "/api/cooking/step-event", {"content": b"", "headers": demo}),
        (
            "POST",
            "/api/cooking/step-event",
            {"content": b"\x80\xa8", "headers": {**demo, "content-type": "application/json"}},
        ),
        ("POST", "/api/cooking/step-event", {"json": {**event, "stepNumber": "one"}, "headers": demo}),
        ("POST", "/api/cooking/step-event", {"json": {**event, "extra": 1}, "headers": demo}),
        ("POST", "/api/cooking/step-event", {"json": {**event, "stepNumber": 99}, "headers": demo}),
        ("POST", "/api/cooking/step-event", {"json": [event], "headers": demo}),
        (
            "POST",
            "/api/cooking/step-event",
            {"content": b'{"sessionId": 1}', "headers": {**demo, "content-type": "text/plain"}},
        ),
        ("GET", f"/api/cooking/sessions/{session_id}", {"headers": demo}),
        ("GET", "/api/cooking/sessions?limit=0", {"headers": demo}),
    ]
    for method, path, kwargs in cases:
        lean, standard = await _both_handlers(app, client, calls, method, path, **kwargs)
        assert lean.status_code == standard.status_code, (method, path, lean.text, standard.text)
        assert lean.json() == standard.json(), (method, path)
        assert lean.headers.get("retry-after") == standard.headers.get("retry-after")

    written = [
        await _both_handlers(app, client, calls, "POST", "/api/cooking/step-event", json=event, headers=demo)
        for _ in range(2)
    ]
    for lean, standard in written:
        assert lean.status_code == standard.status_code == 200
        assert lean.json()["currentStep"] == standard.json()["currentStep"]
