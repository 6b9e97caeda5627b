"""Small modal dialogs: start a timer, pick a timer, go to a step, finish the session, edit a note."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from cli.tui import formatting as fmt

if TYPE_CHECKING:
    from chefmentor.cooking.schemas import TimerRead


@dataclass(frozen=True, slots=True)
class TimerRequest:
    name: str | None
    seconds: int


class TimerDialog(ModalScreen[TimerRequest | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, *, name: str, seconds: int | None) -> None:
        super().__init__(classes="dialog-screen")
        self.default_name = name
        self.default_seconds = seconds

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="timer-dialog") as box:
            box.border_title = "New timer"
            yield Label("Name")
            yield Input(self.default_name, id="timer-name", max_length=40)
            yield Label("Duration  [dim](10, 90s, 2.5m, 1h 20m or 1:30)[/]")
            default = fmt.clock_time(self.default_seconds) if self.default_seconds else ""
            yield Input(default, id="timer-duration", placeholder="minutes")
            yield Static("", id="timer-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", id="timer-ok", variant="primary")
                yield Button("Cancel", id="timer-cancel")

    def on_mount(self) -> None:
        self.query_one("#timer-duration", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#timer-ok")
    def _submit(self) -> None:
        seconds = fmt.parse_duration(self.query_one("#timer-duration", Input).value)
        if seconds is None:
            self.query_one("#timer-error", Static).update("Enter a duration such as 10, 90s or 1:30")
            return
        name = self.query_one("#timer-name", Input).value.strip() or None
        self.dismiss(TimerRequest(name, seconds))

    @on(Button.Pressed, "#timer-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class PickTimerDialog(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, timers: list[TimerRead]) -> None:
        super().__init__(classes="dialog-screen")
        self.timers = timers

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Cancel which timer?"
            yield OptionList(*[Option(t.name, id=t.name) for t in self.timers], id="timer-pick")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


class GotoDialog(ModalScreen[int | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, total: int) -> None:
        super().__init__(classes="dialog-screen")
        self.total = total

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Go to step"
            yield Label(f"Step number (1 to {self.total}); steps jumped over are recorded as skipped")
            yield Input(id="goto-step", type="integer")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            number = int(event.value)
        except ValueError:
            return
        if 1 <= number <= self.total:
            self.dismiss(number)


class FinishDialog(ModalScreen[str | None]):
    """Returns "completed", "abandoned" or None (keep cooking)."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Keep cooking"),
        Binding("c", "dismiss('completed')", "Completed"),
        Binding("a", "dismiss('abandoned')", "Abandon"),
    ]

    def __init__(self, *, all_done: bool) -> None:
        super().__init__(classes="dialog-screen")
        self.all_done = all_done

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="finish-dialog") as box:
            box.border_title = "Finish cooking"
            text = "All steps are done." if self.all_done else "Some steps are not marked done yet."
            yield Static(f"{text}\nHow did it go? Running timers are cancelled.")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Completed (c)", id="finish-completed", variant="success")
                yield Button("Abandon (a)", id="finish-abandoned", variant="error")
                yield Button("Keep cooking", id="finish-cancel")

    def on_mount(self) -> None:
        self.query_one("#finish-completed", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = (event.button.id or "").removeprefix("finish-")
        self.dismiss(None if choice == "cancel" else choice)


class NoteDialog(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("ctrl+s", "save", "Save")]

    def __init__(self, *, title: str, text: str = "") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog") as box:
            box.border_title = self.title_text
            yield TextArea(self.text, id="note-text", soft_wrap=True)
            yield Static("", classes="dialog-error", id="note-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", id="note-save", variant="primary")
                yield Button("Cancel", id="note-cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.query_one("#note-error", Static).update("A note cannot be empty")
            return
        self.dismiss(text)

    @on(Button.Pressed, "#note-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
