"""Streamed speech: short first piece for any allowed text, a WAV stream that our own decoder (and wave) reads."""

from __future__ import annotations

import io
import random
import string
import struct
import wave

import pytest

from chefmentor.errors import ValidationError
from chefmentor.voice.audio import decode_wav
from chefmentor.voice.engine import VoiceEngine
from chefmentor.voice.service import MAX_SPEAK_CHARS
from chefmentor.voice.speech_stream import (
    FIRST_PIECE_CHARS,
    PIECE_CHARS,
    open_speech_stream,
    speech_pieces,
    wav_stream_header,
)


def _random_text(rng: random.Random) -> str:
    alphabet = string.ascii_letters + string.digits + " .,;!?-/°&'" + "éß"
    words = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(rng.randint(1, 80))]
    return " ".join(words)[:MAX_SPEAK_CHARS]


def test_every_allowed_text_starts_with_a_short_piece_and_keeps_every_word() -> None:
    rng = random.Random(18)
    texts = [_random_text(rng) for _ in range(300)]
    texts += ["x" * MAX_SPEAK_CHARS, "Heat the pan. " * 70, "a,b,c " * 160, "Supercalifragilistic" * 50]
    for text in texts:
        text = text[:MAX_SPEAK_CHARS]
        if not text.strip():
            continue
        pieces = speech_pieces(text)
        assert pieces and len(pieces[0].text) <= FIRST_PIECE_CHARS, (text, pieces[0])
        assert all(0 < len(piece.text) <= PIECE_CHARS for piece in pieces)
        assert pieces[-1].pause_after
        spoken = "".join(piece.text for piece in pieces).replace(" ", "")
        assert len(spoken) >= len("".join(text.split())) * 0.9  # units spelled out, never text dropped


@pytest.mark.parametrize("text", ["", "   \n\t", "x" * (MAX_SPEAK_CHARS + 1)])
def test_empty_or_too_long_text_is_refused_before_streaming(text: str) -> None:
    with pytest.raises(ValidationError):
        speech_pieces(text)


def test_header_says_unknown_length_mono_16_bit() -> None:
    header = wav_stream_header(22050)
    assert len(header) == 44 and header[:4] == b"RIFF" and header[8:16] == b"WAVEfmt "
    assert struct.unpack("<I", header[4:8])[0] == 0xFFFFFFFF == struct.unpack("<I", header[40:44])[0]
    assert struct.unpack("<HHII", header[20:32]) == (1, 1, 22050, 44100)


@pytest.mark.slow
async def test_stream_plays_as_a_wav_and_starts_with_the_first_piece(voice_engine: VoiceEngine) -> None:
    text = "Whisk the eggs until frothy, then fold in the flour gently. Rest the batter for ten minutes."
    chunks = [chunk async for chunk in await open_speech_stream(voice_engine, text)]
    header, first, rest = chunks[0], chunks[1], b"".join(chunks[2:])
    assert header == wav_stream_header(voice_engine.tts.sample_rate)
    assert first and rest and len(first) < len(rest)  # the first phrase arrives on its own, before the rest
    data = b"".join(chunks)
    with wave.open(io.BytesIO(data)) as reader:
        assert (reader.getnchannels(), reader.getsampwidth()) == (1, 2)
        assert len(reader.readframes(10**9)) == len(data) - 44
    seconds = decode_wav(data).shape[0] / 16000
    assert 3.0 < seconds < 15.0
