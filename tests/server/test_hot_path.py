"""HotPathMiddleware: a replayed routing decision answers exactly as FastAPI's routing did."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from chefmentor.cache import BoundedMemo
from chefmentor.context import AppContext
from server import hot_path as hot_path_module
from server.hot_path import HotPathMiddleware, RoutesVersion
from server.lean_route import LeanRoute
from tests.server.test_cooking_api import demo_headers
from tests.services.owners import make_recipe


async def hot_path(app: FastAPI, client: httpx.AsyncClient) -> HotPathMiddleware:
    if app.middleware_stack is None:
        await client.get("/health")  # builds the middleware stack
    layer: Any = app.middleware_stack
    while not isinstance(layer, HotPathMiddleware):
        layer = layer.app
    return layer


async def _routed_then_replayed(
    app: FastAPI, client: httpx.AsyncClient, method: str, path: str, **kwargs: Any
) -> tuple[httpx.Response, httpx.Response]:
    middleware = await hot_path(app, client)
    middleware.paths.clear()
    routed = await client.request(method, path, **kwargs)
    before = middleware.replayed
    replayed = await client.request(method, path, **kwargs)
    assert middleware.replayed == before + 1, (method, path, "was not replayed")
    return routed, replayed


async def test_replayed_requests_answer_as_routed_ones(
    app: FastAPI, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    demo = await demo_headers(client)
    recipe_id = await make_recipe(ctx, steps=3)
    started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=demo)
    session_id = started.json()["id"]
    event = {"sessionId": session_id, "stepNumber": 1, "event": "note", "eventId": "hot-1"}
    cases: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/recipes?limit=2", {}),
        ("GET", "/api/recipes?limit=-3", {}),
        ("GET", f"/api/recipes/{recipe_id}", {}),
        ("GET", f"/api/recipes/{uuid.uuid4()}", {}),
        ("GET", "/api/recipes/not-a-uuid", {}),
        ("POST", "/api/cooking/step-event", {"json": event, "headers": demo}),  # eventId: the same answer twice
        ("POST", "/api/cooking/step-event", {"json": event, "headers": {"Authorization": "Bearer nope"}}),
        ("POST", "/api/cooking/step-event", {"json": event}),
        ("POST", "/api/cooking/step-event", {"content": b"{not json", "headers": demo}),
        ("POST", "/api/cooking/step-event", {"json": {**event, "stepNumber": 99}, "headers": demo}),
        ("POST", "/api/cooking/step-event", {"json": {**event, "extra": 1}, "headers": demo}),
        ("GET", f"/api/cooking/sessions/{session_id}", {"headers": demo}),
    ]
    for method, path, kwargs in cases:
        routed, replayed = await _routed_then_replayed(app, client, method, path, **kwargs)
        assert replayed.status_code == routed.status_code, (method, path, routed.text, replayed.text)
        assert replayed.json() == routed.json(), (method, path)
        for header in ("content-type", "cache-control", "x-frame-options", "ratelimit-policy", "retry-after"):
            assert replayed.headers.get(header) == routed.headers.get(header), (method, path, header)


async def test_each_path_keeps_its_own_parameters(app: FastAPI, client: httpx.AsyncClient, ctx: AppContext) -> None:
    first, second = await make_recipe(ctx, steps=2), await make_recipe(ctx, steps=4)
    for recipe_id, steps in ((first, 2), (second, 4), (first, 2), (second, 4)):
        answer = await client.get(f"/api/recipes/{recipe_id}")
        assert answer.json()["id"] == str(recipe_id) and len(answer.json()["steps"]) == steps
    assert (await hot_path(app, client)).replayed >= 2


async def test_paths_kept_are_bounded_in_length_and_number(
    app: FastAPI, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    middleware = await hot_path(app, client)
    monkeypatch.setattr(middleware, "paths", BoundedMemo(3))
    long_path = "/api/recipes/" + "x" * hot_path_module.MAX_PATH_LENGTH
    assert (await client.get(long_path)).status_code == 422
    assert middleware.paths.peek(("GET", long_path)) is None
    for _ in range(5):
        await client.get(f"/api/recipes/{uuid.uuid4()}")
    assert len(middleware.paths) == 3


async def test_replayed_requests_are_counted_under_their_route_template(
    app: FastAPI, client: httpx.AsyncClient, ctx: AppContext
) -> None:
    recipe_id = await make_recipe(ctx, steps=2)
    await _routed_then_replayed(app, client, "GET", f"/api/recipes/{recipe_id}")
    metrics = (await client.get("/metrics")).text
    line = next(
        line
        for line in metrics.splitlines()
        if line.startswith("chefmentor_http_requests_total{")
        and 'route="/api/recipes/{recipe_id}"' in line
        and 'status="200"' in line
    )
    assert float(line.rsplit(" ", 1)[1]) >= 2


async def test_overrides_and_new_routes_go_through_fastapi(app: FastAPI, client: httpx.AsyncClient) -> None:
    middleware = await hot_path(app, client)
    await client.get("/api/recipes")
    app.dependency_overrides[_marker] = _marker
    try:
        before = middleware.replayed
        assert (await client.get("/api/recipes")).status_code == 200
        assert middleware.replayed == before
    finally:
        app.dependency_overrides.clear()
    # A path FastAPI sent to /api/recipes/{recipe_id} (and that was remembered) goes to a route inserted
    # before it once the routes change.
    late_path = "/api/recipes/late-addition"
    assert (await client.get(late_path)).status_code == 422
    assert middleware.paths.peek(("GET", late_path)) is not None
    router = next(r.original_router for r in app.router.routes if getattr(r, "guard_prefix", "") == "/api/recipes")
    added = APIRouter(route_class=LeanRoute)

    @added.get(late_path)
    async def late(request: Request) -> Response:
        return Response(b"late")

    router.routes.insert(0, added.routes[0])
    router._routes_version += 1
    try:
        assert (await client.get(late_path)).content == b"late"
    finally:
        del router.routes[0]
        router._routes_version += 1
    assert (await client.get(late_path)).status_code == 422


async def _marker() -> None:
    return None


def test_routes_version_sees_changes_in_included_routers() -> None:
    app = FastAPI()
    inner = APIRouter(prefix="/inner")

    @inner.get("/a")
    async def a() -> None:
        return None

    app.include_router(inner)
    version = RoutesVersion(app.router)
    assert version.changed()  # first look
    assert not version.changed()
    included = next(r.original_router for r in app.router.routes if hasattr(r, "original_router"))

    @included.get("/b")
    async def b() -> None:
        return None

    assert version.changed()
    assert not version.changed()


@pytest.fixture(autouse=True)
def _no_override_leak(app: FastAPI) -> Any:
    yield
    app.dependency_overrides.clear()
