"""Pilot tests: browse → recipe → cook with timers → finish, asserting on the screens and on the database."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from chefmentor.context import open_context
from chefmentor.cooking.models import CookingSession, CookingStepEvent, SessionStatus, StepEventKind
from cli.tui.app import ChefMentorApp
from cli.tui.screens.cook import CookScreen
from cli.tui.screens.dialogs import FinishDialog, TimerDialog
from cli.tui.screens.home import HomeScreen
from cli.tui.screens.recipe import RecipeScreen
from tests.tui.conftest import SIZE, wait_for

RICE = "Perfect Stovetop Rice"


async def _rows(settings: Settings) -> tuple[list[CookingSession], list[CookingStepEvent]]:
    async with open_context(settings) as ctx, ctx.session() as session:
        sessions = list(await session.scalars(select(CookingSession)))
        events = list(
            await session.scalars(
                select(CookingStepEvent).order_by(CookingStepEvent.created_at, CookingStepEvent.step_number)
            )
        )
        return sessions, events


async def open_home(pilot: Any, app: ChefMentorApp) -> HomeScreen:
    await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.loaded)
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return screen


async def open_recipe(pilot: Any, app: ChefMentorApp, name: str) -> RecipeScreen:
    home = await open_home(pilot, app)
    home.query_one("#recipe-table").focus()
    index = [r.name for r in home.recipes].index(name)
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, RecipeScreen) and app.screen.recipe is not None)
    screen = app.screen
    assert isinstance(screen, RecipeScreen)
    return screen


async def start_cooking(pilot: Any, app: ChefMentorApp, name: str = RICE) -> CookScreen:
    await open_recipe(pilot, app, name)
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, CookScreen) and app.screen.view is not None)
    screen = app.screen
    assert isinstance(screen, CookScreen)
    return screen


async def press_and_wait(pilot: Any, screen: CookScreen, key: str, predicate: Any) -> None:
    await pilot.press(key)
    await wait_for(pilot, predicate)


async def test_full_cook_flow_records_every_step(make_app: Any, settings: Settings, clock: FrozenClock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        cook = await start_cooking(pilot, app)
        view = cook.view
        assert view is not None and view.current == 1 and view.recipe_name == RICE
        total = view.total

        await press_and_wait(pilot, cook, "n", lambda: cook.view is not None and cook.view.current == 2)
        await press_and_wait(pilot, cook, "right", lambda: cook.view is not None and cook.view.current == 3)
        assert cook.query_one("#step-title").render().plain == cook.view.step.title  # type: ignore[union-attr]

        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TimerDialog))
        app.screen.query_one("#timer-name").value = "Boil"  # type: ignore[attr-defined]
        app.screen.query_one("#timer-duration").value = "90s"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: cook.view is not None and any(t.name == "Boil" for t in cook.view.timers))
        boil = next(t for t in cook.view.timers if t.name == "Boil")
        assert boil.seconds == 90 and boil.status == "running"

        clock.advance(seconds=91)
        await wait_for(
            pilot,
            lambda: (
                cook.view is not None and next(t for t in cook.view.timers if t.name == "Boil").status == "finished"
            ),
        )
        assert any("Boil is done" in n.message for n in app._notifications)

        while not cook.view.all_steps_done:
            before = cook.view.current
            await pilot.press("n")
            await wait_for(pilot, lambda b=before: cook.view.current != b or cook.view.all_steps_done)  # type: ignore[union-attr]
        assert cook.view.current == total

        await pilot.press("n")  # past the last step: offers to finish instead of recording it again
        await wait_for(pilot, lambda: isinstance(app.screen, FinishDialog))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is cook)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, FinishDialog))
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        home = app.screen
        await wait_for(pilot, lambda: "completed" in str(home.query_one("#recent-sessions").get_option_at_index(0).id))

    sessions, events = await _rows(settings)
    assert len(sessions) == 1
    row = sessions[0]
    assert row.status == SessionStatus.COMPLETED and row.completed_at is not None
    kinds = [(StepEventKind(e.event), e.step_number) for e in events]
    completed = sorted(n for k, n in kinds if k is StepEventKind.COMPLETED)
    started = sorted(n for k, n in kinds if k is StepEventKind.STARTED)
    assert completed == list(range(1, total + 1))  # each step exactly once
    assert started == list(range(2, total + 1))
    assert (StepEventKind.TIMER_STARTED, 3) in kinds
    finished = [e for e in events if StepEventKind(e.event) is StepEventKind.TIMER_FINISHED]
    assert [e.data.get("name") for e in finished] == ["Boil"]


async def test_back_goto_pause_and_service_errors(make_app: Any, settings: Settings, clock: FrozenClock) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        cook = await start_cooking(pilot, app)
        await pilot.press("b")  # already on step 1: the service refuses, the app shows it and goes on
        await wait_for(pilot, lambda: any("first step" in n.message for n in app._notifications))
        assert app.is_running and cook.view is not None and cook.view.current == 1

        await pilot.press("g")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "GotoDialog")
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: cook.view is not None and cook.view.current == 4)
        await press_and_wait(pilot, cook, "left", lambda: cook.view is not None and cook.view.current == 3)

        await press_and_wait(pilot, cook, "p", lambda: cook.view is not None and cook.view.paused)
        assert cook.has_class("-paused")
        await press_and_wait(pilot, cook, "p", lambda: cook.view is not None and not cook.view.paused)

    _, events = await _rows(settings)
    kinds = [(StepEventKind(e.event), e.step_number) for e in events]
    assert sorted(n for k, n in kinds if k is StepEventKind.SKIPPED) == [1, 2, 3]
    assert (StepEventKind.STARTED, 4) in kinds and (StepEventKind.STARTED, 3) in kinds


async def test_quitting_keeps_recorded_steps_and_the_session_resumes(
    make_app: Any, settings: Settings, clock: FrozenClock
) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        cook = await start_cooking(pilot, app)
        # Three presses and quit in the same instant, before any write could run: each press is
        # recorded, in order, before the app closes the database.
        gateway = app.gateway
        for _ in range(3):
            cook.action_next()
        app.exit()
    assert not gateway._pending, "the app closed with writes still in flight"
    sessions, events = await _rows(settings)
    assert [(s.status, s.current_step) for s in sessions] == [(SessionStatus.IN_PROGRESS, 4)]
    assert sorted(e.step_number for e in events if StepEventKind(e.event) is StepEventKind.COMPLETED) == [1, 2, 3]

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        home = await open_home(pilot, again)
        sessions_list = home.query_one("#recent-sessions")
        await wait_for(pilot, lambda: sessions_list.option_count > 0 and sessions_list.get_option_at_index(0).id)
        option_id = sessions_list.get_option_at_index(0).id or ""
        assert option_id.endswith(":in_progress") and str(sessions[0].id) in option_id
        sessions_list.focus()
        await pilot.press("home", "enter")
        await wait_for(pilot, lambda: isinstance(again.screen, CookScreen) and again.screen.view is not None)
        resumed = again.screen
        assert isinstance(resumed, CookScreen)
        assert resumed.session_id == uuid.UUID(str(sessions[0].id)) and resumed.view.current == 4  # type: ignore[union-attr]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(again.screen, HomeScreen))
    sessions, _ = await _rows(settings)
    assert sessions[0].status == SessionStatus.IN_PROGRESS


async def test_search_and_filters_narrow_the_recipe_list(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        home = await open_home(pilot, app)
        everything = [r.name for r in home.recipes]
        assert len(everything) == 5 and RICE in everything
        await pilot.press("slash")
        await pilot.press(*"rice")
        await wait_for(pilot, lambda: [r.name for r in home.recipes] == [RICE])
        home.query_one("#search").value = ""
        await wait_for(pilot, lambda: len(home.recipes) == 5)
        home.query_one("#difficulty").value = "hard"
        await wait_for(pilot, lambda: len(home.recipes) < 5)
        assert home.recipes and all(r.difficulty == "hard" for r in home.recipes)
        home.query_one("#difficulty").value = ""
        home.query_one("#max-time").value = 30
        await wait_for(pilot, lambda: len(home.recipes) < 5)
        assert home.recipes and all((r.estimated_time_min or 0) <= 30 for r in home.recipes)


async def test_recipe_screen_scales_ingredients(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_recipe(pilot, app, RICE)
        text = str(screen.query_one("#ingredients").render())
        assert "1 1/2 cups long-grain white rice" in text
        for _ in range(4):
            await pilot.press("plus")
        await pilot.pause()
        assert screen.servings == 8
        assert "3 cups long-grain white rice" in str(screen.query_one("#ingredients").render())
        steps = screen.query(".step-block")
        assert len(steps) == len(screen.recipe.steps)  # type: ignore[union-attr]


async def add_timer(pilot: Any, app: ChefMentorApp, cook: CookScreen, name: str, duration: str) -> None:
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(app.screen, TimerDialog))
    app.screen.query_one("#timer-name").value = name  # type: ignore[attr-defined]
    app.screen.query_one("#timer-duration").value = duration  # type: ignore[attr-defined]
    await pilot.press("enter")
    await wait_for(pilot, lambda: cook.view is not None and any(t.name == name for t in cook.view.timers))


async def test_several_named_timers_run_side_by_side(make_app: Any, settings: Settings, clock: FrozenClock) -> None:
    from cli.tui.widgets.timers import TimerRow

    app = make_app()
    bells: list[int] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        cook = await start_cooking(pilot, app)
        await add_timer(pilot, app, cook, "Rice", "10m")
        clock.advance(seconds=30)
        await add_timer(pilot, app, cook, "Sauce", "2")

        def shown() -> dict[str, str]:
            return {row.timer.name: str(row.left.render()) for row in cook.query(TimerRow)}

        await wait_for(pilot, lambda: shown() == {"Rice": "09:30", "Sauce": "02:00"})

        clock.advance(seconds=121)
        await wait_for(pilot, lambda: any(t.name == "Sauce" and t.status == "finished" for t in cook.view.timers))  # type: ignore[union-attr]
        assert bells and any("Sauce is done" in n.message for n in app._notifications)
        await wait_for(pilot, lambda: shown() == {"Rice": "07:29", "Sauce": "done"})

        await pilot.press("x")  # only Rice is still running: cancelled without asking which
        await wait_for(pilot, lambda: not any(t.status == "running" for t in cook.view.timers))  # type: ignore[union-attr]

    sessions, events = await _rows(settings)
    stored = {t["name"]: t["status"] for t in sessions[0].timers}
    assert stored == {"Rice": "cancelled", "Sauce": "finished"}
    started = [e.data["name"] for e in events if StepEventKind(e.event) is StepEventKind.TIMER_STARTED]
    assert started == ["Rice", "Sauce"]


QUIT_AT_READY = """
import asyncio
from cli.runner import build_settings
from cli.state import CliState
from cli.tui.app import ChefMentorApp
from cli.tui.screens.home import HomeScreen

async def main() -> None:
    app = ChefMentorApp(build_settings(CliState()))
    async with app.run_test(size=(100, 32)) as pilot:
        while not (isinstance(app.screen, HomeScreen) and app.screen.recipes):
            await pilot.pause(0.005)
        app.exit()  # history and the migration check are still loading: they must unwind, not hang

asyncio.run(main())
"""


def test_quitting_while_lists_load_exits_promptly(settings: Settings, tmp_path: Any) -> None:
    import asyncio
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import seed_fixture_recipes

    async def seed() -> None:
        async with open_context(settings) as ctx:
            await seed_fixture_recipes(ctx)

    asyncio.run(seed())
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEFMENTOR_")}
    env |= {"CHEFMENTOR_HOME": str(tmp_path), "CHEFMENTOR_DATABASE_URL": settings.database_url}
    root = Path(__file__).resolve().parents[2]
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", QUIT_AT_READY],
            cwd=root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
