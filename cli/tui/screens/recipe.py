"""Recipe: ingredients scaled by servings, steps with expected state, heat and time; start cooking."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from cli.tui import formatting as fmt
from cli.tui.messages import RecipeLoaded
from cli.tui.screens.base import ServiceScreen

if TYPE_CHECKING:
    from chefmentor.recipes.schemas import Ingredient, RecipeRead, RecipeStepRead

MAX_SERVINGS = 99


def step_block(step: RecipeStepRead, *, factor: float = 1.0, ingredients: Sequence[Ingredient] = ()) -> str:
    """One step as markup; the recipe's own text is escaped, its amounts scaled like the ingredient list."""
    meta = [
        f"heat {fmt.heat(step.heat)}" if step.heat else "",
        fmt.minutes(step.expected_minutes) if step.expected_minutes else "",
    ]
    if step.timer_seconds:
        meta.append(f"timer {fmt.clock_time(step.timer_seconds)}")
    head = f"[b $accent]{step.step_number}.[/] [b]{escape(step.title or 'Step')}[/]"
    details = " · ".join(m for m in meta if m)
    lines = [
        f"{head}   [dim]{details}[/]" if details else head,
        escape(fmt.scale_text(step.instruction, ingredients, factor)),
    ]
    if step.expected_state:
        lines.append(f"[i $success]Looks like:[/] {escape(step.expected_state)}")
    return "\n".join(lines)


class RecipeScreen(ServiceScreen):
    BINDINGS = [
        Binding("s", "start", "Start cooking"),
        Binding("plus,equals_sign", "servings(1)", "+ serving"),
        Binding("minus", "servings(-1)", "− serving"),
        Binding("escape,backspace", "app.pop_screen", "Back"),
    ]

    def __init__(self, recipe_id: uuid.UUID) -> None:
        super().__init__(id="recipe")
        self.recipe_id = recipe_id
        self.recipe: RecipeRead | None = None
        self.servings = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="recipe-head"):
            yield Static("Loading…", id="recipe-title")
            yield Static("", id="recipe-meta")
            yield Static("", id="recipe-description")
        with Horizontal(id="recipe-body"):
            with Vertical(id="ingredients-pane"):
                with Horizontal(id="servings-bar"):
                    yield Button("−", id="servings-down", compact=True)
                    yield Static("", id="servings-label")
                    yield Button("+", id="servings-up", compact=True)
                yield VerticalScroll(Static("", id="ingredients"), id="ingredients-scroll")
            steps = VerticalScroll(id="steps-scroll")
            steps.border_title = "Steps"
            yield steps
        with Horizontal(id="recipe-actions"):
            yield Button("Start cooking  (s)", id="start", variant="success", disabled=True)
            yield Button("Back", id="back")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#recipe-body").loading = True
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        with self.guard("Loading the recipe"):
            self.post_message(RecipeLoaded(await self.gateway.get_recipe(self.recipe_id)))

    def on_recipe_loaded(self, message: RecipeLoaded) -> None:
        recipe = message.recipe
        self.recipe = recipe
        self.servings = recipe.servings or 1
        self.sub_title = recipe.name
        self.query_one("#recipe-title", Static).update(recipe.name)
        meta = [
            fmt.difficulty(recipe.difficulty),
            fmt.minutes(recipe.estimated_time_min),
            fmt.plural(len(recipe.steps), "step"),
            f"serves {recipe.servings}" if recipe.servings else "",
        ]
        self.query_one("#recipe-meta", Static).update("  ·  ".join(m for m in meta if m))
        self.query_one("#recipe-description", Static).update(recipe.description or "")
        steps = self.query_one("#steps-scroll", VerticalScroll)
        steps.remove_children()
        steps.mount_all([Static(step_block(step), classes="step-block") for step in recipe.steps])
        self.query_one("#recipe-body").loading = False
        self.query_one("#start", Button).disabled = not recipe.steps
        self._render_ingredients()
        self.query_one("#start", Button).focus()

    def _render_ingredients(self) -> None:
        if self.recipe is None:
            return
        base = self.recipe.servings or 1
        factor = self.servings / base
        label = f"[b]{self.servings}[/] serving{'s' if self.servings != 1 else ''}"
        if self.servings != base:
            label += f" [dim](recipe: {base})[/]"
        self.query_one("#servings-label", Static).update(label)
        lines = [f"[$accent]•[/] {escape(fmt.scaled_ingredient(item, factor))}" for item in self.recipe.ingredients]
        self.query_one("#ingredients", Static).update("\n".join(lines) or "[dim]No ingredient list[/]")
        blocks = self.query_one("#steps-scroll", VerticalScroll).query(".step-block").results(Static)
        for block, step in zip(blocks, self.recipe.steps, strict=False):
            block.update(step_block(step, factor=factor, ingredients=self.recipe.ingredients))
        self.query_one("#ingredients-pane").border_title = "Ingredients"

    def action_servings(self, delta: int) -> None:
        if self.recipe is None:
            return
        self.servings = min(MAX_SERVINGS, max(1, self.servings + delta))
        self._render_ingredients()

    @on(Button.Pressed, "#servings-up")
    def _up(self) -> None:
        self.action_servings(1)

    @on(Button.Pressed, "#servings-down")
    def _down(self) -> None:
        self.action_servings(-1)

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        if self.recipe is not None and self.recipe.steps:
            self.start_cooking()

    @work(exclusive=True, group="start", exit_on_error=False)
    async def start_cooking(self) -> None:
        from cli.tui.screens.cook import CookScreen

        self.query_one("#start", Button).disabled = True
        try:
            with self.guard("Starting to cook"):
                started = await self.gateway.start_cooking(self.recipe_id)
                self.app.switch_screen(CookScreen(started.id, initial=started))
        finally:
            if self.is_attached:
                self.query_one("#start", Button).disabled = False
