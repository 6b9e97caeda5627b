"""`chefmentor --help` wall time against `python -c pass`, measured side by side in one run."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 15


def _time(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    baseline_cmd = [sys.executable, "-c", "pass"]
    help_cmd = [sys.executable, "-m", "cli.main", "--help"]
    _time(help_cmd)  # warm the file cache and bytecode
    baseline, help_times = [], []
    for _ in range(RUNS):  # interleaved so machine noise hits both alike
        baseline.append(_time(baseline_cmd))
        help_times.append(_time(help_cmd))
    base_ms = statistics.median(baseline) * 1000
    help_ms = statistics.median(help_times) * 1000
    print(f"python -c pass      median {base_ms:7.1f} ms")
    print(f"chefmentor --help   median {help_ms:7.1f} ms")
    print(f"ratio               {help_ms / base_ms:7.1f}x  (over {RUNS} interleaved runs)")


if __name__ == "__main__":
    main()
