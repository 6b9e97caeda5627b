"""Shown instead of Home when the database cannot be opened or is not migrated."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Static


class StartupErrorScreen(Screen[None]):
    BINDINGS = [Binding("q,escape", "quit", "Quit", show=False)]

    def __init__(self, message: str) -> None:
        super().__init__(id="startup-error")
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="startup-error-box"):
            yield Static("ChefMentor X cannot start", id="startup-error-title")
            yield Static(self.message, id="startup-error-message", markup=False)
            yield Static(self._hint(), id="startup-error-hint")
            yield Button("Quit", id="startup-quit", variant="error")
        yield Footer()

    def _hint(self) -> str:
        if "db upgrade" in self.message:
            return (
                "Create or update the database, then start the TUI again:\n\n"
                "  [b]chefmentor db upgrade[/]\n"
                "  [b]chefmentor db seed[/]   (optional: the bundled recipes)"
            )
        return "Check the database settings with [b]chefmentor doctor[/], then start the TUI again."

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "startup-quit":
            self.action_quit()

    def action_quit(self) -> None:
        # `chefmentor tui` then exits with the error's code, like every other command that failed.
        self.app.exit(return_code=getattr(self.app, "startup_exit_code", 1) or 1)
