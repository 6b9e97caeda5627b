"""What `chefmentor cook` shows: the step panel, replies, and a `> ` prompt that always comes after them."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chefmentor.voice.cook_loop import Heard, LoopView


class CookDisplay:
    """Rich view of the step, the timers and the last exchange (Live with --voice, printed otherwise).

    Typed mode shows a `> ` prompt only once the reply and the step panel are printed, and moves any later
    output (a timer going off while the cook types) below the prompt line instead of splitting it."""

    def __init__(self, *, live: bool, quiet: bool, interactive: bool) -> None:
        from cli.output import err_console

        self.console = err_console
        self.quiet = quiet
        self.interactive = interactive and not quiet and not live
        self.live_enabled = live
        self.live: Any = None
        self.view: LoopView | None = None
        self._shown: tuple[Any, ...] = ()
        self._prompt_visible = False
        self._lock = threading.Lock()

    def __enter__(self) -> CookDisplay:
        if self.live_enabled and not self.quiet:
            from rich.live import Live

            self.live = Live(self._render(), console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)
        self._end_prompt_line()

    def show_prompt(self) -> None:
        if not self.interactive:
            return
        with self._lock:
            if not self._prompt_visible:
                self.console.file.write("> ")
                self.console.file.flush()
                self._prompt_visible = True

    def prompt_answered(self) -> None:
        """The cook pressed Enter: the terminal already moved to a new line."""
        with self._lock:
            self._prompt_visible = False

    def _end_prompt_line(self) -> None:
        with self._lock:
            if self._prompt_visible:
                self.console.file.write("\n")
                self.console.file.flush()
                self._prompt_visible = False

    def _print(self, renderable: Any) -> None:
        self._end_prompt_line()
        self.console.print(renderable, highlight=False)

    def note(self, text: str) -> None:
        if not self.quiet:
            from rich.text import Text

            self._print(Text(text, style="dim"))

    def say(self, text: str) -> None:
        if not self.quiet:
            from rich.text import Text

            line = Text("ChefMentor: ", style="bold cyan")
            line.append(text)
            self._print(line)

    def update(self, view: LoopView) -> None:
        self.view = view
        if self.quiet:
            return
        if self.live is not None:
            self.live.update(self._render())
            return
        key = (view.step_number, view.paused, tuple((n, s) for n, _, s in view.timers), view.finished)
        if key != self._shown:
            self._shown = key
            self._print(self._render())

    def _render(self) -> Any:
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        view = self.view
        if view is None:
            return Text("Starting…", style="dim")
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        grid.add_row("Step", Text(f"{view.step_number}/{view.total_steps}  {view.instruction}"))
        if view.expected_state:
            grid.add_row("Look for", Text(view.expected_state, style="green"))
        for name, remaining, status in view.timers:
            minutes, seconds = divmod(int(remaining), 60)
            grid.add_row(
                "Timer", Text(f"{name}  {minutes:02d}:{seconds:02d}" + (" (paused)" if status == "paused" else ""))
            )
        if view.heard:
            grid.add_row("Heard", Text(f"“{view.heard}” → {view.intent}", style="italic"))
        if self.live is not None and view.reply:
            grid.add_row("Said", Text(view.reply))
        # A Text title: "[paused]" (or a recipe name with brackets) is shown as written, not read as markup.
        title = Text(view.recipe_name + ("  [paused]" if view.paused else ""))
        return Panel(grid, title=title, border_style="yellow" if view.paused else "cyan")


class PromptingEar:
    """Wraps the keyboard or voice ear so the `> ` prompt shows when listening starts, after the reply.
    (Finishing before the last step is asked back by the assistant itself, for voice and keyboard alike.)"""

    def __init__(self, inner: Any, display: CookDisplay) -> None:
        self.inner = inner
        self.display = display

    def listen(self, timeout: float) -> Heard | None:
        self.display.show_prompt()
        heard: Heard | None = self.inner.listen(timeout)
        if heard is not None:
            self.display.prompt_answered()
        return heard

    def close(self) -> None:
        self.inner.close()
