from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext
    from chefmentor.voice.cook_loop import LoopView


def register(app: typer.Typer) -> None:
    app.command("cook")(cook)


def cook(
    ctx: typer.Context,
    recipe: str | None = typer.Argument(None, metavar="RECIPE", help="Recipe id, slug or name."),
    voice: bool = typer.Option(False, "--voice/--no-voice", help="Microphone and speaker instead of the keyboard."),
    session: str | None = typer.Option(None, "--session", help="Continue this cooking session instead."),
) -> None:
    """Guided cooking in the terminal: steps read aloud (--voice) or shown, commands spoken or typed."""
    if recipe is None and session is None:
        raise typer.BadParameter("name a RECIPE or pass --session ID")
    try:
        session_id = uuid.UUID(session) if session else None
    except ValueError:
        raise typer.BadParameter("--session must be a session id (UUID)") from None
    json_mode = state_of(ctx).json

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.actor import Actor
        from chefmentor.voice.assistant import open_assistant
        from chefmentor.voice.cook_loop import CookLoop

        display = _Display(live=voice and not json_mode, quiet=json_mode)
        # Open the audio devices first: without PortAudio the command fails before starting a session.
        audio = _open_audio(app_ctx) if voice else None
        assistant = await open_assistant(app_ctx, actor=Actor.local(), recipe_ref=recipe, session_id=session_id)
        if audio is not None:
            ear, mouth = await _voice_io(app_ctx, audio, assistant.hints, display)
        else:
            ear, mouth = _keyboard_io(display, quiet=json_mode)
        loop = CookLoop(assistant, ear, mouth, on_update=display.update)
        with display:
            turns = await loop.run()
        return {
            "sessionId": str(assistant.session_id),
            "recipe": assistant.recipe.name,
            "finished": loop.finished,
            "currentStep": assistant.current_step,
            "turns": [{"heard": t.heard.text, **t.reply.to_json()} for t in turns],
        }

    document = run(ctx, work)
    if json_mode:
        from cli.output import emit_json

        emit_json(document)
    elif not document["finished"]:
        from cli.output import err_console

        err_console.print(f"Session kept open: chefmentor cook --session {document['sessionId']}", highlight=False)


def _open_audio(app_ctx: AppContext) -> tuple[Any, Any]:
    from chefmentor.voice.audio import MicrophoneSource, SpeakerPlayer

    return MicrophoneSource(sample_rate=app_ctx.voice.voice.sample_rate), SpeakerPlayer()


async def _voice_io(app_ctx: AppContext, audio: tuple[Any, Any], hints: Any, display: _Display) -> tuple[Any, Any]:
    import asyncio

    from chefmentor.voice.cook_loop import VoiceEar, VoiceMouth

    engine = app_ctx.voice
    source, player = audio
    display.note("Loading voice models…")
    await asyncio.to_thread(engine.warm_up)
    mouth = VoiceMouth(engine, player)
    return VoiceEar(engine, source, mouth=mouth, hints=hints), mouth


def _keyboard_io(display: _Display, *, quiet: bool) -> tuple[Any, Any]:
    import sys

    from chefmentor.voice.cook_loop import KeyboardEar, TextMouth

    def read_line() -> str | None:
        if not quiet and sys.stdin.isatty():
            sys.stderr.write("> ")
            sys.stderr.flush()
        line = sys.stdin.readline()
        return line if line else None

    return KeyboardEar(read_line), TextMouth(display.say)


class _Display:
    """Rich view of the step, the timers and the last exchange (Live with --voice, printed otherwise)."""

    def __init__(self, *, live: bool, quiet: bool) -> None:
        from cli.output import err_console

        self.console = err_console
        self.quiet = quiet
        self.live_enabled = live
        self.live: Any = None
        self.view: LoopView | None = None
        self._shown: tuple[Any, ...] = ()

    def __enter__(self) -> _Display:
        if self.live_enabled and not self.quiet:
            from rich.live import Live

            self.live = Live(self._render(), console=self.console, refresh_per_second=4, transient=False)
            self.live.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.live is not None:
            self.live.__exit__(*exc)

    def note(self, text: str) -> None:
        if not self.quiet:
            self.console.print(f"[dim]{text}[/]")

    def say(self, text: str) -> None:
        if not self.quiet:
            self.console.print(f"[bold cyan]ChefMentor:[/] {text}", highlight=False)

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
            self.console.print(self._render())

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
        title = view.recipe_name + ("  [paused]" if view.paused else "")
        return Panel(grid, title=title, border_style="yellow" if view.paused else "cyan")
