"""Home: the recipe list with search and filters, recent cooking sessions and analyses."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from cli.tui import formatting as fmt
from cli.tui.messages import HistoryLoaded, RecipesLoaded
from cli.tui.screens.base import ServiceScreen
from cli.tui.tables import fill_sized

if TYPE_CHECKING:
    from chefmentor.recipes.schemas import RecipeSummary

DIFFICULTIES = [("Any difficulty", ""), ("Easy", "easy"), ("Medium", "medium"), ("Hard", "hard")]
MAX_TIMES = [("Any time", 0), ("≤ 15 min", 15), ("≤ 30 min", 30), ("≤ 60 min", 60), ("≤ 2 h", 120)]
NARROW_WIDTH = 110
RECENT = 6
RECIPE_COLUMNS = (("Recipe", "name"), ("Difficulty", "difficulty"), ("Time", "time"), ("Serves", "servings"))
MAX_NAME_WIDTH = 48


class HomeScreen(ServiceScreen):
    AUTO_FOCUS = "#recipe-table"
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("enter", "open_recipe", "Open", show=False),
        Binding("d", "app.diagnose", "Diagnose"),
        Binding("h", "app.history", "History"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "blur_search", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="home")
        self.recipes: list[RecipeSummary] = []
        self.loaded = False
        self.first_load = True
        self.shown_filters: tuple[str, str, int] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home-body"):
            with Vertical(id="recipes-pane"):
                with Horizontal(id="filters"):
                    yield Input(placeholder="Search recipes…  ( / )", id="search")
                    yield Select(DIFFICULTIES, value="", allow_blank=False, id="difficulty")
                    yield Select(MAX_TIMES, value=0, allow_blank=False, id="max-time")
                table: DataTable[str] = DataTable(id="recipe-table", cursor_type="row", zebra_stripes=True)
                table.border_title = "Recipes"
                yield table
                yield Static("", id="recipe-preview")
            with Vertical(id="home-side"):
                sessions = OptionList(id="recent-sessions")
                sessions.border_title = "Recent cooking"
                yield sessions
                analyses = OptionList(id="recent-analyses")
                analyses.border_title = "Recent diagnoses"
                yield analyses
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#recipe-table", DataTable)
        for label, key in RECIPE_COLUMNS:
            table.add_column(label, key=key)
        table.loading = True
        self.load_recipes()

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.load_history()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    # --- loading -------------------------------------------------------------------------------

    def _filters(self) -> tuple[str, str, int]:
        q = self.query_one("#search", Input).value.strip()
        level = self.query_one("#difficulty", Select).value
        limit = self.query_one("#max-time", Select).value
        return q, str(level or ""), limit if isinstance(limit, int) else 0

    @work(exclusive=True, group="recipes", exit_on_error=False)
    async def load_recipes(self) -> None:
        from chefmentor.recipes.models import Difficulty

        self.shown_filters = self._filters()
        q, level, _ = self.shown_filters
        try:
            with self.guard("Loading recipes"):
                page = await self.gateway.list_recipes(q=q, difficulty=Difficulty(level) if level else None)
                self.post_message(RecipesLoaded(page))
        finally:
            if self.first_load:
                # History and the migration check wait until the recipe list is on screen: it is what
                # the cook sees first, and the check's imports would compete with drawing it.
                self.first_load = False
                self.call_after_refresh(self._after_first_load)

    def _after_first_load(self) -> None:
        self.load_history()
        self.chef_app.home_first_load_done()

    @work(exclusive=True, group="history", exit_on_error=False)
    async def load_history(self) -> None:
        with self.guard("Loading history"):
            sessions = await self.gateway.list_sessions(limit=RECENT)
            analyses = await self.gateway.list_analyses(limit=RECENT)
            self.post_message(HistoryLoaded(sessions, analyses))

    def on_recipes_loaded(self, message: RecipesLoaded) -> None:
        _, _, max_minutes = self._filters()
        # The time filter narrows the loaded page (the service pages by name and difficulty only).
        self.recipes = [
            r
            for r in message.page.items
            if not max_minutes or (r.estimated_time_min is not None and r.estimated_time_min <= max_minutes)
        ]
        table = self.query_one("#recipe-table", DataTable)
        rows = [
            [
                fmt.cell(recipe.name),
                fmt.difficulty_cell(recipe.difficulty),
                fmt.cell(fmt.minutes(recipe.estimated_time_min)),
                fmt.cell(str(recipe.servings or "–")),
            ]
            for recipe in self.recipes
        ]
        fill_sized(table, RECIPE_COLUMNS, rows, [str(recipe.id) for recipe in self.recipes], max_width=MAX_NAME_WIDTH)
        table.border_subtitle = f"{len(self.recipes)} of {message.page.total}"
        table.loading = False
        self.loaded = True
        if not self.recipes:
            self.query_one("#recipe-preview", Static).update(
                "No recipe matches."
                if message.page.total or self._filters()[0]
                else "No recipes yet: run [b]chefmentor db seed[/] or [b]chefmentor recipes import FILE[/]."
            )
        else:
            self._preview(0)

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        now = self.now()
        sessions = self.query_one("#recent-sessions", OptionList)
        sessions.clear_options()
        for item in message.sessions.items:
            mark = {"in_progress": "[$warning]▶[/]", "completed": "[$success]✓[/]"}.get(str(item.status), "[dim]✗[/]")
            detail = (
                f"step {item.current_step}/{item.total_steps}"
                if str(item.status) == "in_progress"
                else str(item.status).replace("_", " ")
            )
            sessions.add_option(
                Option(
                    f"{mark} {item.recipe_name}\n  [dim]{detail} · {fmt.ago(item.started_at, now)}[/]",
                    id=f"session:{item.id}:{item.status}",
                )
            )
        if not message.sessions.items:
            sessions.add_option(Option("[dim]Nothing cooked yet[/]", disabled=True))
        analyses = self.query_one("#recent-analyses", OptionList)
        analyses.clear_options()
        for analysis in message.analyses.items:
            confidence = f"{analysis.confidence:.0%}" if analysis.confidence is not None else "–"
            analyses.add_option(
                Option(
                    f"{analysis.dish or 'dish'}: [b]{fmt.category_label(analysis.category)}[/]\n"
                    f"  [dim]{confidence} · {fmt.ago(analysis.created_at, now)}[/]",
                    id=f"analysis:{analysis.id}",
                )
            )
        if not message.analyses.items:
            analyses.add_option(Option("[dim]No diagnoses yet (d)[/]", disabled=True))

    # --- interaction ---------------------------------------------------------------------------

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    def _filters_changed(self) -> None:
        # Selects announce their initial value on mount: only a real change reloads the list.
        if self._filters() != self.shown_filters:
            self.load_recipes()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.query_one("#recipe-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#recipe-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview(event.cursor_row)

    def _preview(self, row: int) -> None:
        if 0 <= row < len(self.recipes):
            recipe = self.recipes[row]
            self.query_one("#recipe-preview", Static).update(f"[b]{recipe.name}[/]  {recipe.description or ''}".strip())

    @on(DataTable.RowSelected, "#recipe-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_recipe(uuid.UUID(event.row_key.value))

    def action_open_recipe(self) -> None:
        table = self.query_one("#recipe-table", DataTable)
        if self.recipes and 0 <= table.cursor_row < len(self.recipes):
            self.open_recipe(self.recipes[table.cursor_row].id)

    def open_recipe(self, recipe_id: uuid.UUID) -> None:
        from cli.tui.screens.recipe import RecipeScreen

        self.app.push_screen(RecipeScreen(recipe_id))

    @on(OptionList.OptionSelected, "#recent-sessions")
    def _session_selected(self, event: OptionList.OptionSelected) -> None:
        from cli.tui.screens.cook import CookScreen

        option_id = event.option.id or ""
        _, session_id, status = option_id.split(":")
        if status == "in_progress":
            self.app.push_screen(CookScreen(uuid.UUID(session_id)))
        else:
            self.app.action_history()  # type: ignore[attr-defined]

    @on(OptionList.OptionSelected, "#recent-analyses")
    def _analysis_selected(self, event: OptionList.OptionSelected) -> None:
        from cli.tui.screens.analysis import AnalysisScreen

        self.app.push_screen(AnalysisScreen(uuid.UUID((event.option.id or "").split(":", 1)[1])))

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_blur_search(self) -> None:
        self.query_one("#recipe-table", DataTable).focus()

    def action_reload(self) -> None:
        self.load_recipes()
        self.load_history()
