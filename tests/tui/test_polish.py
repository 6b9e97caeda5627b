"""TUI polish at the sizes people use (80×24 and 120×40): whole recipe names from the first paint, toasts that
leave dialog buttons alone, plurals, scaled amounts written one way, the dish photo and activity charts, and a
`--demo` that continues the recent demo."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from textual.widgets import Button, DataTable, Sparkline

from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from cli.tui.app import demo_marker
from cli.tui.screens.analysis import AnalysisScreen
from cli.tui.screens.dialogs import TimerDialog
from cli.tui.screens.history import HistoryScreen
from cli.tui.screens.home import HomeScreen
from cli.tui.widgets.pictures import DishPhoto, half_block_text, media_path, per_day
from tests.tui.conftest import T0, wait_for
from tests.tui.test_cook_flow import RICE, open_home, open_recipe, start_cooking

SIZES = [(80, 24), (120, 40)]
NAMES = ["Classic Banana Bread", "Fluffy Buttermilk Pancakes", "Pan-Seared Chicken Breast", "Perfect Stovetop Rice"]


@pytest.mark.parametrize("size", SIZES)
async def test_recipe_names_are_whole_from_the_first_paint(
    make_app: Any, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    widths_when_filled: list[dict[str, int | None]] = []
    original = HomeScreen.on_recipes_loaded

    def spy(self: HomeScreen, message: Any) -> None:
        original(self, message)
        # What the next paint uses, before the table's idle-time measuring has run.
        table = self.query_one("#recipe-table", DataTable)
        widths_when_filled.append({str(c.key.value): None if c.auto_width else c.width for c in table.columns.values()})

    monkeypatch.setattr(HomeScreen, "on_recipes_loaded", spy)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        home = await open_home(pilot, app)
        await pilot.pause(0.1)
        longest = max(len(r.name) for r in home.recipes)
        assert widths_when_filled and widths_when_filled[0]["name"] == longest
        screen = app.export_screenshot().replace("&#160;", " ")
        for name in NAMES:
            assert name in screen


@pytest.mark.parametrize("size", SIZES)
async def test_a_toast_never_covers_the_timer_dialog_buttons(make_app: Any, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size, notifications=True) as pilot:
        cook = await start_cooking(pilot, app)
        cook.notify(
            "No microphone found: install PortAudio (apt-get install libportaudio2) or plug one in",
            title="Voice unavailable",
            severity="warning",
            timeout=30,
        )
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TimerDialog))
        await pilot.pause(0.2)
        dialog = app.screen
        for button in dialog.query(Button):
            region = button.region
            for x in range(region.x, region.right):
                widget, _ = dialog.get_widget_at(x, region.y + 1)
                assert widget is button, (size, button.id, x, widget)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is cook)
        await pilot.pause(0.2)
        assert any(toast.visible for toast in cook.query("Toast"))  # the notification was kept, not lost


async def test_history_counts_are_plural_only_when_needed(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await start_cooking(pilot, app)
        await pilot.press("escape")
        await open_home(pilot, app)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        table = app.screen.query_one("#sessions-table", DataTable)
        await wait_for(pilot, lambda: table.row_count == 1)
        assert str(table.border_title) == "1 session"
        chart = app.screen.query_one("#sessions-chart")
        assert chart.values[-1] == 1 and sum(chart.values) == 1  # type: ignore[attr-defined]
        assert "1 session" in str(chart.query_one("Label").render())
        assert app.screen.query_one("#sessions-chart Sparkline", Sparkline).data == chart.values  # type: ignore[attr-defined]


async def test_scaled_amounts_read_the_same_in_ingredients_and_steps(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        recipe = await open_recipe(pilot, app, RICE)
        await pilot.press("plus", "plus")
        await wait_for(pilot, lambda: recipe.servings == 6)
        ingredients = str(recipe.query_one("#ingredients").render())
        steps = " ".join(str(block.render()) for block in recipe.query(".step-block"))
        assert "3 3/8 cups water" in ingredients and "3 3/8 cups water" in steps
        assert "3.4" not in ingredients and "2 1/4 cups" not in steps
        await pilot.press("minus", "minus")
        await wait_for(pilot, lambda: recipe.servings == 4)
        assert "2 1/4 cups water" in " ".join(str(b.render()) for b in recipe.query(".step-block"))


async def test_analysis_screen_shows_the_dish_photo(make_app: Any, tmp_path: Path) -> None:
    photo = tmp_path / "dish.png"
    Image.new("RGB", (64, 48), (200, 40, 20)).save(photo)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_home(pilot, app)
        analysis = await app.gateway.analyze(photo, dish="tomato soup", notes="too salty", cooking_session_id=None)
        app.push_screen(AnalysisScreen(analysis.id))
        await wait_for(pilot, lambda: isinstance(app.screen, AnalysisScreen) and bool(app.screen.query(DishPhoto)))
        picture = app.screen.query_one(DishPhoto)
        await wait_for(pilot, lambda: "▀" in str(picture.render()))
        rendered = picture.render()
        assert "rgb(" in str(getattr(rendered, "spans", "")) or "▀" in str(rendered)


def test_half_block_photo_keeps_colours_and_fits_the_cells(tmp_path: Path) -> None:
    photo = tmp_path / "split.png"
    image = Image.new("RGB", (40, 40), (255, 0, 0))
    for x in range(40):
        for y in range(20, 40):
            image.putpixel((x, y), (0, 0, 255))
    image.save(photo)
    text = half_block_text(photo, (10, 5))
    lines = text.plain.splitlines()
    assert len(lines) == 5 and all(len(line) == 10 for line in lines)
    colours = {(str(span.style.color.triplet), str(span.style.bgcolor.triplet)) for span in text.spans}  # type: ignore[union-attr]
    assert any("255" in top and "255" in bottom and top == bottom for top, bottom in colours)


def test_media_path_stays_inside_the_media_folder(tmp_path: Path) -> None:
    assert media_path("/media/a/b.jpg", tmp_path) == (tmp_path / "a" / "b.jpg").resolve()
    assert media_path("/media/../../etc/passwd", tmp_path) is None
    assert media_path("https://res.cloudinary.com/x.jpg", tmp_path) is None


def test_per_day_counts_the_last_two_weeks() -> None:
    moments = [T0, T0 - timedelta(hours=1), T0 - timedelta(days=3), T0 - timedelta(days=20)]
    counts = per_day(moments, T0)
    assert len(counts) == 14 and counts[-1] == 2 and counts[-4] == 1 and sum(counts) == 3


async def test_tui_demo_continues_the_recent_demo(make_app: Any, settings: Settings, clock: FrozenClock) -> None:
    first = make_app(demo=True)
    async with first.run_test(size=(80, 24)) as pilot:
        await open_home(pilot, first)
        first_actor = first.gateway.actor
    marker = demo_marker(settings.home)
    assert marker.stat().st_mode & 0o777 == 0o600  # it holds the demo's bearer token

    second = make_app(demo=True)
    async with second.run_test(size=(80, 24)) as pilot:
        await open_home(pilot, second)
        assert second.gateway.actor == first_actor
        assert "continued" in second.sub_title

    clock.advance(hours=25)
    third = make_app(demo=True)
    async with third.run_test(size=(80, 24)) as pilot:
        await open_home(pilot, third)
        assert third.gateway.actor.id != first_actor.id
