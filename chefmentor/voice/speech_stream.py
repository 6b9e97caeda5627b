"""Speech as a stream for phones: a WAV whose first audio arrives after one short phrase, not the whole text.

POST /api/voice/speak used to synthesise up to 1,000 characters before answering (15 s of silence on a phone
with a 10 s timeout). Here the text is cut into pieces, the first one a few words long, and each piece is sent
as 16-bit PCM as soon as Piper has made it. The WAV header comes first with its sizes set to the "unknown
length" value that streaming players accept (0xFFFFFFFF), since the total length is not known up front.
"""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from chefmentor.errors import ValidationError
from chefmentor.voice.audio import Samples
from chefmentor.voice.service import MAX_SPEAK_CHARS
from chefmentor.voice.tts import speakable, split_sentences

if TYPE_CHECKING:
    from chefmentor.voice.engine import VoiceEngine
    from chefmentor.voice.tts import TextToSpeech

UNKNOWN_SIZE = 0xFFFFFFFF
BITS_PER_SAMPLE = 16
# The first piece decides when the phone hears something: a few words. Later pieces are made faster than
# they play, so they can be whole sentences (bounded, so one piece never holds the rest back for long).
FIRST_PIECE_CHARS = 24
FIRST_PIECE_WORDS = 3
PIECE_CHARS = 120
SENTENCE_PAUSE_SECONDS = 0.12


@dataclass(frozen=True, slots=True)
class SpeechPiece:
    text: str
    pause_after: bool  # a sentence ends here: a short silence follows, as in TextToSpeech.synthesize


def wav_stream_header(sample_rate: int) -> bytes:
    """A mono 16-bit PCM WAV header whose RIFF and data sizes say "unknown" (the stream's end is its end)."""
    byte_rate = sample_rate * BITS_PER_SAMPLE // 8
    return (
        b"RIFF"
        + struct.pack("<I", UNKNOWN_SIZE)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, sample_rate, byte_rate, BITS_PER_SAMPLE // 8, BITS_PER_SAMPLE)
        + b"data"
        + struct.pack("<I", UNKNOWN_SIZE)
    )


def _cut(text: str, max_chars: int, max_words: int | None = None) -> tuple[str, str]:
    """The head of `text` up to max_chars (and max_words), cut between words; a longer word is cut inside."""
    words = text.split()
    if not words:
        return "", ""
    if len(words[0]) > max_chars:
        return words[0][:max_chars], " ".join([words[0][max_chars:], *words[1:]])
    head = [words[0]]
    for word in words[1:]:
        if len(" ".join([*head, word])) > max_chars or (max_words is not None and len(head) >= max_words):
            break
        head.append(word)
    return " ".join(head), " ".join(words[len(head) :])


def speech_pieces(text: str) -> list[SpeechPiece]:
    """The text as spoken pieces: a short first one, then sentences cut to at most PIECE_CHARS characters.

    Raises ValidationError for empty or over-long text, before anything is streamed."""
    clean = " ".join(text.split())
    if not clean:
        raise ValidationError("Nothing to say")
    if len(clean) > MAX_SPEAK_CHARS:
        raise ValidationError(f"Text is limited to {MAX_SPEAK_CHARS} characters")
    pieces: list[SpeechPiece] = []
    for sentence in split_sentences(speakable(clean)):
        rest = sentence
        while rest:
            first = not pieces
            head, rest = _cut(rest, FIRST_PIECE_CHARS if first else PIECE_CHARS, FIRST_PIECE_WORDS if first else None)
            pieces.append(SpeechPiece(head, pause_after=not rest))
    return pieces


def pcm16(samples: Samples) -> bytes:
    return bytes((np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes())


def _synthesize(tts: TextToSpeech, piece: SpeechPiece) -> bytes:
    audio = b"".join(pcm16(chunk.samples) for chunk in tts.stream(piece.text))
    if piece.pause_after and audio:
        audio += bytes(2 * int(tts.sample_rate * SENTENCE_PAUSE_SECONDS))
    return audio


async def open_speech_stream(engine: VoiceEngine, text: str) -> AsyncIterator[bytes]:
    """Validate the text and load the voice now (errors become proper answers), then return the byte stream."""
    pieces = speech_pieces(text)
    tts = await engine.run(lambda: engine.tts)

    async def stream() -> AsyncIterator[bytes]:
        yield wav_stream_header(tts.sample_rate)
        for piece in pieces:
            audio = await engine.run(_synthesize, tts, piece)
            if audio:
                yield audio

    return stream()
