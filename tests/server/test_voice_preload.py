from __future__ import annotations

import asyncio
import functools

from chefmentor.config import Settings
from chefmentor.context import open_context
from server.app import create_app


class RecordingVoice:
    def __init__(self) -> None:
        self.warmed = 0

    def warm_up(self) -> dict[str, float]:
        self.warmed += 1
        return {"total": 0.0}


async def _run_lifespan(settings: Settings, voice: RecordingVoice) -> None:
    app = create_app(settings, context_factory=functools.partial(open_context, voice=voice))
    async with app.router.lifespan_context(app):
        for _ in range(100):
            if voice.warmed:
                break
            await asyncio.sleep(0.01)


async def test_server_start_warms_voice_models_in_background(settings: Settings) -> None:
    voice = RecordingVoice()
    await _run_lifespan(
        settings.model_copy(update={"voice": settings.voice.model_copy(update={"preload": True})}), voice
    )
    assert voice.warmed == 1


async def test_preload_off_leaves_models_unloaded(settings: Settings) -> None:
    voice = RecordingVoice()
    await _run_lifespan(settings, voice)
    assert voice.warmed == 0
