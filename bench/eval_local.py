"""Offline evaluation run time for the shipped case files against the 10 s target.

Run: .venv/bin/python bench/eval_local.py
Prints the wall time of `eval run` (local engine, no cache) over cases.jsonl + holdout.jsonl, the ratio to
the target, and the engine's own per-case time (notes/telemetry only vs. with a photo).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 10.0


def main() -> None:
    from chefmentor.ai.local import LocalDiagnoser
    from chefmentor.config import load_settings
    from chefmentor.eval.cases import load_cases
    from chefmentor.eval.runner import build_request
    from chefmentor.eval.service import run_evaluation

    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(home=home, offline=True)
        total = 0.0
        for name in ("cases.jsonl", "holdout.jsonl"):
            path = ROOT / "fixtures" / "eval" / name
            started = time.perf_counter()
            outcome = asyncio.run(run_evaluation(settings, cases_path=path, use_cache=False))
            elapsed = time.perf_counter() - started
            total += elapsed
            doc = outcome.document
            print(
                f"{name:15} {doc['total']:3d} cases  {elapsed:6.3f} s  accuracy {doc['accuracy']:.3f}  "
                f"macro-F1 {doc['macroF1']:.3f}  ECE {doc['ece']:.3f}"
            )
        print(f"{'full set':15} {total:10.3f} s   target {TARGET_SECONDS:.0f} s   ratio {total / TARGET_SECONDS:.3f}x")

        engine = LocalDiagnoser(settings)
        cases = load_cases(ROOT / "fixtures" / "eval" / "cases.jsonl").cases
        requests = [build_request(case, settings) for case in cases]
        text_only, with_photo = [], []
        for request in requests * 5:
            started = time.perf_counter()
            engine.analyze(request)
            (with_photo if request.images else text_only).append((time.perf_counter() - started) * 1000)
        print(
            f"engine per case: notes/session {statistics.median(text_only):.2f} ms, "
            f"with a 768 px photo {statistics.median(with_photo):.2f} ms (medians)"
        )


if __name__ == "__main__":
    main()
