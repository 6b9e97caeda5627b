from __future__ import annotations

import sys
import uuid
from typing import TYPE_CHECKING, Any

import typer

from cli.runner import run, state_of

if TYPE_CHECKING:
    from chefmentor.actor import Actor
    from chefmentor.context import AppContext
    from chefmentor.cooking.schemas import CookingSessionSummary
    from cli.cook_display import CookDisplay

INTERRUPTED_EXIT = 130


def register(app: typer.Typer) -> None:
    app.command("cook")(cook)


def cook(
    ctx: typer.Context,
    recipe: str | None = typer.Argument(None, metavar="RECIPE", help="Recipe id, slug or name."),
    voice: bool = typer.Option(False, "--voice/--no-voice", help="Microphone and speaker instead of the keyboard."),
    session: str | None = typer.Option(None, "--session", help="Continue this cooking session instead."),
    resume: bool | None = typer.Option(
        None,
        "--resume/--new",
        help="Continue your unfinished session of RECIPE, or start a new one (default: ask on a terminal).",
    ),
) -> None:
    """Guided cooking in the terminal: steps read aloud (--voice) or shown, commands spoken or typed."""
    if recipe is None and session is None:
        raise typer.BadParameter("name a RECIPE or pass --session ID")
    try:
        session_id = uuid.UUID(session) if session else None
    except ValueError:
        raise typer.BadParameter("--session must be a session id (UUID)") from None
    json_mode = state_of(ctx).json
    interactive = stdin_is_terminal() and not json_mode
    opened: dict[str, Any] = {}

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.actor import Actor
        from chefmentor.voice.assistant import open_assistant
        from chefmentor.voice.cook_loop import CookLoop
        from cli.cook_display import CookDisplay, PromptingEar

        actor = Actor.local()
        display = CookDisplay(live=voice and not json_mode, quiet=json_mode, interactive=interactive)
        # Open the audio devices first: without PortAudio the command fails before starting a session.
        audio = _open_audio(app_ctx) if voice else None
        continue_id = session_id
        if continue_id is None and recipe is not None:
            continue_id = await _unfinished_session(app_ctx, actor, recipe, resume=resume, interactive=interactive)
        assistant = await _open(app_ctx, actor, recipe, continue_id, open_assistant)
        opened["sessionId"] = str(assistant.session_id)
        if audio is not None:
            ear, mouth = await _voice_io(app_ctx, audio, assistant.hints, display)
        else:
            ear, mouth = _keyboard_io(display)
        loop = CookLoop(assistant, PromptingEar(ear, display), mouth, on_update=display.update)
        with display:
            turns = await loop.run()
        return {
            "sessionId": str(assistant.session_id),
            "recipe": assistant.recipe.name,
            "finished": loop.finished,
            "currentStep": assistant.current_step,
            "turns": [{"heard": t.heard.text, **t.reply.to_json()} for t in turns],
        }

    try:
        document = run(ctx, work)
    except typer.Exit as stop:
        if stop.exit_code == INTERRUPTED_EXIT and "sessionId" in opened:
            _resume_hint(opened["sessionId"])
        raise
    if json_mode:
        from cli.output import emit_json

        emit_json(document)
    elif not document["finished"]:
        _resume_hint(document["sessionId"])


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _resume_hint(session_id: str) -> None:
    from cli.output import err_console

    err_console.print(f"Session kept open: resume it with `chefmentor cook --session {session_id}`", highlight=False)


async def _open(
    app_ctx: AppContext, actor: Actor, recipe: str | None, session_id: uuid.UUID | None, opener: Any
) -> Any:
    """Open the assistant; an unknown recipe on an empty database names `db seed` as the way out."""
    from chefmentor.errors import NotFoundError

    try:
        return await opener(app_ctx, actor=actor, recipe_ref=recipe, session_id=session_id)
    except NotFoundError as exc:
        if session_id is None and await _recipe_count(app_ctx) == 0:
            raise NotFoundError(
                f"No recipes in the database yet: run `chefmentor db seed` to load the bundled ones ({exc.message})"
            ) from exc
        raise


async def _recipe_count(app_ctx: AppContext) -> int:
    from chefmentor.recipes.service import list_recipes

    async with app_ctx.session() as db:
        return (await list_recipes(db, cache=app_ctx.cache, limit=1)).total


async def _unfinished_session(
    app_ctx: AppContext, actor: Actor, recipe: str, *, resume: bool | None, interactive: bool
) -> uuid.UUID | None:
    """The cook's newest in-progress session of this recipe, when they choose to continue it."""
    if resume is False:
        return None
    from chefmentor.cooking.models import SessionStatus
    from chefmentor.cooking.service import list_cooking_sessions
    from chefmentor.errors import NotFoundError
    from chefmentor.recipes.service import find_recipe

    async with app_ctx.session() as db:
        try:
            found = await find_recipe(db, recipe, cache=app_ctx.cache)
        except NotFoundError:
            return None  # opening the recipe reports it, with the next command to run
        page = await list_cooking_sessions(
            db, actor=actor, cache=app_ctx.cache, status=SessionStatus.IN_PROGRESS, limit=100
        )
    match = next((item for item in page.items if item.recipe_id == found.id), None)
    if match is None:
        return None
    if resume is None:
        if not interactive:
            _unfinished_hint(match)
            return None
        if not await _ask_resume(match):
            return None
    return match.id


def _describe(match: CookingSessionSummary) -> str:
    return f"{match.recipe_name} at step {match.current_step} of {match.total_steps}"


def _unfinished_hint(match: CookingSessionSummary) -> None:
    from cli.output import err_console

    err_console.print(
        f"You have an unfinished session of {_describe(match)}: this starts a new one "
        f"(continue that one with `chefmentor cook --session {match.id}` or --resume)",
        markup=False,
        highlight=False,
    )


async def _ask_resume(match: CookingSessionSummary) -> bool:
    import asyncio

    question = f"You have an unfinished session of {_describe(match)}. Continue it?"
    return await asyncio.to_thread(typer.confirm, question, default=True, err=True)


def _open_audio(app_ctx: AppContext) -> tuple[Any, Any]:
    from chefmentor.voice.audio import MicrophoneSource, SpeakerPlayer

    return MicrophoneSource(sample_rate=app_ctx.voice.voice.sample_rate), SpeakerPlayer()


async def _voice_io(app_ctx: AppContext, audio: tuple[Any, Any], hints: Any, display: CookDisplay) -> tuple[Any, Any]:
    import asyncio

    from chefmentor.voice.cook_loop import VoiceEar, VoiceMouth

    engine = app_ctx.voice
    source, player = audio
    display.note("Loading voice models…")
    await asyncio.to_thread(engine.warm_up)
    mouth = VoiceMouth(engine, player)
    return VoiceEar(engine, source, mouth=mouth, hints=hints), mouth


def _keyboard_io(display: CookDisplay) -> tuple[Any, Any]:
    from chefmentor.voice.cook_loop import KeyboardEar, TextMouth

    def read_line() -> str | None:
        line = sys.stdin.readline()
        return line if line else None

    return KeyboardEar(read_line), TextMouth(display.say)
