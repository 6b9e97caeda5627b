"""The real microphone loop as a program: default input device -> VAD -> STT -> intent -> cooking service ->
TTS -> default output device. The virtual-device test runs it in a subprocess (PortAudio then starts inside
the test's PulseAudio) and follows it through the JSON lines it prints:
{"event": "idle"} when the assistant has stopped talking, {"event": "turn", ...} for each command handled,
{"event": "done", ...} at the end.

    python -m tests.voice.mic_loop_driver HOME RECIPE
"""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def emit(event: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **fields}) + "\n")
    sys.stdout.flush()


def watch_idle(idle: threading.Event, stop: threading.Event) -> None:
    """Reports each time the assistant stops talking (a busy -> idle transition)."""
    was_idle = True
    while not stop.is_set():
        now_idle = idle.is_set()
        if now_idle and not was_idle:
            emit("idle")
        was_idle = now_idle
        stop.wait(0.02)


async def main(home: Path, recipe: str) -> None:
    from chefmentor.actor import Actor
    from chefmentor.config import load_settings
    from chefmentor.context import open_context
    from chefmentor.db import migrate
    from chefmentor.db.engine import create_engine
    from chefmentor.recipes.seed import seed_recipes
    from chefmentor.voice.assistant import open_assistant
    from chefmentor.voice.audio import MicrophoneSource, SpeakerPlayer, microphone_status
    from chefmentor.voice.cook_loop import CookLoop, VoiceEar, VoiceMouth

    settings = load_settings(env="test", home=home, auth={"jwt_secret": "driver-" + "v" * 40})
    engine = create_engine(settings)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    async with open_context(settings) as ctx:
        async with ctx.session() as db:
            await seed_recipes(db, ROOT / "fixtures" / "recipes", cache=ctx.cache)
        ctx.voice.warm_up()
        ok, device = microphone_status()
        assistant = await open_assistant(ctx, actor=Actor.local(), recipe_ref=recipe)
        emit("start", sessionId=str(assistant.session_id), microphone=device, microphoneOk=ok)
        player = SpeakerPlayer()
        mouth = VoiceMouth(ctx.voice, player)
        ear = VoiceEar(ctx.voice, MicrophoneSource(), mouth=mouth, hints=assistant.hints)
        loop = CookLoop(assistant, ear, mouth, poll_seconds=0.3)
        stop = threading.Event()
        threading.Thread(target=watch_idle, args=(mouth.idle, stop), daemon=True).start()
        respond = loop.respond

        async def respond_and_report(heard: Any) -> Any:
            turn = await respond(heard)
            if turn is not None:
                emit("turn", heard=heard.text, intent=turn.intent.name, slots=turn.intent.slots, reply=turn.reply.text)
            return turn

        loop.respond = respond_and_report  # type: ignore[method-assign]
        turns = await loop.run()
        stop.set()
        emit(
            "done",
            finished=loop.finished,
            turns=len(turns),
            spokenReplies=sum(1 for s in mouth.spoken if s.first_chunk_at is not None),
        )


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), sys.argv[2]))
