"""Local speech models for the mobile app: transcribe, speak, and one-shot voice commands on a session.

Model calls run in the voice engine's thread pool, so a 300 ms transcription never blocks the event loop.
Every route needs an actor (user or demo): the models are the most CPU-hungry thing this server runs.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, File, Form, Path, Request, UploadFile
from fastapi.responses import Response, StreamingResponse

from chefmentor.voice import service
from chefmentor.voice.schemas import SpeakRequest, TranscriptRead, VoiceCommandRead
from chefmentor.voice.speech_stream import open_speech_stream
from server import side_effects
from server.deps import ActorDep, CtxDep
from server.openapi import binary_response, upload_encoding
from server.openapi_errors import errors

router = APIRouter(prefix="/api/voice", tags=["voice"])

RATE_LIMIT = "analyze"
UPLOAD_PATHS = ("/api/voice/transcribe", "/api/voice/command")

VOICE_ERRORS = errors("VOICE_UNAVAILABLE")
SPEECH_STREAM = (
    "A WAV stream (mono 16-bit PCM; Transfer-Encoding: chunked): the header comes at once with its sizes set "
    "to 0xFFFFFFFF (unknown length, as streaming players expect), then the speech piece by piece, the first "
    "piece a few words long, so playback can start long before the whole text is spoken. Read to the end of "
    "the stream for the full audio."
)


async def _read_limited(upload: UploadFile) -> bytes:
    try:
        data = await upload.read(service.MAX_AUDIO_BYTES + 1)
    finally:
        await upload.close()
    return data


@router.post(
    "/transcribe",
    operation_id="voice_transcribe",
    response_model=TranscriptRead,
    responses=errors("VOICE_UNAVAILABLE", "INVALID_MEDIA"),
    openapi_extra=upload_encoding(file=["audio/wav", "audio/*"]),
)
async def transcribe_audio(
    ctx: CtxDep,
    _actor: ActorDep,
    file: Annotated[UploadFile, File(description="A WAV recording (other formats are decoded with PyAV), max 5 MB")],
) -> TranscriptRead:
    """Speech to text with the local Whisper model."""
    heard = await service.transcribe_audio(ctx.voice, data=await _read_limited(file))
    return TranscriptRead(text=heard.text, latency_ms=round(heard.latency_ms, 1))


@router.post(
    "/speak",
    operation_id="voice_speak",
    response_class=StreamingResponse,
    responses={**binary_response(SPEECH_STREAM, "audio/wav"), **VOICE_ERRORS},
    summary="Text to speech, streamed (WAV)",
)
async def speak_text(body: SpeakRequest, ctx: CtxDep, _actor: ActorDep) -> StreamingResponse:
    """Text to speech in the local Piper voice, streamed as it is made: the first audio follows a few words."""
    stream = await open_speech_stream(ctx.voice, body.text)
    return StreamingResponse(stream, media_type="audio/wav", headers={"Cache-Control": "no-store"})


@router.post(
    "/command",
    operation_id="voice_command",
    response_model=VoiceCommandRead,
    responses=errors("VOICE_UNAVAILABLE", "INVALID_MEDIA", "NOT_FOUND", "CONFLICT"),
    openapi_extra=upload_encoding(file=["audio/wav", "audio/*"]),
)
async def run_voice_command(
    request: Request,
    background: BackgroundTasks,
    ctx: CtxDep,
    actor: ActorDep,
    file: Annotated[UploadFile | None, File(description="The spoken command (WAV); or send `text`")] = None,
    text: Annotated[
        str | None, Form(max_length=service.MAX_COMMAND_CHARS, examples=["set a timer for ten minutes"])
    ] = None,
    session_id: Annotated[
        uuid.UUID | None, Form(alias="sessionId", description="The cooking session to act on")
    ] = None,
    speak: Annotated[bool, Form(description="Also make the spoken reply (audioUrl)")] = True,
) -> VoiceCommandRead:
    """Understand a spoken or typed command and, with a `sessionId`, act on that cooking session through the
    cooking service (step events and timers are recorded); returns the intent, the reply and its audio URL."""
    audio = await _read_limited(file) if file is not None else None
    result = await service.run_voice_command(
        ctx, actor=actor, audio=audio, text=text, session_id=session_id, speak=speak
    )
    url = str(request.url_for("get_reply_audio", audio_id=result.audio_id)) if result.audio_id else None
    read = VoiceCommandRead.model_validate(result.to_json(url))
    side_effects.voice_command_run(background, ctx, actor, str(getattr(read.intent, "value", read.intent)))
    return read


@router.get(
    "/audio/{audio_id}",
    operation_id="voice_audio_get",
    response_class=Response,
    responses={**binary_response("The reply as a WAV", "audio/wav"), **errors("NOT_FOUND")},
)
async def get_reply_audio(
    ctx: CtxDep, audio_id: Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
) -> Response:
    """The WAV of a recent command reply (kept 10 minutes; the unguessable id is the capability)."""
    audio = await service.get_reply_audio(ctx.cache, audio_id=audio_id)
    return Response(audio, media_type="audio/wav", headers={"Cache-Control": "private, max-age=600"})
