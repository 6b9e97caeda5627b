from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cli.runner import guarded, run, state_of

if TYPE_CHECKING:
    from chefmentor.context import AppContext

app = typer.Typer(help="Offline voice pieces: speech to text, intents, text to speech, accuracy.", no_args_is_help=True)

HintOption = typer.Option(None, "--hint", help="A word to bias recognition toward (repeatable).")


def _emit(ctx: typer.Context, document: dict[str, Any], human: str) -> None:
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json(document)
    else:
        from cli.output import console

        console.print(human, highlight=False, markup=False)


def _transcribe(app_ctx: AppContext, wav: Path, hints: list[str]) -> dict[str, Any]:
    from chefmentor.voice.audio import read_wav

    audio = read_wav(wav)
    return dict(app_ctx.voice.transcribe(audio, hints=hints).to_json())


@app.command("transcribe")
def transcribe(
    ctx: typer.Context,
    wav: Path = typer.Argument(..., metavar="WAV", help="A WAV file (any rate; other formats via PyAV)."),
    hint: list[str] | None = HintOption,
) -> None:
    """Speech to text with the local Whisper model: {"text", "latencyMs"}."""

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        document: dict[str, Any] = await app_ctx.voice.run(_transcribe, app_ctx, wav, hint or [])
        return document

    document = run(ctx, work, check_migrated=False)
    _emit(ctx, document, document["text"])


@app.command("understand")
def understand_command(ctx: typer.Context, text: str = typer.Argument(..., metavar="TEXT")) -> None:
    """Text to intent and slots: {"intent", "slots", "text"}."""
    document = guarded(state_of(ctx), lambda: _understand(text))
    slots = " ".join(f"{k}={v}" for k, v in document["slots"].items())
    _emit(ctx, document, f"{document['intent']} {slots}".strip())


def _understand(text: str) -> dict[str, Any]:
    from chefmentor.errors import ValidationError
    from chefmentor.voice.intents import understand

    if not text.strip():
        raise ValidationError('Nothing to understand: give the command text, e.g. voice understand "what\'s next"')
    return understand(text).to_json()


@app.command("command")
def command(
    ctx: typer.Context,
    wav: Path = typer.Argument(..., metavar="WAV"),
    hint: list[str] | None = HintOption,
) -> None:
    """Transcribe then understand: {"text", "latencyMs", "intent", "slots"}."""

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        from chefmentor.voice.intents import understand

        heard = await app_ctx.voice.run(_transcribe, app_ctx, wav, hint or [])
        return {**heard, **understand(heard["text"]).to_json()}

    document = run(ctx, work, check_migrated=False)
    slots = " ".join(f"{k}={v}" for k, v in document["slots"].items())
    _emit(ctx, document, f"{document['text']!r} -> {document['intent']} {slots}".strip())


