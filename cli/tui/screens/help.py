"""The keys of every screen, in one place (F1 or ? anywhere)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Anywhere",
        (
            ("F1  ?", "this help"),
            ("ctrl+p", "command palette: recipes, diagnose, history, theme…"),
            ("ctrl+t", "dark / light theme"),
            ("ctrl+q", "quit (every step you pressed is saved first)"),
        ),
    ),
    (
        "Home",
        (
            ("/", "search recipes by name"),
            ("enter", "open the highlighted recipe (or session, or diagnosis)"),
            ("d  h", "diagnose a dish · history and profile"),
            ("r", "reload"),
        ),
    ),
    (
        "Recipe",
        (
            ("+  -", "servings (ingredients are rescaled)"),
            ("s", "start cooking"),
            ("esc", "back"),
        ),
    ),
    (
        "Cook",
        (
            ("n  →  space", "step done, next step"),
            ("b  ←", "previous step"),
            ("r", "repeat the step"),
            ("g", "go to a step (steps jumped over are recorded as skipped)"),
            ("t  x", "start a named timer · cancel a timer"),
            ("p", "pause / resume (timers freeze)"),
            ("v", 'voice on/off: say "next", "set a timer for 5 minutes"…'),
            ("f", "finish: completed or abandoned"),
            ("esc", "leave: the session stays open, resume it from Home"),
        ),
    ),
    (
        "Diagnose and diagnoses",
        (
            ("ctrl+o", "browse for a photo or video"),
            ("ctrl+r", "analyze"),
            ("a  e  del", "add · edit · delete a note (the diagnosis is read-only)"),
            ("R", "retry a pending analysis"),
        ),
    ),
)
KEY_WIDTH = 13


def help_text() -> str:
    lines: list[str] = []
    for section, keys in KEYS:
        lines.append(f"[b $text-accent]{section}[/]")
        lines.extend(f"  [b $text-warning]{key:<{KEY_WIDTH}}[/] {what}" for key, what in keys)
        lines.append("")
    return "\n".join(lines).rstrip()


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "Close")]

    def __init__(self) -> None:
        super().__init__(id="help", classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "esc to close"
            yield Static(help_text(), id="help-text")
