"""Factories for owners (users, demo sessions), recipes and stored analyses used by service tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.actor import Actor
from chefmentor.auth.models import DemoSession, User
from chefmentor.cache import MemoryCache
from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from chefmentor.context import AppContext, open_context
from chefmentor.cooking.schemas import GuidanceRead
from chefmentor.cooking.service import record_step_event
from chefmentor.failure.models import AnalysisStatus, FailureAnalysis
from chefmentor.recipes.models import Recipe
from chefmentor.recipes.schemas import RecipeCreate, RecipeStepCreate
from chefmentor.recipes.service import upsert_recipe

T0 = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)


async def make_user(ctx: AppContext, name: str = "Ada") -> Actor:
    async with ctx.session() as session:
        user = User(email=f"{name.lower()}-{uuid.uuid4().hex[:8]}@example.com", name=name)
        session.add(user)
        await session.commit()
        return Actor.user(user.id)


async def make_demo(ctx: AppContext) -> Actor:
    async with ctx.session() as session:
        demo = DemoSession(expires_at=datetime.now(UTC) + timedelta(hours=24))
        session.add(demo)
        await session.commit()
        return Actor.demo(demo.id)


async def make_recipe(ctx: AppContext, steps: int = 4, name: str | None = None) -> uuid.UUID:
    """A recipe with `steps` steps, step N expecting N minutes; heat alternates low/high."""
    data = RecipeCreate(
        name=name or f"Test dish {uuid.uuid4().hex[:6]}",
        steps=[
            RecipeStepCreate(
                instruction=f"Do step {n}",
                expected_state=f"state {n}",
                expected_minutes=float(n),
                heat="high" if n % 2 == 0 else "low",
            )
            for n in range(1, steps + 1)
        ],
    )
    async with ctx.session() as session:
        recipe, _ = await upsert_recipe(session, data, cache=ctx.cache)
        return recipe.id


async def any_seeded_recipe(ctx: AppContext) -> uuid.UUID:
    async with ctx.session() as session:
        return (await session.execute(select(Recipe.id).order_by(Recipe.name).limit(1))).scalar_one()


async def make_analysis(ctx: AppContext, actor: Actor, **fields: Any) -> uuid.UUID:
    values: dict[str, Any] = {
        "media_url": "https://media.example/x.jpg",
        "status": AnalysisStatus.COMPLETED,
        "category": "heat_too_high",
        "confidence": 0.8,
        "root_cause": "The pan was too hot",
        "explanation": "Dark crust, raw centre",
        "diagnosis": {
            "evidence": ["charred edges"],
            "suspectedStep": 2,
            "fixNow": "Scrape and lower heat",
            "nextTime": ["Use medium heat"],
            "safety": [],
        },
        "provider": "local",
        "model": "local-rules",
        "attempts": [{"provider": "local", "ok": True, "error": None, "latencyMs": 2.5}],
        "dish": "pancakes",
    }
    values.update(fields)
    async with ctx.session() as session:
        row = FailureAnalysis(user_id=actor.user_id, demo_session_id=actor.demo_session_id, **values)
        session.add(row)
        await session.commit()
        return row.id


@pytest.fixture(params=["sqlite", pytest.param("pg", marks=pytest.mark.pg)])
def db_settings(request: pytest.FixtureRequest) -> Settings:
    """Run a test once on the migrated SQLite copy and once on the real PostgreSQL."""
    name = "settings" if request.param == "sqlite" else "pg_settings"
    value: Settings = request.getfixturevalue(name)
    return value


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(T0)


@pytest.fixture
async def cook_ctx(db_settings: Settings, clock: FrozenClock) -> AsyncIterator[AppContext]:
    async with open_context(db_settings, clock=clock, cache=MemoryCache()) as ctx:
        yield ctx


async def record_event(
    ctx: AppContext,
    session: AsyncSession,
    actor: Actor,
    session_id: uuid.UUID,
    step_number: int,
    event: str,
    **extra: Any,
) -> GuidanceRead:
    """`record_step_event` on the context's cache and clock (`extra`: data, at, client_event_id)."""
    return await record_step_event(
        session,
        actor=actor,
        session_id=session_id,
        step_number=step_number,
        event=event,
        cache=ctx.cache,
        clock=ctx.clock,
        **extra,
    )
