"""Voice reply latency: end of the cook's speech -> first audio chunk of the reply, through the real loop.

    python bench/voice.py                 # 2 rounds of 16 commands, speculative STT on and off
    python bench/voice.py --rounds 1 --no-compare

Commands are synthesized with the bundled Piper voice and fed to the cook loop by a ScriptedAudioSource
at microphone pace (32 ms frames in real time), so the VAD silence tail is real wall-clock time. Each reply
goes through the cooking service on a migrated SQLite database with the fixture recipes, then Piper;
latency = first TTS chunk ready - last speech sample delivered, i.e. VAD tail + STT + intent + service +
TTS first chunk. Also prints the cold model load time and the process RSS.
Target (issues #7, #19): median < 0.9 s on 2 cores (stretch 0.6 s). Other load on the machine inflates
every number: the load average is printed next to every result.

`--stt-breakdown` also times recognition alone on the same commands, one setting changed at a time (encoder
window, beam size, threads, audio trimming), to show where recognition time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RECIPE = "Perfect Stovetop Rice"
COMMANDS = [
    "okay, what's next?",
    "set a rice timer for eighteen minutes",
    "how long is left on the rice?",
    "what should it look like?",
    "go back one step",
    "repeat that please",
    "take me to step three",
    "what ingredients do I need?",
    "set a timer for two and a half minutes",
    "cancel the rice timer",
    "pause",
    "resume",
    "can I use butter instead of oil?",
    "next step please",
    "help",
    "I'm finished cooking",
]


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def trim_silence(samples: Any, threshold: float = 0.01) -> Any:
    """Piper pads its audio with silence; cut it so "end of speech" is the last audible sample."""
    import numpy as np

    loud = np.flatnonzero(np.abs(samples) > threshold)
    return samples[loud[0] : loud[-1] + 1] if loud.size else samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def prepare_database(home: Path) -> Any:
    from chefmentor.config import load_settings
    from chefmentor.db import migrate
    from chefmentor.db.engine import create_engine

    settings = load_settings(env="test", home=home, auth={"jwt_secret": "bench-" + "v" * 40})
    engine = create_engine(settings)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    return settings


async def one_round(
    settings: Any, engine: Any, utterances: list[Any], *, speculate: bool, speculate_ms: int | None
) -> list[dict[str, float]]:
    from chefmentor.actor import Actor
    from chefmentor.context import open_context
    from chefmentor.recipes.seed import seed_recipes
    from chefmentor.voice.assistant import open_assistant
    from chefmentor.voice.audio import RecordingPlayer, ScriptedAudioSource
    from chefmentor.voice.cook_loop import CookLoop, VoiceEar, VoiceMouth

    async with open_context(settings, voice=engine) as ctx:
        async with ctx.session() as db:
            await seed_recipes(db, ROOT / "fixtures" / "recipes", cache=ctx.cache)
        assistant = await open_assistant(ctx, actor=Actor.local(), recipe_ref=RECIPE)
        source = ScriptedAudioSource(utterances, realtime=True, gap_seconds=1.0)
        mouth = VoiceMouth(engine, RecordingPlayer(), idle=source.prompt_done)
        ear = VoiceEar(engine, source, mouth=mouth, hints=assistant.hints)
        if not speculate:
            ear.endpointer.speculate_ms = 10**9
            ear.early_commit = lambda _text: False
        elif speculate_ms is not None:
            ear.endpointer.speculate_ms = speculate_ms
        turns = await CookLoop(assistant, ear, mouth, poll_seconds=0.5).run()
        label = "speculative" if speculate else "plain"
        print(f"  {label} round: {ear.speculations} STT speculations for {len(turns)} turns")
    rows: list[dict[str, float]] = []
    ends = list(source.speech_end_times)
    for turn in turns:
        if turn.speech.first_chunk_at is None:
            continue
        # The source's end-of-speech time that precedes this turn is the cook's real end of speech.
        before = [t for t in ends if t <= turn.heard.heard_at]
        if not before:
            continue
        end = before[-1]
        rows.append(
            {
                "latency": turn.speech.first_chunk_at - end,
                "heard": turn.heard.heard_at - end,
                "stt": turn.heard.stt_ms / 1000,
                "service": turn.replied_at - turn.heard.heard_at,
                "tts": turn.speech.first_chunk_at - turn.replied_at,
                "speculative": float(turn.heard.speculative),
                "early": float(turn.heard.early),
                "correct": float(turn.intent.name != "ask" or "instead" in turn.heard.text.lower()),
            }
        )
    return rows


def summarize(label: str, rows: list[dict[str, float]]) -> dict[str, float]:
    latencies = [r["latency"] for r in rows]
    return {
        "label": label,  # type: ignore[dict-item]
        "n": len(rows),
        "median": statistics.median(latencies),
        "p90": percentile(latencies, 0.9),
        "heard": statistics.median(r["heard"] for r in rows),
        "stt": statistics.median(r["stt"] for r in rows),
        "service": statistics.median(r["service"] for r in rows),
        "tts": statistics.median(r["tts"] for r in rows),
        "speculated": sum(r["speculative"] for r in rows) / len(rows),
        "early": sum(r["early"] for r in rows) / len(rows),
    }


def load_now() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.2f}/{five:.2f} (1/5 min, {os.cpu_count()} cores)"


def stt_breakdown(engine: Any, utterances: list[Any], repeats: int = 2) -> None:
    """Median recognition time per command for each setting, interleaved so load drifts hit all alike."""
    from chefmentor.voice import stt as stt_module
    from chefmentor.voice.stt import SpeechToText, build_prompt

    prompt = build_prompt(["rice", "butter", "parsley"])
    base = engine.stt
    one_thread = SpeechToText(base.model_path, compute_type=base.compute_type, threads=1)
    full = stt_module.FULL_WINDOW_FRAMES
    settings = [
        ("full 30 s window, greedy (before)", base, full, 1),
        ("utterance window, greedy", base, stt_module.MIN_WINDOW_FRAMES, 1),
        ("utterance window, beam 4 (now)", base, stt_module.MIN_WINDOW_FRAMES, 4),
        ("utterance window, beam 4, 1 thread", one_thread, stt_module.MIN_WINDOW_FRAMES, 4),
        ("3 s minimum window, beam 4", base, 300, 4),
    ]
    times: dict[str, list[float]] = {label: [] for label, *_ in settings}
    for _ in range(repeats):
        for audio in utterances:
            for label, model, window, beam in settings:
                saved = stt_module.MIN_WINDOW_FRAMES
                stt_module.MIN_WINDOW_FRAMES = window
                started = time.perf_counter()
                model.decode(audio, prompt, alternatives=beam)
                times[label].append(time.perf_counter() - started)
                stt_module.MIN_WINDOW_FRAMES = saved
    seconds = statistics.median(u.shape[0] for u in utterances) / 16000
    print(f"recognition alone, median of {len(utterances) * repeats} commands ({seconds:.1f} s of speech each):")
    reference = statistics.median(times[settings[0][0]])
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:<38} {median * 1000:7.0f} ms  {median / reference:.2f}x  [{load_now()}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-compare", action="store_true", help="Skip the run without speculative STT.")
    parser.add_argument("--speculate-ms", type=int, default=None, help="Silence before speculative STT starts.")
    parser.add_argument("--stt-breakdown", action="store_true", help="Also time recognition alone per setting.")
    args = parser.parse_args()

    from chefmentor.config import load_settings
    from chefmentor.voice.audio import STT_SAMPLE_RATE, resample
    from chefmentor.voice.engine import VoiceEngine

    rss_before = rss_mb()
    engine = VoiceEngine(load_settings(env="test", auth={"jwt_secret": "bench-" + "v" * 40}))
    started = time.perf_counter()
    loads = engine.warm_up()
    cold = time.perf_counter() - started
    rss_after = rss_mb()
    tts = engine.tts
    utterances = [trim_silence(resample(tts.synthesize(t), tts.sample_rate, STT_SAMPLE_RATE)) for t in COMMANDS]

    with tempfile.TemporaryDirectory() as home:
        settings = asyncio.run(prepare_database(Path(home)))
        runs = [("speculative+early", True)] + ([] if args.no_compare else [("STT after endpoint", False)])
        results = []
        for label, speculate in runs:
            rows: list[dict[str, float]] = []
            for _ in range(args.rounds):
                rows += asyncio.run(
                    one_round(settings, engine, utterances, speculate=speculate, speculate_ms=args.speculate_ms)
                )
            summary = summarize(label, rows)
            summary["load"] = os.getloadavg()[0]  # type: ignore[assignment]
            results.append(summary)

    load1, _, _ = os.getloadavg()
    print(f"cores: {os.cpu_count()}  load average (1 min): {load1:.2f}  silence_ms: {engine.voice.silence_ms}")
    print(
        f"cold load: {cold:.2f} s (whisper {loads['sttLoad']:.2f} s, piper {loads['ttsLoad']:.2f} s, "
        f"warm-up {loads['warmUp']:.2f} s)  RSS {rss_before:.0f} MB -> {rss_after:.0f} MB "
        f"(+{rss_after - rss_before:.0f} MB for the models)"
    )
    print("medians: heard = end of speech -> transcript, stt = its model time, service = intent + cooking service,")
    print("tts = reply text -> first audio chunk; ratio = median / the speculative pipeline's median")
    header = f"{'pipeline':<20} {'n':>3} {'median':>8} {'p90':>8} {'heard':>8} {'stt':>7} {'service':>8} {'tts':>7}"
    print(header + f" {'spec':>5} {'early':>5}  ratio  load(1 min)")
    base = results[0]["median"]
    for row in results:
        print(
            f"{row['label']:<20} {row['n']:>3} {row['median']:>7.3f}s {row['p90']:>7.3f}s {row['heard']:>7.3f}s "
            f"{row['stt']:>6.3f}s {row['service']:>7.3f}s {row['tts']:>6.3f}s {row['speculated']:>5.0%} "
            f"{row['early']:>5.0%}  "
            f"{row['median'] / base:.2f}x  {row['load']:.2f}"
        )
    verdict = "meets" if base < 0.9 else "misses"
    print(f"target median < 0.900 s: {verdict} ({base:.3f} s); stretch 0.600 s  [{load_now()}]")
    if args.stt_breakdown:
        stt_breakdown(engine, utterances)


if __name__ == "__main__":
    main()
