"""Cook: one step at a time in large type, named timers, pause, voice; every action goes through the service."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Digits, Footer, Header, ProgressBar, Static

from cli.tui import formatting as fmt
from cli.tui.cook_state import CookView
from cli.tui.messages import CookViewChanged, SessionEnded, TimersFinished, VoiceHeard, VoiceStopped
from cli.tui.screens.base import ServiceScreen
from cli.tui.screens.dialogs import FinishDialog, GotoDialog, PickTimerDialog, TimerDialog, TimerRequest
from cli.tui.widgets.timers import TimerPanel

if TYPE_CHECKING:
    from chefmentor.cooking.schemas import CookingSessionRead, GuidanceRead

TICK_SECONDS = 0.25
COMPACT_WIDTH = 100
COMPACT_HEIGHT = 30


class CookScreen(ServiceScreen):
    BINDINGS = [
        Binding("n,right,space", "next", "Next"),
        Binding("b,left", "back", "Back"),
        Binding("r", "repeat", "Repeat"),
        Binding("t", "timer", "Timer"),
        Binding("x", "cancel_timer", "Cancel"),
        Binding("p", "pause", "Pause"),
        Binding("g", "goto", "Go to", show=False),
        Binding("f", "finish", "Finish"),
        Binding("v", "voice", "Voice"),
        Binding("escape", "leave", "Leave"),
    ]

    def __init__(self, session_id: uuid.UUID, *, initial: CookingSessionRead | None = None) -> None:
        super().__init__(id="cook")
        self.session_id = session_id
        self.initial = initial
        self.view: CookView | None = None
        self.checking_timers = False
        self.voice: object | None = None
        self.last_heard = ""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="cook-top"):
            yield Digits("", id="step-digits")
            with Vertical(id="cook-progress"):
                yield Static("", id="cook-recipe")
                yield ProgressBar(show_eta=False, id="step-progress")
        with Horizontal(id="cook-body"):
            with VerticalScroll(id="step-area"):
                yield Static("", id="step-title")
                yield Static("", id="step-instruction")
                yield Static("", id="step-expect")
                yield Static("", id="step-meta")
                yield Static("", id="step-tips")
                yield Static("", id="step-next")
                yield Static("", id="all-done")
            with Vertical(id="cook-side"):
                panel = TimerPanel(id="timers")
                panel.border_title = "Timers"
                yield panel
                voice = Static("[dim]off — press [b]v[/] to cook hands-free[/]", id="voice-status")
                voice.border_title = "Voice"
                yield voice
        yield Footer()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < COMPACT_WIDTH or event.size.height < COMPACT_HEIGHT, "-compact")

    def on_mount(self) -> None:
        if self.initial is not None:
            self.post_message(CookViewChanged(CookView.from_session(self.initial)))
        else:
            self.query_one("#step-area").loading = True
            self.load()
        self.set_interval(TICK_SECONDS, self.tick)

    @work(exclusive=True, group="load", exit_on_error=False)
    async def load(self) -> None:
        with self.guard("Opening the cooking session"):
            self.post_message(
                CookViewChanged(CookView.from_session(await self.gateway.get_cooking_session(self.session_id)))
            )

    # --- rendering -----------------------------------------------------------------------------

    def on_cook_view_changed(self, message: CookViewChanged) -> None:
        view = message.view
        self.view = view
        self.query_one("#step-area").loading = False
        step = view.step
        self.sub_title = view.recipe_name
        self.query_one("#step-digits", Digits).update(f"{view.current}/{view.total}")
        state = "  [b $warning]⏸ PAUSED — press p to resume[/]" if view.paused else ""
        self.query_one("#cook-recipe", Static).update(
            f"[b]{view.recipe_name}[/]  step {view.current} of {view.total}{state}"
        )
        self.query_one("#step-progress", ProgressBar).update(
            total=view.total, progress=view.current - (0 if view.all_steps_done else 1)
        )
        self.set_class(view.paused, "-paused")
        if step is not None:
            self.query_one("#step-title", Static).update(step.title or f"Step {step.step_number}")
            self.query_one("#step-instruction", Static).update(step.instruction)
            self.query_one("#step-expect", Static).update(
                f"[b]Looks like[/]  {step.expected_state}" if step.expected_state else ""
            )
            meta = []
            if step.heat:
                meta.append(f"heat {fmt.heat(step.heat)}")
            if step.expected_minutes:
                meta.append(f"about {fmt.minutes(step.expected_minutes)}")
            if step.timer_seconds:
                meta.append(f"suggested timer {fmt.clock_time(step.timer_seconds)} (t)")
            self.query_one("#step-meta", Static).update("   ".join(meta))
            tips = "\n".join(f"[$accent]›[/] {tip}" for tip in step.tips)
            self.query_one("#step-tips", Static).update(f"[b]Tips[/]\n{tips}" if tips else "")
        upcoming = view.next_step
        self.query_one("#step-next", Static).update(
            f"[dim]Next: {upcoming.title or upcoming.instruction[:80]}[/]"
            if upcoming
            else "[dim]This is the last step.[/]"
        )
        self.query_one("#all-done", Static).update(
            "[b $success]✓ All steps done![/] Press [b]f[/] to finish and save the session."
            if view.all_steps_done
            else ""
        )
        self.query_one(TimerPanel).set_timers(view.timers, now=self.now(), paused=view.paused)
        if message.announce:
            self.notify(message.announce, timeout=3)

    def tick(self) -> None:
        if self.view is None or not self.chef_app.ready or not self.is_attached:
            return
        due = self.query_one(TimerPanel).tick(now=self.now(), paused=self.view.paused)
        if due and not self.checking_timers:
            self.checking_timers = True
            self.check_timers()

    # --- actions: each one is a recorded service call ------------------------------------------

    def _run(
        self, doing: str, call: Callable[[], Coroutine[Any, Any, CookView | None]], *, announce: str | None = None
    ) -> None:
        # The service call starts here, not inside the worker: leaving or quitting right after a key
        # press cancels the worker, never the write (the app waits for tracked writes before closing).
        self._action_worker(doing, self.gateway.track(call()), announce)

    @work(group="actions", exit_on_error=False)
    async def _action_worker(self, doing: str, pending: asyncio.Task[CookView | None], announce: str | None) -> None:
        with self.guard(doing):
            view = await asyncio.shield(pending)
            if view is not None:
                self.post_message(CookViewChanged(view, announce=announce))

    def _guided(self, guidance: GuidanceRead) -> CookView:
        assert self.view is not None  # noqa: S101 - actions are only bound once the view exists
        return self.view.with_guidance(guidance)

    def action_next(self) -> None:
        if self.view is None:
            return
        if self.view.all_steps_done:
            self.action_finish()  # the last step is already recorded as done: nothing more to record
            return

        async def call() -> CookView:
            return self._guided(await self.gateway.next_step(self.session_id))

        self._run("Next step", call)

    def action_back(self) -> None:
        if self.view is None:
            return

        async def call() -> CookView:
            return self._guided(await self.gateway.previous_step(self.session_id))

        self._run("Previous step", call)

    def action_repeat(self) -> None:
        if self.view is None:
            return

        async def call() -> CookView:
            return self._guided(await self.gateway.get_guidance(self.session_id))

        self.query_one("#step-instruction").add_class("-flash")
        self.set_timer(0.6, lambda: self.query_one("#step-instruction").remove_class("-flash"))
        self._run("Repeat the step", call, announce=f"Step {self.view.current} again")

    def action_goto(self) -> None:
        if self.view is None:
            return

        def chosen(number: int | None) -> None:
            if number is None:
                return

            async def call() -> CookView:
                return self._guided(await self.gateway.goto_step(self.session_id, number))

            self._run("Go to step", call)

        self.app.push_screen(GotoDialog(self.view.total), chosen)

    def action_timer(self) -> None:
        if self.view is None:
            return
        step = self.view.step
        suggested = step.timer_seconds if step and step.timer_seconds else None
        if suggested is None and step and step.expected_minutes:
            suggested = round(step.expected_minutes * 60)
        name = (step.title if step and step.title else f"Step {self.view.current}")[:40]

        def chosen(request: TimerRequest | None) -> None:
            if request is not None:
                self._start_timer(request)

        self.app.push_screen(TimerDialog(name=name, seconds=suggested), chosen)

    def _start_timer(self, request: TimerRequest) -> None:
        async def call() -> CookView:
            timer = await self.gateway.start_timer(self.session_id, seconds=request.seconds, name=request.name)
            session = await self.gateway.get_cooking_session(self.session_id)
            assert self.view is not None  # noqa: S101
            self.notify(f"{timer.name}: {fmt.clock_time(timer.seconds)}", title="Timer started", timeout=3)
            return self.view.with_session(session)

        self._run("Start a timer", call)

    def action_cancel_timer(self) -> None:
        if self.view is None:
            return
        running = [t for t in self.view.timers if t.status == "running"]
        if not running:
            self.notify("No timer is running", severity="warning", timeout=3)
            return

        def chosen(name: str | None) -> None:
            if name is None:
                return

            async def call() -> CookView:
                await self.gateway.cancel_timer(self.session_id, name=name)
                assert self.view is not None  # noqa: S101
                return self.view.with_session(await self.gateway.get_cooking_session(self.session_id))

            self._run("Cancel the timer", call, announce=f"Timer {name} cancelled")

        if len(running) == 1:
            chosen(running[0].name)
        else:
            self.app.push_screen(PickTimerDialog(running), chosen)

    def action_pause(self) -> None:
        if self.view is None:
            return
        paused = self.view.paused

        async def call() -> CookView:
            assert self.view is not None  # noqa: S101
            read = await (self.gateway.resume if paused else self.gateway.pause)(self.session_id)
            return self.view.with_session(read)

        self._run("Resume" if paused else "Pause", call, announce="Resumed" if paused else "Paused: timers are frozen")

    @work(exclusive=True, group="timers", exit_on_error=False)
    async def check_timers(self) -> None:
        try:
            with self.guard("Checking timers"):
                finished = await self.gateway.check_timers(self.session_id)
                session = await self.gateway.get_cooking_session(self.session_id)
                if finished:
                    self.post_message(TimersFinished(finished))
                if self.view is not None:
                    self.post_message(CookViewChanged(self.view.with_session(session)))
        finally:
            self.checking_timers = False

    def on_timers_finished(self, message: TimersFinished) -> None:
        for timer in message.timers:
            self.notify(f"{timer.name} is done!", title="Timer", severity="warning", timeout=10)
            self.app.bell()

    def action_finish(self) -> None:
        if self.view is None:
            return

        def chosen(choice: str | None) -> None:
            if choice in ("completed", "abandoned"):
                self.end_session(choice)

        self.app.push_screen(FinishDialog(all_done=self.view.all_steps_done), chosen)

    def end_session(self, choice: str) -> None:
        end = self.gateway.complete if choice == "completed" else self.gateway.abandon
        self._end_worker(self.gateway.track(end(self.session_id)))

    @work(exclusive=True, group="end", exit_on_error=False)
    async def _end_worker(self, pending: asyncio.Task[CookingSessionRead]) -> None:
        with self.guard("Finishing the session"):
            ended = await asyncio.shield(pending)
            self.post_message(SessionEnded(str(ended.status), ended.recipe_name))

    def on_session_ended(self, message: SessionEnded) -> None:
        self.stop_voice()
        if message.status == "completed":
            self.notify(f"{message.recipe_name} saved to your history. Enjoy!", title="Session completed", timeout=5)
        else:
            self.notify(
                "Session abandoned. Something went wrong? Press d on Home to diagnose the dish.",
                title="Session abandoned",
                timeout=6,
            )
        self.dismiss()

    def action_leave(self) -> None:
        self.stop_voice()
        self.notify("The session stays in progress: resume it from Recent cooking", timeout=4)
        self.dismiss()

    # --- voice ---------------------------------------------------------------------------------

    def action_voice(self) -> None:
        if self.voice is not None:
            self.stop_voice()
            self.query_one("#voice-status", Static).update("[dim]off — press [b]v[/] to cook hands-free[/]")
            return
        from cli.tui.voice import VoiceController

        controller = VoiceController(self)
        problem = controller.unavailable_reason()
        if problem is not None:
            self.notify(problem, title="Voice unavailable", severity="warning", timeout=10)
            self.query_one("#voice-status", Static).update(f"[$warning]unavailable[/]\n[dim]{problem}[/]")
            return
        self.voice = controller
        self.query_one("#voice-status", Static).update("[$success]● listening…[/]")
        controller.start()

    def stop_voice(self) -> None:
        controller, self.voice = self.voice, None
        if controller is not None:
            controller.stop()  # type: ignore[attr-defined]

    def on_voice_heard(self, message: VoiceHeard) -> None:
        reply = f"\n[dim]→ {message.reply}[/]" if message.reply else ""
        self.last_heard = f"heard: “{message.heard}”{reply}" if message.heard else reply.strip()
        self.query_one("#voice-status", Static).update(f"[$success]● listening[/]\n{self.last_heard}")
        self.load()

    def on_voice_stopped(self, message: VoiceStopped) -> None:
        self.voice = None
        text = "[dim]off — press [b]v[/] to cook hands-free[/]"
        if self.last_heard:
            text += f"\n{self.last_heard}"
        if message.reason:
            self.notify(message.reason, title="Voice stopped", severity="warning", timeout=8)
            text = f"[$warning]stopped[/]\n[dim]{message.reason}[/]"
        self.query_one("#voice-status", Static).update(text)

    def on_unmount(self) -> None:
        self.stop_voice()
