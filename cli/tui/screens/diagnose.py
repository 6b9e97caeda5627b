"""Diagnose: pick a photo or video, say what it was, optionally link a session, and run the analysis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, DirectoryTree, Footer, Header, Input, Label, LoadingIndicator, Select, Static

from cli.tui import formatting as fmt
from cli.tui.messages import AnalysisLoaded, HistoryLoaded
from cli.tui.screens.base import ServiceScreen

MEDIA_SUFFIXES = {".jpg", ".jpeg", ".png", ".mp4"}
NO_SESSION = "none"


def _complete(value: str) -> str | None:
    path = Path(value).expanduser()
    if value.endswith(("/", "\\")) and path.is_dir():
        parent, prefix = path, ""
    else:
        parent, prefix = path.parent, path.name
    try:
        names = sorted(p.name + ("/" if p.is_dir() else "") for p in parent.iterdir() if p.name.startswith(prefix))
    except OSError:
        return None
    names = [n for n in names if not n.startswith(".") or prefix.startswith(".")]
    if not names:
        return None
    head = value[: len(value) - len(prefix)] if prefix else value
    return head + names[0]


class PathSuggester(Suggester):
    """Completes file system paths as you type (accept with → or tab-free End key)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        return await asyncio.to_thread(_complete, value)


class MediaTree(DirectoryTree):
    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in MEDIA_SUFFIXES)]


class FilePickerDialog(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, start: Path) -> None:
        super().__init__(classes="dialog-screen")
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="file-picker") as box:
            box.border_title = "Pick a photo or video (JPG, PNG, MP4)"
            yield MediaTree(self.start, id="media-tree")

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)


class DiagnoseScreen(ServiceScreen):
    BINDINGS = [
        Binding("ctrl+o", "browse", "Browse files"),
        Binding("ctrl+r", "analyze", "Analyze"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, *, media: Path | None = None) -> None:
        super().__init__(id="diagnose")
        self.initial_media = media

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="diagnose-form"):
            yield Static(
                "What went wrong? Pick a photo or short video of the dish. Linking the cooking session lets the "
                "diagnosis compare what you did with what the recipe expected.",
                id="diagnose-intro",
            )
            yield Label("Photo or video  [dim](JPG, PNG or MP4 up to 20 MB; → accepts a completion)[/]")
            with Horizontal(id="media-row"):
                yield Input(
                    str(self.initial_media or ""),
                    placeholder="~/Pictures/dinner.jpg",
                    id="media-path",
                    suggester=PathSuggester(),
                )
                yield Button("Browse…", id="browse", compact=True)
            yield Label("Dish")
            yield Input(placeholder="e.g. pancakes", id="dish", max_length=150)
            yield Label("What happened  [dim](optional)[/]")
            yield Input(placeholder="e.g. burnt outside, raw inside", id="cook-notes", max_length=2000)
            yield Label("Cooking session  [dim](optional)[/]")
            yield Select([("No session", NO_SESSION)], value=NO_SESSION, allow_blank=False, id="session-link")
            with Horizontal(id="diagnose-actions"):
                yield Button("Analyze  (ctrl+r)", id="analyze", variant="primary")
                yield Button("Back", id="diagnose-back")
            yield LoadingIndicator(id="diagnose-loading")
            yield Static("", id="diagnose-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#diagnose-loading").display = False
        self.query_one("#media-path", Input).focus()
        self.load_sessions()

    @work(exclusive=True, group="sessions", exit_on_error=False)
    async def load_sessions(self) -> None:
        with self.guard("Loading your sessions"):
            sessions = await self.gateway.list_sessions(limit=10)
            analyses = await self.gateway.list_analyses(limit=1)
            self.post_message(HistoryLoaded(sessions, analyses))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        now = self.now()
        options: list[tuple[str, str]] = [("No session", NO_SESSION)]
        for item in message.sessions.items:
            label = f"{item.recipe_name} · {str(item.status).replace('_', ' ')} · {fmt.ago(item.started_at, now)}"
            options.append((label, str(item.id)))
        self.query_one("#session-link", Select).set_options(options)
        self.query_one("#session-link", Select).value = NO_SESSION

    @on(Button.Pressed, "#browse")
    def action_browse(self) -> None:
        current = Path(self.query_one("#media-path", Input).value or ".").expanduser()
        start = current if current.is_dir() else current.parent if current.parent.is_dir() else Path.home()

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.query_one("#media-path", Input).value = str(path)
                if not self.query_one("#dish", Input).value:
                    self.query_one("#dish", Input).value = path.stem.replace("_", " ").replace("-", " ")
                self.query_one("#dish", Input).focus()

        self.app.push_screen(FilePickerDialog(start.resolve()), chosen)

    @on(Button.Pressed, "#diagnose-back")
    def _back(self) -> None:
        self.app.pop_screen()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "media-path":
            self.query_one("#dish", Input).focus()
        elif event.input.id == "dish":
            self.query_one("#cook-notes", Input).focus()
        else:
            self.action_analyze()

    @on(Button.Pressed, "#analyze")
    def action_analyze(self) -> None:
        raw = self.query_one("#media-path", Input).value.strip()
        status = self.query_one("#diagnose-status", Static)
        if not raw:
            status.update("[$error]Pick a photo or video first (ctrl+o to browse)[/]")
            return
        path = Path(raw).expanduser()
        if not path.is_file():
            status.update(f"[$error]No file at {path}[/]")
            return
        session = self.query_one("#session-link", Select).value
        session_id = uuid.UUID(str(session)) if session not in (NO_SESSION, Select.BLANK) else None
        self.run_analysis(
            path,
            self.query_one("#dish", Input).value.strip() or None,
            self.query_one("#cook-notes", Input).value.strip() or None,
            session_id,
        )

    @work(exclusive=True, group="analyze", exit_on_error=False)
    async def run_analysis(self, path: Path, dish: str | None, notes: str | None, session_id: uuid.UUID | None) -> None:
        loading = self.query_one("#diagnose-loading")
        button = self.query_one("#analyze", Button)
        status = self.query_one("#diagnose-status", Static)
        loading.display = True
        button.disabled = True
        status.update("Analyzing… (offline engine answers in seconds; online providers may take longer)")
        try:
            with self.guard("Diagnosis failed"):
                analysis = await self.gateway.analyze(path, dish=dish, notes=notes, cooking_session_id=session_id)
                self.post_message(AnalysisLoaded(analysis))
                return
            status.update("[$error]The analysis did not complete: see the notification[/]")
        finally:
            loading.display = False
            button.disabled = False

    def on_analysis_loaded(self, message: AnalysisLoaded) -> None:
        from cli.tui.screens.analysis import AnalysisScreen

        self.app.switch_screen(AnalysisScreen(message.analysis.id, initial=message.analysis))
