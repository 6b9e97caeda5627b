"""Live named kitchen timers: one row per timer with a progress bar and the time left."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar, Static

from cli.tui import formatting as fmt

if TYPE_CHECKING:
    from chefmentor.cooking.schemas import TimerRead

SHOWN_STATUSES = ("running", "finished")


def seconds_left(timer: TimerRead, *, now: datetime, paused: bool) -> float:
    """Time left as displayed: frozen at the service's figure while paused, else counted from `endsAt`."""
    if timer.status != "running":
        return 0.0
    if paused:
        return timer.remaining_seconds
    return max(0.0, (timer.ends_at - now).total_seconds())


class TimerRow(Vertical):
    def __init__(self, timer: TimerRead) -> None:
        super().__init__(classes="timer-row")
        self.timer = timer
        self.left = Label("", classes="timer-left")
        self.bar = ProgressBar(total=timer.seconds, show_eta=False, show_percentage=False, classes="timer-bar")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="timer-head"):
            yield Label(self.timer.name, classes="timer-name")
            yield self.left
        yield self.bar

    def tick(self, *, now: datetime, paused: bool) -> float:
        left = seconds_left(self.timer, now=now, paused=paused)
        done = self.timer.status == "finished" or (self.timer.status == "running" and left <= 0)
        self.set_class(done, "-done")
        self.set_class(paused and not done, "-paused")
        self.left.update("done" if done else fmt.clock_time(left) + (" ⏸" if paused else ""))
        self.bar.update(progress=self.timer.seconds if done else self.timer.seconds - left)
        return left


class TimerPanel(Vertical):
    """Shows the session's running and finished timers; the screen feeds it service answers and ticks."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's own parameter name
        super().__init__(id=id)
        self.timers: list[TimerRead] = []

    def compose(self) -> ComposeResult:
        yield Static("No timers. Press [b]t[/] to start one.", classes="timer-empty")

    def set_timers(self, timers: list[TimerRead], *, now: datetime, paused: bool) -> None:
        shown = [t for t in timers if t.status in SHOWN_STATUSES]
        # Newest first, finished ones after running ones.
        shown.sort(key=lambda t: (t.status != "running", -t.started_at.timestamp()))
        signature = [(t.name, t.status, t.started_at) for t in shown]
        if signature != [(t.name, t.status, t.started_at) for t in self.timers]:
            self.remove_children()
            rows = [TimerRow(t) for t in shown]
            if rows:
                self.mount_all(rows)
            else:
                self.mount(Static("No timers. Press [b]t[/] to start one.", classes="timer-empty"))
        else:
            for row, timer in zip(self.query(TimerRow), shown, strict=False):
                row.timer = timer
        self.timers = shown
        self.call_after_refresh(self.tick, now=now, paused=paused)

    def tick(self, *, now: datetime, paused: bool) -> list[TimerRead]:
        """Refresh the bars; returns running timers whose time is up (the screen asks the service)."""
        due: list[TimerRead] = []
        for row in self.query(TimerRow):
            left = row.tick(now=now, paused=paused)
            if row.timer.status == "running" and left <= 0 and not paused:
                due.append(row.timer)
        return due