@app.command("say")
def say(
    ctx: typer.Context,
    text: str = typer.Argument(..., metavar="TEXT"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write a WAV file instead of playing it."),
) -> None:
    """Text to speech with the local Piper voice; plays on the speaker unless -o is given."""

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        document: dict[str, Any] = await app_ctx.voice.run(_say, app_ctx, text, output)
        return document

    document = run(ctx, work, check_migrated=False)
    where = f"wrote {document['path']}" if document.get("path") else "played"
    _emit(ctx, document, f"{where}: {document['seconds']:.1f} s of audio, first chunk in {document['firstChunkMs']} ms")


def _say(app_ctx: AppContext, text: str, output: Path | None) -> dict[str, Any]:
    import time

    import numpy as np

    from chefmentor.errors import ValidationError
    from chefmentor.voice.audio import SpeakerPlayer, encode_wav

    if not text.strip():
        raise ValidationError("Nothing to say")
    engine = app_ctx.voice
    player = SpeakerPlayer() if output is None else None
    rate = engine.tts.sample_rate
    started = time.perf_counter()
    first_ms: float | None = None
    chunks = []
    for chunk in engine.speak_stream(text):
        if first_ms is None:
            first_ms = (time.perf_counter() - started) * 1000
        chunks.append(chunk.samples)
        if player is not None:
            player.play(chunk.samples, chunk.sample_rate)
    if player is not None:
        player.wait()
    audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
    document: dict[str, Any] = {
        "text": text,
        "seconds": round(audio.shape[0] / rate, 3),
        "sampleRate": rate,
        "firstChunkMs": round(first_ms or 0.0, 1),
    }
    if output is not None:
        output.write_bytes(encode_wav(audio, rate))
        document["path"] = str(output)
    return document


@app.command("eval")
def eval_command(
    ctx: typer.Context,
    cases_file: Path = typer.Argument(..., metavar="CASES.jsonl"),
    audio_dir: Path | None = typer.Option(
        None, "--audio-dir", help="Transcribe DIR/{id}.wav (or .ogg/.flac) for each case."
    ),
    synthesize: bool = typer.Option(
        False, "--synthesize", help="Speak each case with the Piper voice and transcribe that (no recordings needed)."
    ),
) -> None:
    """Intent accuracy from the case text, or from audio: {"accuracy", "cases": [...]}."""

    async def work(app_ctx: AppContext) -> dict[str, Any]:
        document: dict[str, Any] = await app_ctx.voice.run(_evaluate, app_ctx, cases_file, audio_dir, synthesize)
        return document

    document = run(ctx, work, check_migrated=False)
    if state_of(ctx).json:
        from cli.output import emit_json

        emit_json(document)
        return
    _render_eval(document)


def _evaluate(app_ctx: AppContext, cases_file: Path, audio_dir: Path | None, synthesize: bool) -> dict[str, Any]:
    from chefmentor.errors import ValidationError
    from chefmentor.voice.audio import STT_SAMPLE_RATE, read_wav, resample
    from chefmentor.voice.evaluation import VoiceCase, evaluate, load_cases

    cases = load_cases(cases_file)
    if audio_dir is None and not synthesize:
        return evaluate(cases)
    engine = app_ctx.voice
    if audio_dir is not None and not audio_dir.is_dir():
        raise ValidationError(f"Audio directory not found: {audio_dir}")

    def transcribe(case: VoiceCase) -> str:
        recording = _recording(audio_dir, case.id) if audio_dir is not None else None
        if recording is not None:
            audio = read_wav(recording)
        elif synthesize:
            tts = engine.tts
            audio = resample(tts.synthesize(case.text), tts.sample_rate, STT_SAMPLE_RATE)
        else:
            raise ValidationError(f"No recording for case {case.id}: expected {audio_dir}/{case.id}.wav")
        return str(engine.transcribe(audio, hints=[*case.hints, *case.timers]).text)

    return evaluate(cases, transcribe=transcribe)


def _recording(audio_dir: Path, case_id: str) -> Path | None:
    """DIR/{id}.wav, or the same clip compressed (.ogg/.opus/.flac/.mp3, decoded through PyAV)."""
    for suffix in (".wav", ".ogg", ".opus", ".flac", ".mp3"):
        if (audio_dir / f"{case_id}{suffix}").is_file():
            return audio_dir / f"{case_id}{suffix}"
    return None


def _render_eval(document: dict[str, Any]) -> None:
    from rich.table import Table

    from cli.output import console

    table = Table(title=f"Voice intents ({document['source']})", header_style="bold")
    for column in ("Id", "Heard", "Expected", "Predicted", "OK"):
        table.add_column(column, overflow="fold")
    for case in document["cases"]:
        table.add_row(
            case["id"],
            case["transcript"],
            f"{case['expected']} {case['expectedSlots'] or ''}".strip(),
            f"{case['predicted']} {case['predictedSlots'] or ''}".strip(),
            "[green]✓[/]" if case["correct"] else "[red]✗[/]",
        )
    console.print(table)
    summary = f"accuracy {document['accuracy']:.1%} ({document['correct']}/{document['total']})"
    if "audioAccuracy" in document:
        summary += f" · text accuracy {document['textAccuracy']:.1%}"
    console.print(summary)
    for name, row in document.get("conditions", {}).items():
        console.print(f"  {name:<16} {row['accuracy']:.1%} ({row['correct']}/{row['total']})")
