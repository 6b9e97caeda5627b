"""Profile: habits (only five writable fields), computed stats, demo restriction, audit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError as PydanticValidationError
from sqlalchemy import select

from chefmentor.actor import Actor
from chefmentor.audit.models import AuditLog
from chefmentor.auth.local import LOCAL_USER_EMAIL
from chefmentor.auth.models import User
from chefmentor.clock import FrozenClock
from chefmentor.context import AppContext
from chefmentor.cooking.service import abandon_cooking_session, complete_cooking_session, start_cooking
from chefmentor.errors import DemoRestrictedError
from chefmentor.profile.models import UserProfile
from chefmentor.profile.schemas import CookingHabitsUpdate, ProfileUpdate
from chefmentor.profile.service import get_profile, update_profile
from tests.services.owners import clock, cook_ctx, db_settings, make_analysis, make_demo, make_recipe, make_user

__all__ = ["clock", "cook_ctx", "db_settings"]


async def _rows(ctx: AppContext) -> list[UserProfile]:
    async with ctx.session() as session:
        return list(await session.scalars(select(UserProfile)))


async def test_defaults_then_partial_updates_merge_and_audit(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    async with cook_ctx.session() as session:
        fresh = await get_profile(session, actor=ada)
        assert fresh.updated_at is None and fresh.cooking_habits.skill_level == "beginner"
        assert fresh.stats.sessions_cooked == 0 and fresh.stats.completion_rate is None
        first = await update_profile(
            session,
            actor=ada,
            habits=CookingHabitsUpdate.model_validate(
                {"skillLevel": "advanced", "equipment": [" cast-iron  pan ", "Cast-Iron Pan", "wok"]}
            ),
            clock=clock,
        )
        assert first.cooking_habits.skill_level == "advanced"
        assert first.cooking_habits.equipment == ["cast-iron pan", "wok"]
        clock.advance(minutes=5)
        second = await update_profile(
            session,
            actor=ada,
            habits=CookingHabitsUpdate.model_validate({"preferredUnits": "imperial", "voiceEnabled": False}),
            clock=clock,
        )
    habits = second.cooking_habits
    assert (habits.skill_level, habits.preferred_units, habits.voice_enabled) == ("advanced", "imperial", False)
    assert habits.equipment == ["cast-iron pan", "wok"] and second.updated_at == clock.now()
    (row,) = await _rows(cook_ctx)
    assert row.user_id == ada.id and row.cooking_habits["preferredUnits"] == "imperial"
    async with cook_ctx.session() as session:
        audit = list(
            await session.scalars(
                select(AuditLog).where(AuditLog.entity == "user_profile").order_by(AuditLog.created_at)
            )
        )
    assert [a.details["fields"] for a in audit] == [["equipment", "skillLevel"], ["preferredUnits", "voiceEnabled"]]
    assert {a.actor_id for a in audit} == {ada.id}


async def test_an_unchanged_update_writes_no_audit(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    update = CookingHabitsUpdate.model_validate({"skillLevel": "intermediate"})
    async with cook_ctx.session() as session:
        await update_profile(session, actor=ada, habits=update, clock=clock)
        await update_profile(session, actor=ada, habits=update, clock=clock)
        count = len(list(await session.scalars(select(AuditLog).where(AuditLog.entity == "user_profile"))))
    assert count == 1


@pytest.mark.parametrize(
    "body",
    [
        {"cookingHabits": {"role": "admin"}},
        {"cookingHabits": {"skillLevel": "wizard"}},
        {"cookingHabits": {"preferredUnits": "cubits"}},
        {"cookingHabits": {"equipment": ["x" * 41]}},
        {"cookingHabits": {"equipment": ["pan"] * 21}},
        {"cookingHabits": {"dietaryPreferences": ["vegan\x00"]}},
        {"cookingHabits": {"voiceEnabled": "sometimes"}},
        {"cookingHabits": {}, "email": "evil@example.com"},
        {"userId": "00000000-0000-0000-0000-000000000000", "cookingHabits": {}},
    ],
)
def test_only_bounded_habit_fields_are_accepted(body: dict[str, object]) -> None:
    with pytest.raises(PydanticValidationError):
        ProfileUpdate.model_validate(body)


async def test_role_and_email_are_untouchable(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada = await make_user(cook_ctx)
    async with cook_ctx.session() as session:
        before = await session.get(User, ada.id)
        assert before is not None
        email, role = before.email, before.role
        body = ProfileUpdate.model_validate({"cookingHabits": {"skillLevel": "advanced"}})
        await update_profile(session, actor=ada, habits=body.cooking_habits, clock=clock)
    async with cook_ctx.session() as session:
        after = await session.get(User, ada.id)
        assert after is not None and (after.email, after.role) == (email, role)


async def test_demo_reads_an_unsaved_profile_with_its_own_stats_and_cannot_save(
    cook_ctx: AppContext, clock: FrozenClock
) -> None:
    demo, other, ada = await make_demo(cook_ctx), await make_demo(cook_ctx), await make_user(cook_ctx)
    recipe_id = await make_recipe(cook_ctx, steps=2)
    kw = {"cache": cook_ctx.cache, "clock": clock}
    async with cook_ctx.session() as session:
        mine = [(await start_cooking(session, actor=demo, recipe_id=recipe_id, **kw)).id for _ in range(3)]  # type: ignore[arg-type]
        await start_cooking(session, actor=other, recipe_id=recipe_id, **kw)  # type: ignore[arg-type]
        await start_cooking(session, actor=ada, recipe_id=recipe_id, **kw)  # type: ignore[arg-type]
        await complete_cooking_session(session, actor=demo, session_id=mine[0], **kw)  # type: ignore[arg-type]
        await abandon_cooking_session(session, actor=demo, session_id=mine[1], **kw)  # type: ignore[arg-type]
    await make_analysis(cook_ctx, demo, category="overmixed")
    await make_analysis(cook_ctx, other, category="heat_too_low")
    update = CookingHabitsUpdate.model_validate({"skillLevel": "advanced"})
    async with cook_ctx.session() as session:
        profile = await get_profile(session, actor=demo)
        with pytest.raises(DemoRestrictedError):
            await update_profile(session, actor=demo, habits=update, clock=clock)
        after = await get_profile(session, actor=demo)
    assert profile.editable is False and profile.updated_at is None
    assert profile.cooking_habits.skill_level == "beginner" == after.cooking_habits.skill_level
    stats = profile.stats
    assert (stats.sessions_cooked, stats.sessions_completed, stats.sessions_abandoned) == (3, 1, 1)
    assert stats.sessions_in_progress == 1 and stats.completion_rate == 0.5 and stats.analyses_count == 1
    assert [(c.category, c.count) for c in stats.most_common_failure_categories] == [("overmixed", 1)]
    assert await _rows(cook_ctx) == []


async def test_the_local_cook_saves_on_one_local_user(cook_ctx: AppContext, clock: FrozenClock) -> None:
    update = CookingHabitsUpdate.model_validate({"skillLevel": "advanced"})
    async with cook_ctx.session() as session:
        assert (await get_profile(session, actor=Actor.local())).updated_at is None
        saved = await update_profile(session, actor=Actor.local(), habits=update, clock=clock)
        again = await update_profile(session, actor=Actor.local(), habits=update, clock=clock)
        local = await get_profile(session, actor=Actor.local())
    assert saved.cooking_habits.skill_level == "advanced" == local.cooking_habits.skill_level
    assert again.updated_at == saved.updated_at
    rows = await _rows(cook_ctx)
    assert len(rows) == 1
    async with cook_ctx.session() as session:
        owner = await session.get(User, rows[0].user_id)
    assert owner is not None and owner.email == LOCAL_USER_EMAIL


async def test_stats_count_only_the_actors_own_history(cook_ctx: AppContext, clock: FrozenClock) -> None:
    ada, bob = await make_user(cook_ctx, "Ada"), await make_user(cook_ctx, "Bob")
    recipe_id = await make_recipe(cook_ctx, steps=2)
    kw = {"cache": cook_ctx.cache, "clock": clock}
    async with cook_ctx.session() as session:
        ids = [(await start_cooking(session, actor=ada, recipe_id=recipe_id, **kw)).id for _ in range(4)]  # type: ignore[arg-type]
        await start_cooking(session, actor=bob, recipe_id=recipe_id, **kw)  # type: ignore[arg-type]
        await complete_cooking_session(session, actor=ada, session_id=ids[0], **kw)  # type: ignore[arg-type]
        await complete_cooking_session(session, actor=ada, session_id=ids[1], **kw)  # type: ignore[arg-type]
        await abandon_cooking_session(session, actor=ada, session_id=ids[2], **kw)  # type: ignore[arg-type]
    for category in ("heat_too_high", "heat_too_high", "overmixed", "unknown", "unknown", "unknown"):
        await make_analysis(cook_ctx, ada, category=category)
    await make_analysis(cook_ctx, ada, category=None)
    await make_analysis(cook_ctx, bob, category="seasoning_off")
    async with cook_ctx.session() as session:
        stats = (await get_profile(session, actor=ada)).stats
        bob_stats = (await get_profile(session, actor=bob)).stats
    assert (stats.sessions_cooked, stats.sessions_completed, stats.sessions_abandoned) == (4, 2, 1)
    assert stats.sessions_in_progress == 1 and stats.completion_rate == pytest.approx(0.667)
    assert stats.analyses_count == 7
    assert [(c.category, c.count) for c in stats.most_common_failure_categories] == [
        ("heat_too_high", 2),
        ("overmixed", 1),
    ]
    assert bob_stats.sessions_cooked == 1 and bob_stats.analyses_count == 1
    assert [c.category for c in bob_stats.most_common_failure_categories] == ["seasoning_off"]
