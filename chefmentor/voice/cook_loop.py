"""The hands-free cooking loop: say the step, listen, act through the cooking service, answer.

The same loop runs with a microphone and speaker (VoiceEar/VoiceMouth) or a keyboard and screen
(KeyboardEar/TextMouth); tests drive it with a ScriptedAudioSource.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from chefmentor.voice.audio import AudioSource, Player
from chefmentor.voice.intents import Intent, is_complete_command, understand
from chefmentor.voice.vad import FRAME_MS, FRAME_SAMPLES, Event

if TYPE_CHECKING:
    from chefmentor.voice.assistant import CookingAssistant, Reply
    from chefmentor.voice.engine import VoiceEngine
    from chefmentor.voice.stt import Transcript

BARGE_IN_THRESHOLD = 0.85


@dataclass
class Heard:
    text: str
    heard_at: float = field(default_factory=time.perf_counter)
    speech_end_at: float | None = None
    stt_ms: float = 0.0
    speculative: bool = False
    barge_in: bool = False
    early: bool = False


class Ear(Protocol):
    def listen(self, timeout: float) -> Heard | None:
        """The next utterance, None when nothing was said within `timeout`; EOFError when input ended."""
        ...

    def close(self) -> None: ...


@dataclass
class Speech:
    text: str
    first_chunk_at: float | None = None
    done: threading.Event = field(default_factory=threading.Event)
    prefetch: tuple[str, ...] = ()


class Mouth(Protocol):
    def say(self, text: str) -> Speech: ...

    def stop(self) -> None: ...

    def wait(self) -> None: ...

    @property
    def speaking(self) -> bool: ...


class TextMouth:
    """Keyboard mode: replies go to a callback (the Rich display) instead of a speaker."""

    def __init__(self, emit: Callable[[str], None]) -> None:
        self._emit = emit

    def say(self, text: str) -> Speech:
        speech = Speech(text, first_chunk_at=time.perf_counter())
        self._emit(text)
        speech.done.set()
        return speech

    def stop(self) -> None:
        return None

    def wait(self) -> None:
        return None

    @property
    def speaking(self) -> bool:
        return False


class VoiceMouth:
    """Speaks queued replies on one worker thread: each is synthesized sentence by sentence and its first
    sentence starts playing as soon as it exists. `say` never blocks the event loop."""

    def __init__(self, engine: VoiceEngine, player: Player, *, idle: threading.Event | None = None) -> None:
        self.engine = engine
        self.player = player
        self.idle = idle or threading.Event()
        self.idle.set()
        self._queue: queue.Queue[Speech | None] = queue.Queue()
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._pending = 0
        self.spoken: list[Speech] = []
        self._worker = threading.Thread(target=self._run, daemon=True, name="chefmentor-mouth")
        self._worker.start()

    def say(self, text: str) -> Speech:
        speech = Speech(text)
        self.spoken.append(speech)
        with self._lock:
            self._pending += 1
            self.idle.clear()
        self._queue.put(speech)
        return speech

    def prefetch(self, texts: list[str]) -> None:  # recurring sentences, synthesized on the speaking thread
        self._queue.put(Speech("", prefetch=tuple(texts)))

    def _run(self) -> None:
        while (speech := self._queue.get()) is not None:
            if speech.prefetch:
                self.engine.tts.prefetch(speech.prefetch)
                continue
            self._cancel.clear()
            try:
                self._speak(speech)
            finally:
                speech.done.set()
                with self._lock:
                    self._pending -= 1
                    if self._pending == 0:
                        self.idle.set()

    def _speak(self, speech: Speech) -> None:
        for chunk in self.engine.speak_stream(speech.text):
            if self._cancel.is_set():
                return
            if speech.first_chunk_at is None:
                speech.first_chunk_at = time.perf_counter()
            self.player.play(chunk.samples, chunk.sample_rate)
        if not self._cancel.is_set():
            self.player.wait()

    def stop(self) -> None:
        """Barge-in: drop what is queued and cut the current playback."""
        while True:
            try:
                dropped = self._queue.get_nowait()
            except queue.Empty:
                break
            if dropped is not None and not dropped.prefetch:
                dropped.done.set()
                with self._lock:
                    self._pending -= 1
        with self._lock:
            if self._pending == 0:
                self.idle.set()
        self._cancel.set()
        self.player.stop()

    def wait(self) -> None:
        self.idle.wait()

    def close(self) -> None:
        self._queue.put(None)

    @property
    def speaking(self) -> bool:
        return not self.idle.is_set() or self.player.playing


class VoiceEar:
    """Endpointed utterances from an audio source, transcribed with a speculative head start.

    When the cook has been silent for `speculate_ms`, transcription starts on the audio so far; if the
    silence lasts until `silence_ms` that result is used, so most STT time hides inside the tail.
    Speech while the assistant talks stops the playback (barge-in)."""

    def __init__(
        self,
        engine: VoiceEngine,
        source: AudioSource,
        *,
        mouth: Mouth | None = None,
        hints: Callable[[], list[str]] = list,
        early_commit: Callable[[str], bool] | None = None,
    ) -> None:
        self.engine = engine
        self.source = source
        self.mouth = mouth
        self.hints = hints
        self.endpointer = engine.new_endpointer()
        # A speculative transcript that is already a complete command ends the utterance after
        # `commit_ms` of silence instead of `silence_ms`.
        self.early_commit = early_commit if early_commit is not None else _complete_command
        self.commit_ms = max(self.endpointer.speculate_ms, engine.voice.silence_ms * 3 // 5)
        self._stt = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chefmentor-stt")
        self.speculations = 0

    def _transcribe(self, audio: Any) -> Transcript:
        return self.engine.transcribe(audio, hints=self.hints(), vad_filter=False)

    def listen(self, timeout: float) -> Heard | None:
        deadline = time.perf_counter() + timeout
        self.endpointer.begin()
        speculation: Future[Transcript] | None = None
        barge_in = False
        while True:
            frame = self.source.read(FRAME_SAMPLES)
            if frame is None:
                raise EOFError
            talking = self.mouth is not None and self.mouth.speaking
            event = self.endpointer.feed(frame, threshold=BARGE_IN_THRESHOLD if talking else None)
            if event is Event.SPEECH_START and talking and self.mouth is not None:
                self.mouth.stop()
                barge_in = True
            elif event is Event.SPECULATE:
                speculation = self._stt.submit(self._transcribe, self.endpointer.audio())
                self.speculations += 1
            elif event is Event.SPEECH_RESUMED:
                speculation = None
            elif event is Event.END:
                transcript = speculation.result() if speculation else self._transcribe(self.endpointer.audio())
                return self._heard(transcript, speculative=speculation is not None, barge_in=barge_in)
            elif (
                speculation is not None
                and speculation.done()
                and self.endpointer.trailing_silence_frames() * FRAME_MS >= self.commit_ms
                and self.early_commit(speculation.result().text)
            ):
                self.endpointer.end_utterance()
                heard = self._heard(speculation.result(), speculative=True, barge_in=barge_in)
                heard.early = True
                return heard
            if not self.endpointer.in_speech and time.perf_counter() > deadline:
                return None

    def _heard(self, transcript: Transcript, *, speculative: bool, barge_in: bool) -> Heard:
        now = time.perf_counter()
        trailing = self.endpointer.trailing_silence_frames() * FRAME_MS / 1000
        return Heard(
            transcript.text,
            speech_end_at=now - trailing,
            stt_ms=transcript.latency_ms,
            speculative=speculative,
            barge_in=barge_in,
        )

    def close(self) -> None:
        self._stt.shutdown(wait=False, cancel_futures=True)
        self.source.close()


def _complete_command(text: str) -> bool:
    return bool(text.strip()) and is_complete_command(understand(text))


class KeyboardEar:
    """Typed commands, read on a thread so timers are still announced while the cook thinks."""

    def __init__(self, read_line: Callable[[], str | None]) -> None:
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._read_line = read_line
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        while True:
            try:
                line = self._read_line()
            except (EOFError, KeyboardInterrupt):
                line = None
            self._lines.put(line)
            if line is None:
                return

    def listen(self, timeout: float) -> Heard | None:
        try:
            line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return None
        if line is None:
            raise EOFError
        return Heard(line.strip(), speech_end_at=time.perf_counter())

    def close(self) -> None:
        return None


@dataclass
class Turn:
    heard: Heard
    intent: Intent
    reply: Reply
    speech: Speech
    replied_at: float = 0.0


@dataclass
class LoopView:
    """What a display shows: where the cook is, the timers, what was heard and answered."""

    recipe_name: str
    step_number: int
    total_steps: int
    instruction: str
    expected_state: str | None
    paused: bool
    timers: list[tuple[str, float, str]]
    heard: str = ""
    intent: str = ""
    reply: str = ""
    finished: bool = False


class CookLoop:
    def __init__(
        self,
        assistant: CookingAssistant,
        ear: Ear,
        mouth: Mouth,
        *,
        on_update: Callable[[LoopView], None] | None = None,
        poll_seconds: float = 1.0,
    ) -> None:
        self.assistant = assistant
        self.ear = ear
        self.mouth = mouth
        self.on_update = on_update
        self.poll_seconds = poll_seconds
        self.turns: list[Turn] = []
        self.finished = False
        self._last: tuple[str, str, str] = ("", "", "")

    async def run(self) -> list[Turn]:
        """Run until the cook finishes (session completed) or the input ends (session stays open)."""
        opening = await self.assistant.current_step_text()
        # Before the opening: made while the cook listens to it, they would compete with their first command.
        prefetch = getattr(self.mouth, "prefetch", None)
        if prefetch is not None:
            prefetch(self.assistant.stock_phrases())
        self.mouth.say(f"Let's cook {self.assistant.recipe.name}. {opening}")
        await self._update()
        try:
            while not self.finished:
                for announcement in await self.assistant.due_timers():
                    self.mouth.say(announcement)
                    self._last = ("", "timer", announcement)
                try:
                    heard = await asyncio.to_thread(self.ear.listen, self.poll_seconds)
                except EOFError:
                    break
                if heard is not None and heard.text.strip():
                    await self.respond(heard)
                await self._update()
        finally:
            await asyncio.to_thread(self.mouth.wait)
            self.ear.close()
            close = getattr(self.mouth, "close", None)
            if close is not None:
                close()
        return self.turns

    async def respond(self, heard: Heard) -> Turn | None:
        intent = understand(heard.text, self.assistant.parse_context())
        if intent.name == "ask" and intent.confidence == 0.0 and not self.assistant.awaiting_confirmation:
            # Only fillers ("okay.", "thank you."): background talk or a Whisper hallucination, not a turn.
            self._last = (heard.text, "ignored", "")
            return None
        reply = await self.assistant.handle(intent)
        replied_at = time.perf_counter()
        speech = self.mouth.say(reply.text)
        # The intent acted on: after "Did you mean ...?", a "yes" turn carries the confirmed intent.
        turn = Turn(heard, reply.intent, reply, speech, replied_at)
        self.turns.append(turn)
        self.finished = reply.finished
        self._last = (heard.text, reply.intent.name, reply.text)
        return turn

    async def _update(self) -> None:
        if self.on_update is None:
            return
        read = await self.assistant.refresh() if not self.finished else None
        step = self.assistant.step
        timers = [(t.name, t.remaining_seconds, t.status) for t in (read.timers if read else [])]
        self.on_update(
            LoopView(
                recipe_name=self.assistant.recipe.name,
                step_number=self.assistant.current_step,
                total_steps=len(self.assistant.recipe.steps),
                instruction=step.instruction if step else "",
                expected_state=step.expected_state if step else None,
                paused=self.assistant.paused,
                timers=[t for t in timers if t[2] in ("running", "paused")],
                heard=self._last[0],
                intent=self._last[1],
                reply=self._last[2],
                finished=self.finished,
            )
        )
