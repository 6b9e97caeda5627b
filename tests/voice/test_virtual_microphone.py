"""The real microphone path end to end on a virtual audio device: a private PulseAudio server, WAV commands
played into its virtual microphone, PortAudio capture (sounddevice), VAD, Whisper, intent, the cooking
service on SQLite, Piper, and the reply played on its virtual speaker."""

from __future__ import annotations

import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from chefmentor.voice.audio import encode_wav, read_wav
from tests.voice.virtual_audio import VirtualAudio, missing_tools

ROOT = Path(__file__).resolve().parents[2]
RECIPE = "Perfect Stovetop Rice"
COMMANDS = [
    ("okay, what's next?", "next_step"),
    ("set a rice timer for two minutes", "set_timer"),
    ("I'm finished cooking", "finish"),
    ("yes", "finish"),
]
EVENT_TIMEOUT = 90.0

pytestmark = pytest.mark.slow


class Driver:
    """The loop program in a subprocess; its JSON-line events arrive on a queue."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        clean = {k: v for k, v in env.items() if not k.startswith("CHEFMENTOR_")}
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "tests.voice.mic_loop_driver", str(home), RECIPE],
            cwd=ROOT,
            env={**clean, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=(home / "driver.log").open("w"),
            text=True,
        )
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                self.events.put(json.loads(line))
        self.events.put({"event": "exit"})

    def wait_for(self, name: str) -> dict[str, Any]:
        while True:
            event = self.events.get(timeout=EVENT_TIMEOUT)
            if event["event"] == name:
                return event
            assert event["event"] != "exit", f"driver exited while waiting for {name!r}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def test_spoken_commands_through_a_virtual_microphone(tmp_path: Path, voice_engine: Any) -> None:
    missing = missing_tools()
    if missing:
        pytest.skip("needs scripts/system-deps.sh: missing " + ", ".join(missing))
    tts = voice_engine.tts
    wavs = []
    for index, (text, _intent) in enumerate(COMMANDS):
        path = tmp_path / f"command-{index}.wav"
        path.write_bytes(encode_wav(tts.synthesize(text, reproducible=True), tts.sample_rate))
        wavs.append(path)
    home = tmp_path / "home"
    home.mkdir()
    audio = VirtualAudio(tmp_path / "pulse")
    audio.start()
    driver: Driver | None = None
    try:
        audio.record_speaker(tmp_path / "speaker.wav")
        driver = Driver(home, audio.env)
        start = driver.wait_for("start")
        driver.wait_for("idle")  # the opening step has been read out
        turns = []
        for index, wav in enumerate(wavs):
            audio.speak_into_mic(wav)
            turns.append(driver.wait_for("turn"))
            if index < len(wavs) - 1:
                # The last reply ends the loop: the driver may report "done" before its idle watcher ticks.
                driver.wait_for("idle")
        done = driver.wait_for("done")
    finally:
        if driver is not None:
            driver.stop()
        audio.stop()

    heard = [t["heard"] for t in turns]
    assert [t["intent"] for t in turns] == [intent for _text, intent in COMMANDS], heard
    assert turns[1]["slots"] == {"seconds": 120, "name": "rice"}, heard
    assert start["microphoneOk"], start
    assert done["finished"] and done["spokenReplies"] == len(COMMANDS) + 1
    database = sqlite3.connect(home / "chefmentor.db")
    rows = database.execute("SELECT status, current_step, timers FROM cooking_sessions").fetchall()
    assert len(rows) == 1  # the driver's one session
    status, step, timers = rows[0]
    assert str(status).lower().endswith("completed") and step == 2
    assert [(t["name"], t["seconds"]) for t in json.loads(timers)] == [("rice", 120)]
    # The replies really came out of the (virtual) speaker.
    played = read_wav(tmp_path / "speaker.wav")
    loud = np.abs(played) > 0.05
    assert played.size and loud.mean() > 0.05, (played.size, float(loud.mean()))
    assert os.path.getsize(tmp_path / "speaker.wav") > 16000 * 2 * 3


def test_doctor_reports_the_device_it_found(tmp_path: Path) -> None:
    missing = missing_tools()
    if missing:
        pytest.skip("needs scripts/system-deps.sh: missing " + ", ".join(missing))
    audio = VirtualAudio(tmp_path / "pulse")
    audio.start()
    try:
        env = {k: v for k, v in audio.env.items() if not k.startswith("CHEFMENTOR_")}
        env.update(CHEFMENTOR_HOME=str(tmp_path / "home"), CHEFMENTOR_ENV="test", CHEFMENTOR_JWT_SECRET="d" * 48)
        result = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "cli.main", "--json", "doctor"], cwd=ROOT, env=env, capture_output=True, text=True
        )
    finally:
        audio.stop()
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    microphone = checks["microphone"]
    assert microphone["status"] == "ok", microphone
    socket = tmp_path / "pulse" / "run" / "pulse" / "native"
    assert microphone["detail"].endswith(f"-> PulseAudio unix:{socket}"), microphone
