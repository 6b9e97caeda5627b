"""Snapshots of the key screens at fixed sizes (update with `pytest tests/tui --snapshot-update`).

Data is fixed: the 5 bundled recipes and a frozen clock, so only a real change of the layout
or of what a screen shows makes these fail.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from textual.pilot import Pilot

from chefmentor.clock import FrozenClock
from cli.tui.app import ChefMentorApp
from cli.tui.screens.analysis import AnalysisScreen
from cli.tui.screens.cook import CookScreen
from cli.tui.screens.dialogs import TimerDialog
from cli.tui.widgets.pictures import DishPhoto
from tests.conftest import make_settings
from tests.tui.conftest import SIZE, seeded_factory, wait_for
from tests.tui.test_cook_flow import RICE, open_home, open_recipe, start_cooking

SMALL = (80, 24)
MEDIUM = (120, 40)
LARGE = (160, 48)


async def _settle(pilot: Pilot[Any]) -> None:
    pilot.app.clear_notifications()
    await pilot.pause(0.1)
    await pilot.wait_for_scheduled_animations()


def test_home_screen(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_home(pilot, pilot.app)  # type: ignore[arg-type]
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_home_screen_large_terminal(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_home(pilot, pilot.app)  # type: ignore[arg-type]
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=LARGE, run_before=run_before)


def test_recipe_screen_scaled_to_six(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_recipe(pilot, pilot.app, RICE)  # type: ignore[arg-type]
        await pilot.press("plus", "plus")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def _cook_with_timer(clock: FrozenClock) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        cook = await start_cooking(pilot, app)  # type: ignore[arg-type]
        await pilot.press("n", "n")
        await wait_for(pilot, lambda: cook.view is not None and cook.view.current == 3)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TimerDialog))
        app.screen.query_one("#timer-name").value = "Boil"  # type: ignore[attr-defined]
        app.screen.query_one("#timer-duration").value = "4:00"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: cook.view is not None and bool(cook.view.timers))
        clock.advance(seconds=60)
        await wait_for(pilot, lambda: "03:00" in str(cook.query_one(".timer-left").render()))
        assert isinstance(app.screen, CookScreen)
        await _settle(pilot)

    return run_before


def test_cook_screen_with_a_running_timer(snap_compare: Any, make_app: Any, clock: FrozenClock) -> None:
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_cook_with_timer(clock))


def test_cook_screen_at_80x24(snap_compare: Any, make_app: Any, clock: FrozenClock) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=_cook_with_timer(clock))


def test_startup_error_names_the_fix(snap_compare: Any, tmp_path: Any, clock: FrozenClock) -> None:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    app = ChefMentorApp(settings, context_factory=seeded_factory(clock, seed=False))

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: app.startup_error is not None)
        await _settle(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_help_screen(snap_compare: Any, make_app: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_home(pilot, pilot.app)  # type: ignore[arg-type]
        await pilot.press("f1")
        await wait_for(pilot, lambda: bool(pilot.app.screen.query("#help-text")))
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, MEDIUM], ids=["80x24", "120x40"])
def test_home_at_common_sizes(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_home(pilot, pilot.app)  # type: ignore[arg-type]
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, MEDIUM], ids=["80x24", "120x40"])
def test_recipe_scaled_at_common_sizes(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await open_recipe(pilot, pilot.app, RICE)  # type: ignore[arg-type]
        await pilot.press("plus", "plus")
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, MEDIUM], ids=["80x24", "120x40"])
def test_history_with_activity_chart(snap_compare: Any, make_app: Any, size: tuple[int, int]) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await start_cooking(pilot, app)  # type: ignore[arg-type]
        await pilot.press("escape")
        await open_home(pilot, app)  # type: ignore[arg-type]
        await pilot.press("h")
        await wait_for(pilot, lambda: app.screen.id == "history")
        await wait_for(pilot, lambda: app.screen.query_one("#sessions-table").row_count == 1)  # type: ignore[attr-defined]
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [SMALL, MEDIUM], ids=["80x24", "120x40"])
def test_analysis_with_dish_photo(snap_compare: Any, make_app: Any, tmp_path: Path, size: tuple[int, int]) -> None:
    photo = tmp_path / "soup.png"
    image = Image.new("RGB", (96, 64), (190, 60, 30))
    for x in range(20, 76):
        for y in range(16, 48):
            image.putpixel((x, y), (240, 220, 200))
    image.save(photo)

    async def run_before(pilot: Pilot[Any]) -> None:
        app: Any = pilot.app
        await open_home(pilot, app)
        analysis = await app.gateway.analyze(photo, dish="tomato soup", notes="way too salty", cooking_session_id=None)
        app.push_screen(AnalysisScreen(analysis.id))
        await wait_for(pilot, lambda: bool(app.screen.query(DishPhoto)))
        await wait_for(pilot, lambda: "▀" in str(app.screen.query_one(DishPhoto).render()))
        await _settle(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
