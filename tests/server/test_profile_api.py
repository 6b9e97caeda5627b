"""GET/PUT /api/profile over HTTP: a demo reads its unsaved profile but cannot save; only habits writable; audit."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select

from chefmentor.audit.models import AuditLog
from chefmentor.auth.models import User
from chefmentor.auth.tokens import issue_access_token
from chefmentor.context import AppContext
from chefmentor.profile.models import UserProfile
from tests.server.conftest import envelope_code
from tests.server.test_cooking_api import demo_headers
from tests.services.owners import make_recipe, make_user


async def _count(ctx: AppContext, model: type) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
async def ada(ctx: AppContext) -> tuple[object, dict[str, str]]:
    actor = await make_user(ctx, "Ada")
    token = issue_access_token(ctx.settings, actor.id, now=datetime.now(UTC)).token  # type: ignore[arg-type]
    return actor, {"Authorization": f"Bearer {token}"}


async def test_get_and_put_profile(client: httpx.AsyncClient, ctx: AppContext, ada) -> None:
    actor, headers = ada
    fresh = await client.get("/api/profile", headers=headers)
    assert fresh.status_code == 200
    assert fresh.json()["cookingHabits"]["skillLevel"] == "beginner" and fresh.json()["stats"]["sessionsCooked"] == 0
    body = {
        "cookingHabits": {"skillLevel": "intermediate", "dietaryPreferences": ["vegetarian"], "voiceEnabled": False}
    }
    saved = await client.put("/api/profile", json=body, headers=headers)
    assert saved.status_code == 200, saved.text
    habits = saved.json()["cookingHabits"]
    assert habits == {
        "skillLevel": "intermediate",
        "dietaryPreferences": ["vegetarian"],
        "equipment": [],
        "preferredUnits": "metric",
        "voiceEnabled": False,
    }
    async with ctx.session() as session:
        row = (await session.scalars(select(UserProfile))).one()
        audit = (await session.scalars(select(AuditLog).where(AuditLog.entity == "user_profile"))).one()
    assert row.user_id == actor.id and row.cooking_habits["skillLevel"] == "intermediate"
    assert audit.actor_id == actor.id and audit.request_id == saved.headers["x-request-id"]


async def test_demo_reads_its_unsaved_profile_and_cannot_save_it(client: httpx.AsyncClient, ctx: AppContext) -> None:
    demo = await demo_headers(client)
    recipe_id = await make_recipe(ctx, steps=2)
    started = await client.post("/api/cooking/start", json={"recipeId": str(recipe_id)}, headers=demo)
    assert started.status_code == 201
    read = await client.get("/api/profile", headers=demo)
    assert read.status_code == 200, read.text
    body = read.json()
    assert body["editable"] is False and body["updatedAt"] is None
    assert body["cookingHabits"]["skillLevel"] == "beginner"
    assert body["stats"]["sessionsCooked"] == 1 and body["stats"]["sessionsInProgress"] == 1
    other = await client.get("/api/profile", headers=await demo_headers(client))
    assert other.json()["stats"]["sessionsCooked"] == 0, "a demo sees only its own sessions"
    saved = await client.put("/api/profile", json={"cookingHabits": {"skillLevel": "advanced"}}, headers=demo)
    assert saved.status_code == 403 and envelope_code(saved) == "DEMO_RESTRICTED"
    assert (await client.get("/api/profile", headers=demo)).json()["cookingHabits"]["skillLevel"] == "beginner"
    assert await _count(ctx, UserProfile) == 0
    anonymous = await client.get("/api/profile")
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        {"cookingHabits": {"role": "admin"}},
        {"cookingHabits": {}, "role": "admin"},
        {"cookingHabits": {}, "email": "root@example.com"},
        {"cookingHabits": {"skillLevel": "grandmaster"}},
        {"cookingHabits": {"equipment": ["wok"] * 21}},
        {"cookingHabits": {"equipment": ["w" * 200]}},
        {"cookingHabits": {"dietaryPreferences": ["vegan\u0000"]}},
        {"cookingHabits": "beginner"},
        {},
    ],
)
async def test_only_habit_fields_are_writable(client: httpx.AsyncClient, ctx: AppContext, ada, body) -> None:
    actor, headers = ada
    response = await client.put("/api/profile", json=body, headers=headers)
    assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"
    assert await _count(ctx, UserProfile) == 0
    async with ctx.session() as session:
        user = await session.get(User, actor.id)
        assert user is not None and user.role.value == "user" and user.email.startswith("ada-")
