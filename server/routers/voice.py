"""Local speech models for the mobile app: transcribe, speak, and one-shot voice commands on a session.

Model calls run in the voice engine's thread pool, so a 300 ms transcription never blocks the event loop.
Every route needs an actor (user or demo): the models are the most CPU-hungry thing this server runs.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, UploadFile
from fastapi.responses import Response
from pydantic import Field

from chefmentor.schemas import CamelModel, StrictCamelModel
from chefmentor.voice import service
from server.deps import ActorDep, CtxDep
from server.errors import AUTH_ERROR_RESPONSES, error_responses

router = APIRouter(prefix="/api/voice", tags=["voice"])

RATE_LIMIT = "analyze"
UPLOAD_PATHS = ("/api/voice/transcribe", "/api/voice/command")

VOICE_ERRORS = {**AUTH_ERROR_RESPONSES, **error_responses(413, 422, 503)}
WAV = {"content": {"audio/wav": {"schema": {"type": "string", "format": "binary"}}}}


class TranscriptRead(CamelModel):
    text: str
    latency_ms: float


class SpeakRequest(StrictCamelModel):
    text: str = Field(min_length=1, max_length=service.MAX_SPEAK_CHARS)


class VoiceCommandRead(CamelModel):
    text: str
    intent: str
    slots: dict[str, object]
    reply: str
    finished: bool
    audio_url: str | None = None
    latency_ms: float | None = None


async def _read_limited(upload: UploadFile) -> bytes:
    try:
        data = await upload.read(service.MAX_AUDIO_BYTES + 1)
    finally:
        await upload.close()
    return data


@router.post("/transcribe", response_model=TranscriptRead, responses=VOICE_ERRORS)
async def transcribe_audio(
    ctx: CtxDep,
    _actor: ActorDep,
    file: Annotated[UploadFile, File(description="A WAV recording (other formats are decoded with PyAV), max 5 MB")],
) -> TranscriptRead:
    """Speech to text with the local Whisper model."""
    heard = await service.transcribe_audio(ctx.voice, data=await _read_limited(file))
    return TranscriptRead(text=heard.text, latency_ms=round(heard.latency_ms, 1))


@router.post("/speak", response_class=Response, responses={200: WAV, **VOICE_ERRORS}, summary="Text to speech (WAV)")
async def speak_text(body: SpeakRequest, ctx: CtxDep, _actor: ActorDep) -> Response:
    """Text to a WAV in the local Piper voice."""
    audio = await service.speak_text(ctx.voice, text=body.text)
    return Response(audio, media_type="audio/wav")


@router.post("/command", response_model=VoiceCommandRead, responses={**VOICE_ERRORS, **error_responses(404, 409)})
async def run_voice_command(
    request: Request,
    ctx: CtxDep,
    actor: ActorDep,
    file: Annotated[UploadFile | None, File(description="The spoken command (WAV)")] = None,
    text: Annotated[str | None, Form(max_length=service.MAX_COMMAND_CHARS)] = None,
    session_id: Annotated[uuid.UUID | None, Form(alias="sessionId")] = None,
    speak: Annotated[bool, Form()] = True,
) -> VoiceCommandRead:
    """Understand a spoken or typed command and, with a `sessionId`, act on that cooking session through the
    cooking service (step events and timers are recorded); returns the intent, the reply and its audio URL."""
    audio = await _read_limited(file) if file is not None else None
    result = await service.run_voice_command(
        ctx, actor=actor, audio=audio, text=text, session_id=session_id, speak=speak
    )
    url = str(request.url_for("get_reply_audio", audio_id=result.audio_id)) if result.audio_id else None
    return VoiceCommandRead.model_validate(result.to_json(url))


@router.get("/audio/{audio_id}", response_class=Response, responses={200: WAV, **error_responses(404)})
async def get_reply_audio(
    ctx: CtxDep, audio_id: Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
) -> Response:
    """The WAV of a recent command reply (kept 10 minutes; the unguessable id is the capability)."""
    audio = await service.get_reply_audio(ctx.cache, audio_id=audio_id)
    return Response(audio, media_type="audio/wav", headers={"Cache-Control": "private, max-age=600"})
