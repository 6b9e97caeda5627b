"""GET /api/recipes and /api/recipes/{id}: bounded pages, search, filter, ordered steps, cache."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import seed_fixture_recipes
from tests.server.conftest import envelope_code


@pytest.fixture
async def seeded(client, ctx):
    await seed_fixture_recipes(ctx)
    return client


async def test_list_is_paginated_and_sorted(seeded) -> None:
    full = (await seeded.get("/api/recipes", params={"limit": 100})).json()
    assert full["total"] == 5 and len(full["items"]) == 5
    names = [item["name"] for item in full["items"]]
    assert names == sorted(names)
    page = (await seeded.get("/api/recipes", params={"limit": 2, "offset": 2})).json()
    assert [item["id"] for item in page["items"]] == [item["id"] for item in full["items"][2:4]]
    assert page["limit"] == 2 and page["offset"] == 2 and page["total"] == 5
    assert set(page["items"][0]) >= {"id", "name", "difficulty", "estimatedTimeMin"}
    beyond = (await seeded.get("/api/recipes", params={"offset": 50})).json()
    assert beyond["items"] == [] and beyond["total"] == 5


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0},
        {"limit": 101},
        {"limit": -1},
        {"offset": -1},
        {"offset": 10**12},
        {"limit": "ten"},
        {"difficulty": "impossible"},
        {"q": "x" * 101},
    ],
)
async def test_bad_pagination_is_422(seeded, params) -> None:
    response = await seeded.get("/api/recipes", params=params)
    assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"


async def test_search_and_difficulty_filter(seeded) -> None:
    everything = (await seeded.get("/api/recipes", params={"limit": 100})).json()["items"]
    target = everything[0]
    fragment = target["name"][1:4].upper()
    found = (await seeded.get("/api/recipes", params={"q": fragment})).json()
    assert target["id"] in [item["id"] for item in found["items"]]
    assert all(fragment.lower() in item["name"].lower() for item in found["items"])
    level = target["difficulty"]
    filtered = (await seeded.get("/api/recipes", params={"difficulty": level, "limit": 100})).json()
    assert filtered["items"] and all(item["difficulty"] == level for item in filtered["items"])
    assert filtered["total"] == sum(1 for item in everything if item["difficulty"] == level)
    for hostile in ("%", "_", "' OR 1=1 --", "\\"):
        response = await seeded.get("/api/recipes", params={"q": hostile})
        assert response.status_code == 200
        assert all(hostile.lower() in item["name"].lower() for item in response.json()["items"])


async def test_detail_has_ordered_steps_and_unknown_is_404(seeded) -> None:
    first = (await seeded.get("/api/recipes")).json()["items"][0]
    detail = await seeded.get(f"/api/recipes/{first['id']}")
    assert detail.status_code == 200
    body = detail.json()
    numbers = [step["stepNumber"] for step in body["steps"]]
    assert numbers == sorted(numbers) and numbers[0] == 1 and len(numbers) >= 3
    assert all(step["instruction"] for step in body["steps"])
    missing = await seeded.get(f"/api/recipes/{uuid.uuid4()}")
    assert missing.status_code == 404 and envelope_code(missing) == "NOT_FOUND"
    malformed = await seeded.get("/api/recipes/not-a-uuid")
    assert malformed.status_code == 422 and envelope_code(malformed) == "VALIDATION_ERROR"


async def test_reads_are_served_from_cache(seeded, ctx) -> None:
    from sqlalchemy import update

    from chefmentor.recipes.models import Recipe

    first = (await seeded.get("/api/recipes")).json()["items"][0]
    await seeded.get(f"/api/recipes/{first['id']}")
    async with ctx.session() as session:
        await session.execute(update(Recipe).where(Recipe.id == uuid.UUID(first["id"])).values(name="Renamed"))
        await session.commit()
    cached = (await seeded.get(f"/api/recipes/{first['id']}")).json()
    assert cached["name"] == first["name"], "the second read came from the cache, not the DB"
