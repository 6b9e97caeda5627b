"""Per-utterance cost of understanding text: the grammar alone vs grammar + learned layer (spelling
correction, features, model), on every phrasing in the fixtures/voice case files.

    python bench/voice_understanding.py [--rounds 3]

Prints median / p90 per utterance side by side and their ratio, with the machine's load average: other
work on a shared machine inflates every number.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chefmentor.voice.evaluation import load_cases  # noqa: E402
from chefmentor.voice.intents import Intent, ParseContext, parse, understand  # noqa: E402


def phrasings() -> list[tuple[str, ParseContext]]:
    out: list[tuple[str, ParseContext]] = []
    for path in sorted((ROOT / "fixtures" / "voice").glob("*.jsonl")):
        if path.name != "paraphrases.jsonl":
            out += [(case.text, case.context()) for case in load_cases(path)]
    return out


def timed(function: Callable[[str, ParseContext], Intent], cases: list[tuple[str, ParseContext]]) -> list[float]:
    times: list[float] = []
    for text, context in cases:
        start = time.perf_counter()
        function(text, context)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cases = phrasings()
    understand("warm up")
    results: dict[str, list[float]] = {"grammar": [], "grammar + learned": []}
    for _ in range(args.rounds):  # interleaved, so load drifts hit both alike
        results["grammar"] += timed(parse, cases)
        results["grammar + learned"] += timed(understand, cases)
    base = statistics.median(results["grammar"])
    print(f"{len(cases)} phrasings x {args.rounds} rounds, load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'pipeline':20s} {'median':>10s} {'p90':>10s} {'ratio':>7s}")
    for name, times in results.items():
        times.sort()
        median, p90 = statistics.median(times), times[int(0.9 * len(times))]
        print(f"{name:20s} {median * 1000:8.3f}ms {p90 * 1000:8.3f}ms {median / base:6.2f}x")


if __name__ == "__main__":
    main()
