"""The keys of every screen, in one place (F1 or ? anywhere)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# ChefMentor X — keys

| Anywhere | |
|---|---|
| `F1` / `?` | this help |
| `ctrl+p` | command palette (recipes, diagnose, history, theme…) |
| `ctrl+t` | dark / light theme |
| `ctrl+q` | quit (every recorded step is already saved) |

| Home | |
|---|---|
| `/` | search recipes by name |
| `enter` | open the highlighted recipe |
| `d` · `h` | diagnose a dish · history and profile |
| `r` | reload |

| Recipe | |
|---|---|
| `+` / `-` | servings (ingredients are rescaled) |
| `s` | start cooking |
| `esc` | back |

| Cook | |
|---|---|
| `n` `→` `space` | step done, next step |
| `b` `←` | previous step |
| `r` | repeat the step |
| `g` | go to a step (steps jumped over are recorded as skipped) |
| `t` · `x` | start a named timer · cancel a timer |
| `p` | pause / resume (timers freeze) |
| `v` | voice on/off (microphone: "next", "set a timer for 5 minutes"…) |
| `f` | finish: completed or abandoned |
| `esc` | leave; the session stays in progress and can be resumed from Home |

| Diagnose and analyses | |
|---|---|
| `ctrl+o` | browse for a photo or video |
| `ctrl+r` | analyze |
| `a` · `e` · `delete` | add · edit · delete a note (the diagnosis itself is read-only) |
| `R` | retry a pending analysis |
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "Close")]

    def __init__(self) -> None:
        super().__init__(id="help", classes="dialog-screen")

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Help"
            box.border_subtitle = "esc to close"
            yield Markdown(HELP)
