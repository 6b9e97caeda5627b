"""VoiceEngine: the AppContext `voice` slot. Models load lazily, once per process, and are shared."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from chefmentor.config import Settings
from chefmentor.voice.audio import Samples, decode_wav, microphone_status
from chefmentor.voice.intents import Intent, ParseContext, understand
from chefmentor.voice.stt import SpeechToText, Transcript, default_stt_model_path
from chefmentor.voice.tts import SpeechChunk, TextToSpeech, default_tts_voice_path
from chefmentor.voice.vad import Endpointer, StreamingVad, load_vad_session

if TYPE_CHECKING:
    from chefmentor.voice.llm import LlmAnswerer

T = TypeVar("T")

# Loaded models are read-only and expensive (~0.4 s, ~150 MB): every context in the process shares them,
# keyed by what was loaded, so a test suite or a server with several contexts loads each once.
_MODELS: dict[tuple[Any, ...], Any] = {}
_MODELS_LOCK = threading.Lock()
_UNSET = object()


def _shared(key: tuple[Any, ...], build: Callable[[], T]) -> T:
    with _MODELS_LOCK:
        if key not in _MODELS:
            _MODELS[key] = build()
        model: T = _MODELS[key]
        return model


class VoiceEngine:
    """STT, TTS and VAD behind one object; blocking calls have `a`-prefixed async twins for servers."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.voice = settings.voice
        # Model calls are CPU-bound and already multi-threaded inside; one worker keeps them from
        # fighting over the 2 cores and keeps the event loop free.
        self._executor: ThreadPoolExecutor | None = None
        self._answerer: Any = _UNSET

    @property
    def stt_model_path(self) -> Path:
        return self.voice.stt_model_path or default_stt_model_path()

    @property
    def tts_voice_path(self) -> Path:
        return self.voice.tts_voice_path or default_tts_voice_path()

    @property
    def stt(self) -> SpeechToText:
        path = self.stt_model_path
        key = ("stt", str(path), self.voice.stt_compute_type, self.voice.stt_threads)
        return _shared(
            key,
            lambda: SpeechToText(path, compute_type=self.voice.stt_compute_type, threads=self.voice.stt_threads),
        )

    @property
    def tts(self) -> TextToSpeech:
        path = self.tts_voice_path
        threads = self.voice.stt_threads
        return _shared(("tts", str(path), threads), lambda: TextToSpeech(path, threads=threads))

    @property
    def answerer(self) -> LlmAnswerer | None:
        """The optional LLM for free questions (Groq when configured and not offline)."""
        if self._answerer is _UNSET:
            from chefmentor.voice.llm import build_answerer

            self._answerer = build_answerer(self.settings)
        answerer: LlmAnswerer | None = self._answerer
        return answerer

    def new_endpointer(self, *, speculate_ms: int | None = None) -> Endpointer:
        session = _shared(("vad",), load_vad_session)
        silence_ms = self.voice.silence_ms
        return Endpointer(
            StreamingVad(session),
            silence_ms=silence_ms,
            # Speculating early costs only wasted STT runs on mid-sentence pauses; it saves ~0.1 s a reply.
            speculate_ms=speculate_ms if speculate_ms is not None else max(64, silence_ms // 5),
        )

    def warm_up(self) -> dict[str, float]:
        """Load every model and run each once (first inference allocates buffers); returns seconds."""
        import numpy as np

        timings: dict[str, float] = {}
        started = time.perf_counter()
        stt = self.stt
        timings["sttLoad"] = stt.load_seconds
        tts = self.tts
        timings["ttsLoad"] = tts.load_seconds
        self.new_endpointer()
        warm = time.perf_counter()
        stt.transcribe(np.zeros(16000, dtype=np.float32), vad_filter=False)
        list(tts.stream("Ready."))
        timings["warmUp"] = time.perf_counter() - warm
        timings["total"] = time.perf_counter() - started
        return timings

    def transcribe(self, audio: Samples, *, hints: Iterable[str] = (), vad_filter: bool = True) -> Transcript:
        return self.stt.transcribe(audio, hints=hints, vad_filter=vad_filter)

    def transcribe_wav(self, data: bytes, *, hints: Iterable[str] = ()) -> Transcript:
        return self.transcribe(decode_wav(data), hints=hints)

    def understand(self, text: str, context: ParseContext | None = None) -> Intent:
        return understand(text, context)

    def speak_stream(self, text: str) -> Iterator[SpeechChunk]:
        return self.tts.stream(text)

    def speak_wav(self, text: str) -> bytes:
        return self.tts.synthesize_wav(text)

    async def run(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a model call in the voice thread pool so the event loop never blocks on inference."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chefmentor-voice")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: call(*args, **kwargs))

    async def atranscribe_wav(self, data: bytes, *, hints: Iterable[str] = ()) -> Transcript:
        return await self.run(self.transcribe_wav, data, hints=hints)

    async def aspeak_wav(self, text: str) -> bytes:
        return await self.run(self.speak_wav, text)

    def status(self) -> list[tuple[str, bool, str]]:
        """(check, ok, line) rows for `chefmentor doctor`, without loading any model."""
        rows: list[tuple[str, bool, str]] = []
        checks: tuple[tuple[str, Callable[[], Path], str | None], ...] = (
            ("speech model", lambda: self.stt_model_path, "model.bin"),
            ("piper voice", lambda: self.tts_voice_path, None),
        )
        for label, resolve, needed in checks:
            try:
                path = resolve()
                ok = (path / needed).is_file() if needed else path.is_file()
                rows.append((label, ok, str(path) if ok else f"missing: {path}"))
            except Exception as exc:
                rows.append((label, False, str(exc)))
        mic_ok, line = microphone_status()
        rows.append(("microphone", mic_ok, line))
        return rows

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
