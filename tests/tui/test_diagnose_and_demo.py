"""Pilot tests: diagnosis with the offline engine and notes, demo-mode restrictions, startup errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from chefmentor.clock import FrozenClock
from chefmentor.config import Settings
from chefmentor.context import open_context
from chefmentor.cooking.models import CookingSession
from chefmentor.errors import DatabaseNotMigratedError
from chefmentor.failure.models import AnalysisNote, FailureAnalysis
from chefmentor.profile.models import UserProfile
from cli.tui.app import ChefMentorApp
from cli.tui.screens.analysis import AnalysisScreen
from cli.tui.screens.cook import CookScreen
from cli.tui.screens.diagnose import DiagnoseScreen
from cli.tui.screens.dialogs import NoteDialog
from cli.tui.screens.history import HistoryScreen
from cli.tui.screens.startup_error import StartupErrorScreen
from tests.conftest import make_settings
from tests.tui.conftest import SIZE, seeded_factory, wait_for
from tests.tui.test_cook_flow import open_home, start_cooking


def burnt_photo(path: Path) -> Path:
    # Almost black with a little brown: what a charred crust looks like to the image features.
    image = Image.new("RGB", (320, 240), (28, 18, 12))
    for x in range(0, 320, 7):
        for y in range(0, 240, 5):
            image.putpixel((x, y), (70, 40, 20))
    image.save(path, "JPEG", quality=90)
    return path


async def test_diagnose_a_photo_with_the_offline_engine_and_keep_notes(
    make_app: Any, settings: Settings, tmp_path: Path
) -> None:
    photo = burnt_photo(tmp_path / "pork_chops.jpg")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        cook = await start_cooking(pilot, app)
        cooked = cook.session_id
        await pilot.press("escape")
        await open_home(pilot, app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DiagnoseScreen))
        screen = app.screen
        link = screen.query_one("#session-link")
        await wait_for(pilot, lambda: str(cooked) in [str(value) for _, value in link._options])
        link.value = str(cooked)
        screen.query_one("#media-path").value = str(photo)
        screen.query_one("#dish").value = "pork chops"
        screen.query_one("#cook-notes").value = "smoke everywhere, black bitter crust, burner on max, raw inside"
        await pilot.press("ctrl+r")
        await wait_for(
            pilot, lambda: isinstance(app.screen, AnalysisScreen) and app.screen.analysis is not None, seconds=60
        )
        result = app.screen
        assert isinstance(result, AnalysisScreen) and result.analysis is not None
        analysis = result.analysis
        assert analysis.provider == "local" and analysis.status == "completed"
        await wait_for(pilot, lambda: bool(result.query("#analysis-category")))
        shown = str(result.query_one("#analysis-category").render())
        assert shown == analysis.category.replace("_", " ")  # type: ignore[union-attr]
        assert analysis.category == "heat_too_high"
        assert result.query("#analysis-evidence") and analysis.evidence

        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteDialog))
        app.screen.query_one("#note-text").text = "Next time: medium heat and a thermometer"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: result.analysis is not None and len(result.analysis.notes) == 1)

        result.query_one("#notes-list").focus()
        await pilot.press("home", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteDialog))
        app.screen.query_one("#note-text").text = "Medium heat, and rest the meat"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: result.analysis is not None and result.analysis.notes[0].text == "Medium heat, and rest the meat",
        )

    async with open_context(settings) as ctx, ctx.session() as session:
        rows = list(await session.scalars(select(FailureAnalysis)))
        notes = list(await session.scalars(select(AnalysisNote)))
    assert len(rows) == 1 and rows[0].dish == "pork chops" and rows[0].provider == "local"
    assert rows[0].cooking_session_id == cooked
    assert rows[0].category == analysis.category
    assert [n.text for n in notes] == ["Medium heat, and rest the meat"]


def test_path_completion_offers_media_and_folders(tmp_path: Path) -> None:
    from cli.tui.screens.diagnose import _complete

    (tmp_path / "dinner.jpg").write_bytes(b"x")
    (tmp_path / "dishes").mkdir()
    (tmp_path / ".hidden.jpg").write_bytes(b"x")
    assert _complete(str(tmp_path / "din")) == str(tmp_path / "dinner.jpg")
    assert _complete(str(tmp_path / "dis")) == str(tmp_path / "dishes") + "/"
    assert _complete(str(tmp_path) + "/") == str(tmp_path / "dinner.jpg")
    assert _complete(str(tmp_path / "nothing-here")) is None


async def test_diagnose_refuses_a_missing_file_and_unsupported_media(make_app: Any, tmp_path: Path) -> None:
    fake = tmp_path / "not_a_photo.jpg"
    fake.write_bytes(b"MZ\x90\x00 this is an exe renamed to .jpg")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot, app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DiagnoseScreen))
        screen = app.screen
        screen.query_one("#media-path").value = str(tmp_path / "missing.jpg")
        await pilot.press("ctrl+r")
        assert "No file at" in str(screen.query_one("#diagnose-status").render())
        screen.query_one("#media-path").value = str(fake)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications), seconds=30)
        assert isinstance(app.screen, DiagnoseScreen) and app.is_running
        assert any("JPG, PNG" in n.message for n in app._notifications)


async def test_demo_mode_keeps_its_rows_apart_and_disables_the_profile(make_app: Any, settings: Settings) -> None:
    app = make_app(demo=True)
    async with app.run_test(size=SIZE) as pilot:
        assert "demo" in app.sub_title
        cook = await start_cooking(pilot, app)
        await pilot.press("n")
        await wait_for(pilot, lambda: cook.view is not None and cook.view.current == 2)
        await pilot.press("escape")
        await open_home(pilot, app)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        await wait_for(pilot, lambda: history.query_one("#sessions-table").row_count == 1)
        history.query_one("#history-tabs").active = "tab-profile"
        await wait_for(pilot, lambda: not history.query_one("#profile-form").loading)
        assert history.query_one("#save-profile").disabled
        assert history.query_one("#skill-level").disabled and history.query_one("#dietary").disabled
        assert "demo mode" in str(history.query_one("#profile-explanation").render())
        history.query_one("#save-profile").press()
        await pilot.pause()
        assert not any("Profile saved" in n.message for n in app._notifications)

    async with open_context(settings) as ctx, ctx.session() as session:
        rows = list(await session.scalars(select(CookingSession)))
    assert len(rows) == 1 and rows[0].demo_session_id is not None and rows[0].user_id is None

    local = make_app()
    async with local.run_test(size=SIZE) as pilot:
        home = await open_home(pilot, local)
        sessions = home.query_one("#recent-sessions")
        await wait_for(pilot, lambda: sessions.option_count > 0)
        assert sessions.get_option_at_index(0).disabled  # "Nothing cooked yet": demo rows are not the local cook's


async def test_unmigrated_database_shows_the_fix(tmp_path: Path, clock: FrozenClock) -> None:
    settings = make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    app = ChefMentorApp(settings, context_factory=seeded_factory(clock, seed=False))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartupErrorScreen) and app.screen.is_mounted)
        await wait_for(pilot, lambda: bool(app.screen.query("#startup-error-message")))
        assert not app.ready
        assert "chefmentor db upgrade" in str(app.screen.query_one("#startup-error-message").render())
        await pilot.press("q")
    assert app.return_code == DatabaseNotMigratedError.exit_code


async def test_cook_screen_voice_toggle_explains_when_there_is_no_microphone(make_app: Any) -> None:
    from chefmentor.voice.audio import microphone_status

    ok, detail = microphone_status()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        cook = await start_cooking(pilot, app)
        await pilot.press("v")
        await pilot.pause()
        if ok:
            assert cook.voice is not None
            await pilot.press("v")
            return
        assert cook.voice is None
        assert any(n.title == "Voice unavailable" and detail in n.message for n in app._notifications)
        assert "unavailable" in str(cook.query_one("#voice-status").render())
        assert isinstance(app.screen, CookScreen)


class ScriptedEar:
    """What the cook says, one utterance per listen(); then the input ends (the session stays open)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = list(lines)

    def listen(self, timeout: float) -> Any:
        from chefmentor.voice.cook_loop import Heard

        if not self.lines:
            raise EOFError
        return Heard(self.lines.pop(0))

    def close(self) -> None:
        return None


