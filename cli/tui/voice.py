"""Voice toggle of the Cook screen: runs the voice cook loop (mic → intent → cooking service → speech).

The loop lives in chefmentor.voice; this only builds its ear and mouth, runs it in a worker, and turns
what it heard and answered into messages for the screen. Tests inject an ear/mouth factory on the app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from chefmentor.errors import ChefMentorError
from cli.tui.messages import SessionEnded, VoiceHeard, VoiceStopped

if TYPE_CHECKING:
    from textual.worker import Worker

    from chefmentor.voice.cook_loop import Ear, LoopView, Mouth
    from cli.tui.screens.cook import CookScreen

# hints callable -> (ear, mouth); without a factory the microphone and speaker are used.
EarMouthFactory = Callable[[Callable[[], list[str]]], "tuple[Ear, Mouth]"]


class VoiceController:
    def __init__(self, screen: CookScreen) -> None:
        self.screen = screen
        self.worker: Worker[None] | None = None
        self.factory: EarMouthFactory | None = getattr(screen.app, "voice_factory", None)
        self.last_said: tuple[str, str] = ("", "")

    def unavailable_reason(self) -> str | None:
        """Why the microphone path cannot run here (None when it can): models and microphone, no loading."""
        if self.factory is not None:
            return None
        try:
            rows = self.screen.gateway.ctx.voice.status()
        except Exception as exc:  # the voice extras are missing or broken: cooking by keyboard still works
            return f"Voice support cannot start: {type(exc).__name__}: {exc}"
        problems = [line if label == "microphone" else f"{label} {line}" for label, ok, line in rows if not ok]
        if problems:
            return "; ".join(problems) + ". Cooking by keyboard still works."
        return None

    def start(self) -> None:
        self.worker = self.screen.run_worker(self._run(), group="voice", exclusive=True, exit_on_error=False)

    def stop(self) -> None:
        if self.worker is not None and not self.worker.is_finished:
            self.worker.cancel()
        self.worker = None

    def _relay(self, view: LoopView) -> None:
        said = (view.heard, view.reply)
        if (view.heard or view.reply) and said != self.last_said:
            self.last_said = said
            self.screen.post_message(VoiceHeard(view.heard, view.reply or None))

    def _ear_and_mouth(self, hints: Callable[[], list[str]]) -> tuple[Ear, Mouth]:
        if self.factory is not None:
            return self.factory(hints)
        from chefmentor.voice.audio import MicrophoneSource, SpeakerPlayer
        from chefmentor.voice.cook_loop import VoiceEar, VoiceMouth

        engine = self.screen.gateway.ctx.voice
        mouth = VoiceMouth(engine, SpeakerPlayer())
        ear = VoiceEar(engine, MicrophoneSource(), mouth=mouth, hints=hints)
        return ear, mouth

    async def _run(self) -> None:
        from chefmentor.voice.assistant import open_assistant
        from chefmentor.voice.cook_loop import CookLoop

        gateway = self.screen.gateway
        screen = self.screen
        reason: str | None = None
        try:
            assistant = await open_assistant(gateway.ctx, actor=gateway.actor, session_id=screen.session_id)
            ear, mouth = await _in_thread(self._ear_and_mouth, assistant.hints)
            loop = CookLoop(assistant, ear, mouth, on_update=self._relay)
            await loop.run()
            if loop.finished:
                screen.post_message(SessionEnded("completed", assistant.recipe.name))
                return
        except ChefMentorError as exc:
            reason = exc.message
        except Exception as exc:  # a broken device or model must not take the cooking screen down
            reason = f"{type(exc).__name__}: {exc}"
        screen.post_message(VoiceStopped(reason))


async def _in_thread(func: Callable[..., Any], *args: Any) -> Any:
    import asyncio

    # Loading the speech models takes a while: keep the interface responsive meanwhile.
    return await asyncio.to_thread(func, *args)
