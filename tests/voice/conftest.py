"""Voice fixtures: one engine per test session (models load once) and Piper-synthesized commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from chefmentor.config import Settings
from chefmentor.voice.audio import STT_SAMPLE_RATE, resample
from chefmentor.voice.engine import VoiceEngine


@pytest.fixture(scope="session")
def voice_engine(tmp_path_factory: pytest.TempPathFactory) -> VoiceEngine:
    from tests.conftest import make_settings

    home = tmp_path_factory.mktemp("voice")
    settings: Settings = make_settings(home, f"sqlite+aiosqlite:///{home / 'unused.db'}")
    return VoiceEngine(settings)


@pytest.fixture(scope="session")
def speak(voice_engine: VoiceEngine) -> Callable[[str], Any]:
    """Text -> 16 kHz float32 speech from the bundled Piper voice (cached per phrase).

    Reproducible: with Piper's random variation the same test heard different audio on each run.
    """
    cache: dict[str, Any] = {}

    def synthesize(text: str) -> Any:
        if text not in cache:
            tts = voice_engine.tts
            speech = tts.synthesize(text, reproducible=True)
            cache[text] = resample(speech, tts.sample_rate, STT_SAMPLE_RATE).astype(np.float32)
        return cache[text]

    return synthesize