async def test_voice_loop_drives_the_same_cooking_service(make_app: Any, settings: Settings) -> None:
    from chefmentor.cooking.models import CookingStepEvent, StepEventKind
    from chefmentor.voice.cook_loop import TextMouth

    said: list[str] = []

    def factory(hints: Any) -> Any:
        assert "Perfect Stovetop Rice" in hints()
        return ScriptedEar(["next step", "set a timer for two minutes"]), TextMouth(said.append)

    app = make_app(voice_factory=factory)
    async with app.run_test(size=SIZE) as pilot:
        cook = await start_cooking(pilot, app)
        await pilot.press("v")
        await wait_for(pilot, lambda: cook.voice is None and "heard" in str(cook.query_one("#voice-status").render()))
        await wait_for(pilot, lambda: cook.view is not None and cook.view.current == 2)
        assert "two minutes" in str(cook.query_one("#voice-status").render())
        assert any("Let's cook" in line for line in said)

    async with open_context(settings) as ctx, ctx.session() as session:
        events = list(await session.scalars(select(CookingStepEvent)))
    kinds = {(StepEventKind(e.event), e.step_number) for e in events}
    assert (StepEventKind.COMPLETED, 1) in kinds and (StepEventKind.STARTED, 2) in kinds
    timers = [e.data for e in events if StepEventKind(e.event) is StepEventKind.TIMER_STARTED]
    assert [t["seconds"] for t in timers] == [120]


async def test_palette_help_and_theme(make_app: Any) -> None:
    from textual.command import CommandPalette

    from cli.tui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot, app)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Recipes", "Diagnose a dish", "History and profile", "Help", "Toggle dark/light"} <= set(titles)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"diagnose", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DiagnoseScreen))
        await pilot.press("escape")
        await open_home(pilot, app)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        dark = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != dark and "light" in app.theme
        await pilot.press("ctrl+t")
        assert app.theme == dark


async def test_local_profile_is_saved_for_the_local_cook(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await open_home(pilot, app)
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        history = app.screen
        history.query_one("#history-tabs").active = "tab-profile"
        await wait_for(pilot, lambda: not history.query_one("#profile-form").loading)
        history.query_one("#dietary").value = "vegetarian, no nuts"
        history.query_one("#save-profile").press()
        await wait_for(pilot, lambda: bool(app._notifications))
        assert any("Profile saved" in n.message for n in app._notifications), list(app._notifications)
        async with app.gateway.ctx.session() as session:
            rows = list(await session.scalars(select(UserProfile)))
        assert len(rows) == 1
        assert rows[0].cooking_habits["dietaryPreferences"] == ["vegetarian", "no nuts"]
