"""FastAPI's own routing answers every documented path: 405 with an Allow header for a wrong method."""

from __future__ import annotations


async def test_every_documented_path_routes(client) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert len(spec["paths"]) >= 8
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
