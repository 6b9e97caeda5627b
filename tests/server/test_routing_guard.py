"""The prefix guard on included routers must not change routing: same answers, Allow headers and OpenAPI."""

from __future__ import annotations


async def test_every_documented_path_still_routes(client, app) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert len(spec["paths"]) >= 8
    guarded = [route for route in app.router.routes if "guard_prefix" in route.__dict__]
    assert guarded, "included routers with a prefix are guarded"
    for path, operations in spec["paths"].items():
        concrete = path.replace("{", "").replace("}", "")
        response = await client.request("TRACE", concrete)
        # Wrong method on a real path → 405 listing the documented methods (a routing miss would be 404).
        assert response.status_code == 405, (path, response.status_code)
        allowed = {method.strip() for method in response.headers["allow"].split(",")}
        assert {method.upper() for method in operations} <= allowed, (path, allowed)


async def test_prefix_lookalikes_do_not_match(client) -> None:
    assert (await client.get("/api/recipesX")).status_code == 404
    assert (await client.get("/api/recipes/")).status_code in (200, 307, 404)


async def test_remembered_matches_route_like_fresh_ones(client, app) -> None:
    """Parameterless paths are matched once and remembered; parameters, methods and new routes still count."""
    from fastapi import APIRouter

    for _ in range(2):  # the second round is served from the remembered matches
        assert (await client.get("/api/recipes?limit=1")).status_code == 200
        assert (await client.post("/api/recipes")).status_code == 405
        assert (await client.get("/api/cooking/sessions")).status_code == 401
        assert (await client.get("/api/recipes/not-a-uuid")).status_code == 422
    cooking = next(route for route in app.router.routes if route.__dict__.get("guard_prefix") == "/api/cooking")
    remembered = cooking.__dict__["static_matches"]
    assert ("GET", "/api/cooking/sessions", "") in remembered
    assert all(not entry[1][1]["path_params"] for entry in remembered.values())

    extra = APIRouter()

    @extra.get("/sessions-extra")  # under the cooking router's own prefix
    async def sessions_extra() -> dict[str, bool]:
        return {"ok": True}

    before = remembered[("GET", "/api/cooking/sessions", "")]
    shared = cooking.original_router  # the module's router, shared by every app: restored below
    kept = len(shared.routes)
    shared.include_router(extra)  # a route added later changes the routes' version
    try:
        assert (await client.get("/api/cooking/sessions-extra")).json() == {"ok": True}
        assert (await client.get("/api/cooking/sessions")).status_code == 401
        after = remembered[("GET", "/api/cooking/sessions", "")]
        assert after[0] == shared._get_routes_version() != before[0]  # matched afresh
    finally:
        during = shared._get_routes_version()
        del shared.routes[kept:]
        # The version sums the router's own counter and its children's: removing the child takes its share
        # away again, so bump until the version differs from the one the extra route was seen under.
        while shared._get_routes_version() <= during:
            shared._mark_routes_changed()
    assert (await client.get("/api/cooking/sessions-extra")).status_code == 404
