"""Audio plumbing: WAV bytes <-> float32 samples, resampling, audio sources and players.

`sounddevice` is imported only when a microphone or speaker is opened: it needs the system PortAudio
library, and file-based voice (transcribe, say, eval, the server) must work without it.
"""

from __future__ import annotations

import io
import queue
import threading
import time
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from chefmentor.errors import ValidationError, VoiceUnavailableError

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Samples = NDArray[np.float32]
else:
    Samples = np.ndarray

STT_SAMPLE_RATE = 16000
PORTAUDIO_HINT = (
    "No audio device / PortAudio: install libportaudio2 (apt-get install libportaudio2); file-based voice works"
)
MAX_WAV_SECONDS = 120


def resample(samples: Samples, source_rate: int, target_rate: int = STT_SAMPLE_RATE) -> Samples:
    """Linear resampling; enough for speech recognition, avoids a SciPy dependency."""
    if source_rate == target_rate or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    duration = samples.shape[0] / source_rate
    target_len = max(1, round(duration * target_rate))
    positions = np.linspace(0, samples.shape[0] - 1, target_len)
    return np.interp(positions, np.arange(samples.shape[0]), samples).astype(np.float32)


def decode_wav(data: bytes, *, target_rate: int = STT_SAMPLE_RATE) -> Samples:
    """WAV bytes (PCM 8/16/32-bit, any rate, any channels) -> mono float32 at `target_rate`."""
    try:
        with wave.open(io.BytesIO(data), "rb") as reader:
            rate = reader.getframerate()
            width = reader.getsampwidth()
            channels = reader.getnchannels()
            # A streamed WAV (POST /api/voice/speak) says "unknown length" (0xFFFFFFFF): count what is there.
            frames = min(reader.getnframes(), len(data) // max(1, width * channels))
            if frames > rate * MAX_WAV_SECONDS:
                raise ValidationError(f"Audio longer than {MAX_WAV_SECONDS} s")
            raw = reader.readframes(frames)
    except (wave.Error, EOFError) as exc:
        return _decode_other(data, target_rate, exc)
    if width == 1:
        samples = (np.frombuffer(raw, dtype=np.uint8).astype(np.float32) - 128.0) / 128.0
    elif width == 2:
        samples = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    elif width == 4:
        samples = np.frombuffer(raw, dtype="<i4").astype(np.float32) / 2147483648.0
    else:
        raise ValidationError(f"Unsupported WAV sample width: {width * 8} bit")
    if channels > 1:
        samples = samples.reshape(-1, channels).mean(axis=1)
    return resample(samples, rate, target_rate)


def _decode_other(data: bytes, target_rate: int, cause: Exception) -> Samples:
    """Compressed audio (ogg, mp3, m4a from phones) through PyAV, which faster-whisper already ships with."""
    try:
        from faster_whisper.audio import decode_audio

        decoded = decode_audio(io.BytesIO(data), sampling_rate=target_rate)
    except Exception as exc:
        raise ValidationError(f"Not a readable audio file ({cause})") from exc
    samples: Samples = np.asarray(decoded, dtype=np.float32)
    if samples.shape[0] > target_rate * MAX_WAV_SECONDS:
        raise ValidationError(f"Audio longer than {MAX_WAV_SECONDS} s")
    return samples


def read_wav(path: Path, *, target_rate: int = STT_SAMPLE_RATE) -> Samples:
    if not path.is_file():
        raise ValidationError(f"Audio file not found: {path}")
    return decode_wav(path.read_bytes(), target_rate=target_rate)


def encode_wav(samples: Samples, sample_rate: int) -> bytes:
    """Mono float32 in [-1, 1] -> 16-bit PCM WAV bytes."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(sample_rate)
        writer.writeframes(pcm.tobytes())
    return buffer.getvalue()


def silence(seconds: float, sample_rate: int = STT_SAMPLE_RATE) -> Samples:
    return np.zeros(round(seconds * sample_rate), dtype=np.float32)


class AudioSource(Protocol):
    """Mono float32 frames at `sample_rate`; `read` blocks and returns None when the input has ended."""

    sample_rate: int

    def read(self, frames: int) -> Samples | None: ...

    def close(self) -> None: ...


class ScriptedAudioSource:
    """Plays a script of utterances separated by silence: tests and benchmarks drive the loop without a mic.

    With `realtime=True` frames arrive at the pace of a real microphone, so wall-clock latencies are real.
    `ready` gates each utterance: the next one starts only after the loop has finished speaking.
    """

    def __init__(
        self,
        utterances: Sequence[Samples],
        *,
        sample_rate: int = STT_SAMPLE_RATE,
        gap_seconds: float = 1.2,
        lead_seconds: float = 0.3,
        realtime: bool = False,
        wait_for_prompt: bool = True,
    ) -> None:
        self.sample_rate = sample_rate
        self.realtime = realtime
        self.wait_for_prompt = wait_for_prompt
        self._pending: list[Samples] = [np.asarray(u, dtype=np.float32) for u in utterances]
        self._gap = silence(gap_seconds, sample_rate)
        self._lead = silence(lead_seconds, sample_rate)
        self._buffer: Samples = np.zeros(0, dtype=np.float32)
        self._next_deadline = time.perf_counter()
        self.prompt_done = threading.Event()
        self.prompt_done.set()
        self.speech_end_times: list[float] = []
        self._speech_end_at: int | None = None
        self._delivered = 0
        self._closed = False

    def read(self, frames: int) -> Samples | None:
        if self._closed:
            return None
        if self._buffer.size < frames:
            if not self._pending:
                if self._buffer.size == 0:
                    return None
            else:
                if self.wait_for_prompt:
                    self.prompt_done.wait(timeout=30)
                utterance = self._pending.pop(0)
                start = self._delivered + self._buffer.size + self._lead.size
                self._speech_end_at = start + utterance.size
                self._buffer = np.concatenate([self._buffer, self._lead, utterance, self._gap])
        chunk = self._buffer[:frames]
        self._buffer = self._buffer[frames:]
        if chunk.size < frames:
            chunk = np.concatenate([chunk, np.zeros(frames - chunk.size, dtype=np.float32)])
        self._delivered += frames
        if self.realtime:
            self._next_deadline = max(self._next_deadline, time.perf_counter() - 0.5) + frames / self.sample_rate
            delay = self._next_deadline - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        if self._speech_end_at is not None and self._delivered >= self._speech_end_at:
            self.speech_end_times.append(time.perf_counter())
            self._speech_end_at = None
        return chunk

    def close(self) -> None:
        self._closed = True


class MicrophoneSource:
    """The default input device through sounddevice (PortAudio), 16 kHz mono."""

    def __init__(self, *, sample_rate: int = STT_SAMPLE_RATE, block_frames: int = 512) -> None:
        sd = import_sounddevice()
        self.sample_rate = sample_rate
        self._queue: queue.Queue[Samples] = queue.Queue(maxsize=400)
        self._pending: Samples = np.zeros(0, dtype=np.float32)
        try:
            self._stream = sd.InputStream(
                samplerate=sample_rate,
                channels=1,
                dtype="float32",
                blocksize=block_frames,
                callback=self._on_audio,
            )
            self._stream.start()
        except Exception as exc:  # PortAudioError carries no stable subclass to catch
            raise VoiceUnavailableError(f"Cannot open the microphone: {exc}. {PORTAUDIO_HINT}") from exc

    def _on_audio(self, indata: Any, _frames: int, _time: Any, _status: Any) -> None:
        try:
            self._queue.put_nowait(np.array(indata[:, 0], dtype=np.float32))
        except queue.Full:  # the consumer stalled: dropping audio beats blocking PortAudio's thread
            pass

    def read(self, frames: int) -> Samples | None:
        while self._pending.size < frames:
            try:
                block = self._queue.get(timeout=2.0)
            except queue.Empty:
                if not self._stream.active:  # device unplugged or the stream died: the input has ended
                    return None
                continue
            self._pending = np.concatenate([self._pending, block])
        chunk, self._pending = self._pending[:frames], self._pending[frames:]
        return chunk

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class Player(Protocol):
    """Plays audio without blocking; `stop` is how barge-in interrupts it."""

    def play(self, samples: Samples, sample_rate: int) -> None: ...

    def wait(self) -> None: ...

    def stop(self) -> None: ...

    @property
    def playing(self) -> bool: ...


class SpeakerPlayer:
    def __init__(self) -> None:
        self._sd = import_sounddevice()
        self._until = 0.0

    def play(self, samples: Samples, sample_rate: int) -> None:
        self.wait()
        try:
            self._sd.play(samples, sample_rate)
        except Exception as exc:
            raise VoiceUnavailableError(f"Cannot play audio: {exc}. {PORTAUDIO_HINT}") from exc
        self._until = time.monotonic() + samples.shape[0] / sample_rate

    def wait(self) -> None:
        while self.playing:
            time.sleep(0.02)

    def stop(self) -> None:
        self._sd.stop()
        self._until = 0.0

    @property
    def playing(self) -> bool:
        return time.monotonic() < self._until


class RecordingPlayer:
    """Keeps what would have been played (tests, benchmarks, `--no-audio` runs); never blocks."""

    def __init__(self) -> None:
        self.clips: list[tuple[Samples, int]] = []
        self.first_chunk_times: list[float] = []
        self.stopped = 0

    def play(self, samples: Samples, sample_rate: int) -> None:
        self.clips.append((samples, sample_rate))

    def wait(self) -> None:
        return None

    def stop(self) -> None:
        self.stopped += 1

    @property
    def playing(self) -> bool:
        return False


def import_sounddevice() -> Any:
    try:
        import sounddevice
    except OSError as exc:  # raised at import when libportaudio is missing
        raise VoiceUnavailableError(PORTAUDIO_HINT) from exc
    return sounddevice


def microphone_status() -> tuple[bool, str]:
    """(ok, one line) for `chefmentor doctor`: the default input device PortAudio found, and where it leads
    (an ALSA hardware node under /dev/snd, or the PulseAudio server ALSA's default goes through)."""
    try:
        sd = import_sounddevice()
        device = sd.query_devices(kind="input")
        host = sd.query_hostapis(device["hostapi"])["name"]
    except VoiceUnavailableError as exc:
        return False, exc.message
    except Exception as exc:
        return False, f"No input device ({type(exc).__name__}: {exc}); file-based voice works"
    name = str(device.get("name", "default"))
    details = f"{name} (#{device['index']}, {host}, {int(device['default_samplerate'])} Hz)"
    return True, f"{details} -> {device_path(name, host)}"


def device_path(name: str, host: str) -> str:
    """Where an input device leads: /dev/snd/pcmC<card>D<device>c for ALSA hardware, the PulseAudio socket
    for ALSA's default/pulse devices when a PulseAudio (or PipeWire-Pulse) server is reachable."""
    import os
    import re

    hardware = re.search(r"\(hw:(\d+),(\d+)\)", name)
    if hardware:
        return f"/dev/snd/pcmC{hardware.group(1)}D{hardware.group(2)}c"
    server = os.environ.get("PULSE_SERVER")
    runtime = os.environ.get("PULSE_RUNTIME_PATH") or (
        str(Path(os.environ["XDG_RUNTIME_DIR"]) / "pulse") if os.environ.get("XDG_RUNTIME_DIR") else ""
    )
    if not server and runtime and (Path(runtime) / "native").exists():
        server = f"unix:{Path(runtime) / 'native'}"
    if host == "ALSA" and name.split()[0] in ("default", "pulse", "pipewire") and server:
        return f"PulseAudio {server}"
    return f"{host} device {name!r}"
