"""History and profile: past sessions and analyses, cooking stats, and the editable habits."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import (
    Button,
    DataTable,
    Footer,
    Header,
    Input,
    Label,
    Select,
    Static,
    Switch,
    TabbedContent,
    TabPane,
)

from cli.tui import formatting as fmt
from cli.tui.messages import HistoryLoaded
from cli.tui.screens.base import ServiceScreen
from cli.tui.tables import fill_sized
from cli.tui.widgets.pictures import ACTIVITY_DAYS, ActivityChart, last, per_day

if TYPE_CHECKING:
    from chefmentor.profile.schemas import ProfileRead

HISTORY_LIMIT = 100
SESSION_COLUMNS = (
    ("Recipe", "recipe"),
    ("Status", "status"),
    ("Step", "step"),
    ("Started", "started"),
    ("Finished", "finished"),
)
ANALYSIS_COLUMNS = (
    ("Dish", "dish"),
    ("Category", "category"),
    ("Confidence", "confidence"),
    ("Provider", "provider"),
    ("When", "when"),
)
SKILLS = [("Beginner", "beginner"), ("Intermediate", "intermediate"), ("Advanced", "advanced")]
UNITS = [("Metric", "metric"), ("Imperial", "imperial")]
DEMO_EXPLANATION = (
    "Profiles are not kept in demo mode (a demo session and its history expire after 24 hours). "
    "Run [b]chefmentor tui[/] without --demo to keep your history."
)


class ProfileLoaded(Message):
    def __init__(self, profile: ProfileRead | None, problem: str | None = None) -> None:
        super().__init__()
        self.profile = profile
        self.problem = problem


def _labels(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


class HistoryScreen(ServiceScreen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__(id="history")

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="history-tabs"):
            with TabPane("Sessions", id="tab-sessions"):
                yield ActivityChart("Sessions per day", id="sessions-chart")
                yield DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Diagnoses", id="tab-analyses"):
                yield ActivityChart("Diagnoses per day", id="analyses-chart")
                yield DataTable(id="analyses-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Profile", id="tab-profile"), VerticalScroll(id="profile-form"):
                yield Static("", id="profile-stats")
                yield Static("", id="profile-explanation")
                with Horizontal(classes="form-row"):
                    yield Label("Skill level", classes="form-label")
                    yield Select(SKILLS, value="beginner", allow_blank=False, id="skill-level")
                with Horizontal(classes="form-row"):
                    yield Label("Diet", classes="form-label")
                    yield Input(placeholder="vegetarian, no nuts", id="dietary")
                with Horizontal(classes="form-row"):
                    yield Label("Equipment", classes="form-label")
                    yield Input(placeholder="cast-iron pan, oven", id="equipment")
                with Horizontal(classes="form-row"):
                    yield Label("Units", classes="form-label")
                    yield Select(UNITS, value="metric", allow_blank=False, id="units")
                with Horizontal(classes="form-row"):
                    yield Label("Voice on", classes="form-label")
                    yield Switch(value=True, id="voice-enabled")
                yield Button("Save profile", id="save-profile", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        fill_sized(self.query_one("#sessions-table", DataTable), SESSION_COLUMNS, [], [])
        fill_sized(self.query_one("#analyses-table", DataTable), ANALYSIS_COLUMNS, [], [])
        self.query_one("#profile-form").loading = True
        if self.gateway.is_demo:
            self._disable_profile(DEMO_EXPLANATION)
        self.action_reload()

    def action_reload(self) -> None:
        self.load_history()
        self.load_profile()

    @work(exclusive=True, group="history", exit_on_error=False)
    async def load_history(self) -> None:
        with self.guard("Loading history"):
            sessions = await self.gateway.list_sessions(limit=HISTORY_LIMIT)
            analyses = await self.gateway.list_analyses(limit=HISTORY_LIMIT)
            self.post_message(HistoryLoaded(sessions, analyses))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        now = self.now()
        sessions = self.query_one("#sessions-table", DataTable)
        marks = {"in_progress": ("▶ in progress", "$warning"), "completed": ("✓ completed", "$success")}
        session_rows = [
            [
                fmt.cell(item.recipe_name),
                fmt.cell(*marks.get(str(item.status), ("✗ abandoned", "dim"))),
                fmt.cell(f"{item.current_step}/{item.total_steps}"),
                fmt.cell(fmt.ago(item.started_at, now)),
                fmt.cell(fmt.ago(item.completed_at, now) if item.completed_at else "–"),
            ]
            for item in message.sessions.items
        ]
        session_keys = [f"{item.id}:{item.status}" for item in message.sessions.items]
        fill_sized(sessions, SESSION_COLUMNS, session_rows, session_keys)
        sessions.border_title = fmt.plural(message.sessions.total, "session")
        self._chart("#sessions-chart", [item.started_at for item in message.sessions.items], "session")
        analysis_rows = [
            [
                fmt.cell(analysis.dish or "–"),
                fmt.cell(fmt.category_label(analysis.category))
                if analysis.status != "pending"
                else fmt.cell("pending", "$warning"),
                fmt.cell(f"{analysis.confidence:.0%}" if analysis.confidence is not None else "–"),
                fmt.cell(analysis.provider or "–"),
                fmt.cell(fmt.ago(analysis.created_at, now)),
            ]
            for analysis in message.analyses.items
        ]
        analysis_keys = [str(analysis.id) for analysis in message.analyses.items]
        fill_sized(self.query_one("#analyses-table", DataTable), ANALYSIS_COLUMNS, analysis_rows, analysis_keys)
        self._chart("#analyses-chart", [a.created_at for a in message.analyses.items], "diagnosis", "diagnoses")

    def _chart(self, selector: str, moments: list[datetime], noun: str, nouns: str | None = None) -> None:
        now = self.now()
        counts = per_day(moments, now)
        caption = f"{last(ACTIVITY_DAYS, now)}: {fmt.plural(sum(counts), noun, nouns)}"
        self.query_one(selector, ActivityChart).show(counts, caption)

    @on(DataTable.RowSelected, "#sessions-table")
    def _session_selected(self, event: DataTable.RowSelected) -> None:
        from cli.tui.screens.cook import CookScreen

        session_id, status = (event.row_key.value or ":").split(":")
        if status == "in_progress":
            self.app.push_screen(CookScreen(uuid.UUID(session_id)))
        else:
            self.notify("This session has ended; its steps are kept for diagnosis (press d to diagnose).", timeout=4)

    @on(DataTable.RowSelected, "#analyses-table")
    def _analysis_selected(self, event: DataTable.RowSelected) -> None:
        from cli.tui.screens.analysis import AnalysisScreen

        if event.row_key.value:
            self.app.push_screen(AnalysisScreen(uuid.UUID(event.row_key.value)))

    # --- profile -------------------------------------------------------------------------------

    @work(exclusive=True, group="profile", exit_on_error=False)
    async def load_profile(self) -> None:
        from chefmentor.errors import ForbiddenError

        with self.guard("Loading the profile"):
            try:
                profile = await self.gateway.get_profile()
            except ForbiddenError as exc:  # demo actors: the form stays disabled with the reason
                self.post_message(ProfileLoaded(None, exc.message))
                return
            self.post_message(ProfileLoaded(profile))

    def on_profile_loaded(self, message: ProfileLoaded) -> None:
        self.query_one("#profile-form").loading = False
        if message.profile is None:
            self._disable_profile(DEMO_EXPLANATION if self.gateway.is_demo else message.problem or "")
            self.query_one("#profile-stats", Static).update("")
            return
        profile = message.profile
        habits, stats = profile.cooking_habits, profile.stats
        rate = f"{stats.completion_rate:.0%}" if stats.completion_rate is not None else "–"
        top = ", ".join(f"{fmt.category_label(c.category)} ×{c.count}" for c in stats.most_common_failure_categories)
        self.query_one("#profile-stats", Static).update(
            f"[b]{fmt.plural(stats.sessions_cooked, 'session')}[/] · [b]{stats.sessions_completed}[/] completed · "
            f"{stats.sessions_abandoned} abandoned · completion {rate} · "
            f"[b]{fmt.plural(stats.analyses_count, 'diagnosis', 'diagnoses')}[/]"
            + (f"\nMost common problems: {top}" if top else "")
        )
        self.query_one("#skill-level", Select).value = habits.skill_level
        self.query_one("#dietary", Input).value = ", ".join(habits.dietary_preferences)
        self.query_one("#equipment", Input).value = ", ".join(habits.equipment)
        self.query_one("#units", Select).value = habits.preferred_units
        self.query_one("#voice-enabled", Switch).value = habits.voice_enabled

    def _disable_profile(self, explanation: str) -> None:
        for widget in self.query("#profile-form Select, #profile-form Input, #profile-form Switch, #save-profile"):
            widget.disabled = True
        self.query_one("#profile-explanation", Static).update(f"[$warning]{explanation}[/]")

    @on(Button.Pressed, "#save-profile")
    def _save_pressed(self) -> None:
        from chefmentor.profile.schemas import CookingHabitsUpdate

        try:
            habits = CookingHabitsUpdate(
                skill_level=str(self.query_one("#skill-level", Select).value),
                dietary_preferences=_labels(self.query_one("#dietary", Input).value),
                equipment=_labels(self.query_one("#equipment", Input).value),
                preferred_units=str(self.query_one("#units", Select).value),
                voice_enabled=self.query_one("#voice-enabled", Switch).value,
            )
        except ValueError as exc:
            self.notify(str(exc).splitlines()[0], title="Check the profile", severity="error")
            return
        self.save_profile(habits)

    @work(exclusive=True, group="profile", exit_on_error=False)
    async def save_profile(self, habits: object) -> None:
        from chefmentor.errors import ForbiddenError

        with self.guard("Saving the profile"):
            try:
                profile = await self.gateway.update_profile(habits)  # type: ignore[arg-type]
            except ForbiddenError as exc:
                # This actor cannot keep a profile (the service says why): say it where the form is.
                self._disable_profile(exc.message)
                raise
            self.notify("Profile saved", timeout=2)
            self.post_message(ProfileLoaded(profile))
