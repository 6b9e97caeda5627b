"""Streaming end-of-utterance detection with the Silero VAD model that faster-whisper ships."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from chefmentor.voice.audio import STT_SAMPLE_RATE, Samples

FRAME_SAMPLES = 512  # Silero's window at 16 kHz (32 ms)
CONTEXT_SAMPLES = 64
FRAME_MS = FRAME_SAMPLES * 1000 // STT_SAMPLE_RATE


class StreamingVad:
    """Speech probability per 32 ms frame, keeping the recurrent state between calls."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, dtype=np.float32)

    def probability(self, frame: Samples) -> float:
        window = np.concatenate([self._context, frame]).astype(np.float32)[None, :]
        prob, self._h, self._c = self._session.run(None, {"input": window, "h": self._h, "c": self._c})
        self._context = frame[-CONTEXT_SAMPLES:]
        return float(np.asarray(prob).reshape(-1)[0])


def load_vad_session() -> Any:
    """The ONNX session of faster-whisper's bundled Silero model (no download, one thread)."""
    from faster_whisper.vad import get_vad_model

    return get_vad_model().session


class Event(enum.Enum):
    NONE = "none"
    SPEECH_START = "speech_start"
    SPECULATE = "speculate"
    SPEECH_RESUMED = "speech_resumed"
    END = "end"


@dataclass
class Endpointer:
    """Turns frame probabilities into utterances: start after `min_speech_ms` of speech, end after
    `silence_ms` of silence. `speculate_ms` marks an earlier point where a transcription may start
    (and is thrown away if speech resumes), which hides most of the STT time inside the silence tail."""

    vad: StreamingVad
    silence_ms: int = 500
    speculate_ms: int = 200
    threshold: float = 0.5
    min_speech_ms: int = 96
    pre_roll_ms: int = 256
    max_utterance_ms: int = 15000
    frames: list[Samples] = field(default_factory=list)
    in_speech: bool = False
    _speech_frames: int = 0
    _silent_frames: int = 0
    _pre_roll: list[Samples] = field(default_factory=list)
    _speculated: bool = False

    @property
    def neg_threshold(self) -> float:
        return max(self.threshold - 0.15, 0.01)

    def reset(self) -> None:
        """Forget everything, including the VAD's recurrent state (a new audio stream)."""
        self.begin()
        self._pre_roll = []
        self.vad.reset()

    def begin(self) -> None:
        """Wait for the next utterance on the same stream: the VAD state and the pre-roll carry over, so
        where a listen call happens to start never changes which audio an utterance gets."""
        if self.in_speech:
            return
        self.frames = []
        self._speech_frames = 0
        self._silent_frames = 0
        self._speculated = False

    def audio(self) -> Samples:
        return np.concatenate(self.frames) if self.frames else np.zeros(0, dtype=np.float32)

    def feed(self, frame: Samples, *, threshold: float | None = None) -> Event:
        prob = self.vad.probability(frame)
        is_speech = prob >= (threshold or self.threshold)
        if not self.in_speech:
            self._pre_roll.append(frame)
            self._pre_roll = self._pre_roll[-max(1, self.pre_roll_ms // FRAME_MS) :]
            self._speech_frames = self._speech_frames + 1 if is_speech else 0
            if self._speech_frames * FRAME_MS >= self.min_speech_ms:
                self.in_speech = True
                self._silent_frames = 0
                self._speculated = False
                self.frames = list(self._pre_roll)
                self._pre_roll = []
                return Event.SPEECH_START
            return Event.NONE
        self.frames.append(frame)
        if prob < self.neg_threshold:
            self._silent_frames += 1
        elif is_speech:
            resumed = self._speculated
            self._silent_frames = 0
            self._speculated = False
            if resumed:
                return Event.SPEECH_RESUMED
        silent_ms = self._silent_frames * FRAME_MS
        if silent_ms >= self.silence_ms or len(self.frames) * FRAME_MS >= self.max_utterance_ms:
            self.in_speech = False
            self._speech_frames = 0
            return Event.END
        if not self._speculated and silent_ms >= self.speculate_ms:
            self._speculated = True
            return Event.SPECULATE
        return Event.NONE

    def end_utterance(self) -> None:
        """The caller decided the utterance is over before `silence_ms` (an early, confident commit)."""
        self.in_speech = False
        self._speech_frames = 0

    def trailing_silence_frames(self) -> int:
        return self._silent_frames
