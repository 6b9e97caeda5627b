"""Voice over HTTP: transcribe uploads, speak text, and run one spoken/typed command on a session."""

from __future__ import annotations

import re
import secrets
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chefmentor.errors import NotFoundError, ValidationError
from chefmentor.voice.assistant import HELP_TEXT, open_assistant
from chefmentor.voice.intents import Intent, understand
from chefmentor.voice.knowledge import answer_question

if TYPE_CHECKING:
    from chefmentor.actor import Actor
    from chefmentor.cache import Cache
    from chefmentor.context import AppContext
    from chefmentor.voice.engine import VoiceEngine
    from chefmentor.voice.stt import Transcript

MAX_AUDIO_BYTES = 5 * 1024 * 1024
MAX_SPEAK_CHARS = 1000
MAX_COMMAND_CHARS = 500
REPLY_AUDIO_TTL_SECONDS = 600
_AUDIO_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_NEEDS_SESSION = frozenset(
    {"next_step", "previous_step", "repeat_step", "goto_step", "list_ingredients", "expected_state"}
    | {"set_timer", "check_timer", "cancel_timer", "pause", "resume", "finish"}
)


def _check_audio(data: bytes) -> None:
    if not data:
        raise ValidationError("The audio file is empty")
    if len(data) > MAX_AUDIO_BYTES:
        from chefmentor.errors import PayloadTooLargeError

        raise PayloadTooLargeError(f"Audio is limited to {MAX_AUDIO_BYTES // (1024 * 1024)} MB")


async def transcribe_audio(engine: VoiceEngine, *, data: bytes, hints: list[str] | None = None) -> Transcript:
    """Text of an uploaded recording (WAV, or any format PyAV decodes), off the event loop."""
    _check_audio(data)
    return await engine.atranscribe_wav(data, hints=hints or [])


async def speak_text(engine: VoiceEngine, *, text: str) -> bytes:
    """A WAV of the text in the local Piper voice; at most 1000 characters per request."""
    clean = " ".join(text.split())
    if not clean:
        raise ValidationError("Nothing to say")
    if len(clean) > MAX_SPEAK_CHARS:
        raise ValidationError(f"Text is limited to {MAX_SPEAK_CHARS} characters")
    return await engine.aspeak_wav(clean)


@dataclass
class VoiceCommandResult:
    text: str
    latency_ms: float | None
    intent: Intent
    reply: str
    finished: bool
    audio_id: str | None

    def to_json(self, audio_url: str | None) -> dict[str, Any]:
        document: dict[str, Any] = {**self.intent.to_json(), "text": self.text, "reply": self.reply}
        document["finished"] = self.finished
        document["audioUrl"] = audio_url
        if self.latency_ms is not None:
            document["latencyMs"] = round(self.latency_ms, 1)
        return document


async def run_voice_command(
    ctx: AppContext,
    *,
    actor: Actor,
    audio: bytes | None = None,
    text: str | None = None,
    session_id: uuid.UUID | None = None,
    speak: bool = True,
) -> VoiceCommandResult:
    """Understand one command (recording or text) and, with a session the actor owns, act on it through
    the cooking service; the spoken reply is kept for 10 minutes under an unguessable id."""
    if audio is None and not (text and text.strip()):
        raise ValidationError("Send a recording (file) or the command text")
    if text is not None and len(text) > MAX_COMMAND_CHARS:
        raise ValidationError(f"Command text is limited to {MAX_COMMAND_CHARS} characters")
    engine: VoiceEngine = ctx.voice
    assistant = await open_assistant(ctx, actor=actor, session_id=session_id) if session_id else None
    latency: float | None = None
    if audio is not None:
        heard = await transcribe_audio(engine, data=audio, hints=assistant.hints() if assistant else None)
        said, latency = heard.text, heard.latency_ms
    else:
        said = (text or "").strip()
    if assistant is not None:
        intent = understand(said, assistant.parse_context())
        outcome = await assistant.handle(intent)
        reply, finished = outcome.text, outcome.finished
    else:
        intent = understand(said)
        reply, finished = _sessionless_reply(intent), False
    audio_id = None
    if speak and reply:
        audio_id = secrets.token_urlsafe(18)
        await ctx.cache.set(_audio_key(audio_id), await engine.aspeak_wav(reply), REPLY_AUDIO_TTL_SECONDS)
    return VoiceCommandResult(said, latency, intent, reply, finished, audio_id)


def _sessionless_reply(intent: Intent) -> str:
    if intent.name == "help":
        return HELP_TEXT
    if intent.name in _NEEDS_SESSION:
        return "Start cooking a recipe first, then send its sessionId with the command."
    if not intent.text.strip():
        return "I didn't catch that."
    return answer_question(str(intent.slots.get("question") or intent.text), None, None)


def _audio_key(audio_id: str) -> str:
    return f"voice:reply:{audio_id}"


async def get_reply_audio(cache: Cache, *, audio_id: str) -> bytes:
    """The WAV of a recent command reply; unknown or expired ids are NOT_FOUND."""
    if not _AUDIO_ID.fullmatch(audio_id):
        raise NotFoundError("No such reply audio")
    data = await cache.get(_audio_key(audio_id))
    if data is None:
        raise NotFoundError("Reply audio expired or unknown: send the command again")
    return data
