"""A private PulseAudio server with a virtual microphone and speaker, for tests of the real audio path.

Two null sinks: "speaker" (the default output; what is played there is recorded from its monitor) and
"micfeed", whose monitor is remapped into the source "mic" (the default input). Playing a WAV into
"micfeed" is someone speaking into the microphone. ALSA's pulse plugin (libasound2-plugins) routes
PortAudio's ALSA "default" device to this server, as on a desktop.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

TOOLS = ("pulseaudio", "pactl", "paplay", "parecord")


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not Path("/usr/share/alsa/pulse-alsa.conf").is_file():
        missing.append("libasound2-plugins (ALSA -> PulseAudio)")
    return missing


class VirtualAudio:
    def __init__(self, root: Path) -> None:
        self.root = root
        runtime = root / "run"
        runtime.mkdir(parents=True, exist_ok=True)
        runtime.chmod(0o700)
        self.env = {
            **os.environ,
            "XDG_RUNTIME_DIR": str(runtime),
            "PULSE_RUNTIME_PATH": str(runtime / "pulse"),
            "HOME": str(root),
        }
        self._server: subprocess.Popen[bytes] | None = None
        self._recorder: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        modules = (
            "module-native-protocol-unix",
            "module-null-sink sink_name=speaker rate=22050 channels=1",
            "module-null-sink sink_name=micfeed rate=16000 channels=1",
            "module-remap-source master=micfeed.monitor source_name=mic",
            "module-always-sink",
        )
        command = ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--log-target=stderr"]
        command += [f"--load={module}" for module in modules]
        log = (self.root / "pulseaudio.log").open("wb")
        self._server = subprocess.Popen(command, env=self.env, stdout=log, stderr=log)  # noqa: S603
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.pactl("info").returncode == 0:
                self.pactl("set-default-source", "mic")
                self.pactl("set-default-sink", "speaker")
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("PulseAudio did not start: " + (self.root / "pulseaudio.log").read_text(errors="replace"))

    def pactl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True, check=False)  # noqa: S603,S607

    def speak_into_mic(self, wav: Path) -> None:
        """Plays the WAV into the virtual microphone in real time (returns when it has been played)."""
        subprocess.run(["paplay", "--device=micfeed", str(wav)], env=self.env, check=True)  # noqa: S603,S607

    def record_speaker(self, wav: Path) -> None:
        command = ["parecord", "--device=speaker.monitor", "--rate=16000", "--channels=1", str(wav)]
        self._recorder = subprocess.Popen(command, env=self.env)  # noqa: S603

    def stop(self) -> None:
        for process in (self._recorder, self._server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    process.kill()
        self._recorder = self._server = None
