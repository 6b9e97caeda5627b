"""`chefmentor recipes list` against `chefmentor --help` and `python -c pass`, side by side in one run.

A fresh CHEFMENTOR_HOME is migrated and seeded first; then the three commands run interleaved (so machine
noise hits all alike) and the medians are printed with their ratios. `--import-profile` adds the slowest
top-level imports of `recipes list` (python -X importtime).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "bench-secret-" + "x" * 40


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEFMENTOR_")}
    env.update(CHEFMENTOR_HOME=str(home), CHEFMENTOR_ENV="test", CHEFMENTOR_JWT_SECRET=SECRET)
    return env


def _time(cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _import_profile(cmd: list[str], env: dict[str, str], top: int = 12) -> list[tuple[float, str]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *cmd[1:]], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(parts) != 3 or not parts[1].strip().isdigit():
            continue
        if parts[2].startswith("  "):  # nested: counted in its top-level importer
            continue
        rows.append((int(parts[1]) / 1000, parts[2].strip()))
    return sorted(rows, reverse=True)[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--import-profile", action="store_true")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout (e.g. `git worktree add /tmp/old COMMIT`) timed alongside"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cli = [sys.executable, "-m", "cli.main"]
        trees = {"": ROOT} if args.baseline is None else {"": ROOT, "baseline ": args.baseline}
        homes: dict[Path, dict[str, str]] = {}
        for index, tree in enumerate(trees.values()):
            homes[tree] = _env(Path(folder) / str(index))  # each tree migrates and seeds its own database
            for setup in (["db", "upgrade"], ["db", "seed"]):
                subprocess.run([*cli, *setup], cwd=tree, env=homes[tree], check=True, capture_output=True)
        env = homes[ROOT]
        commands: dict[str, tuple[list[str], Path]] = {"python -c pass": ([sys.executable, "-c", "pass"], ROOT)}
        for label, tree in trees.items():
            commands[f"{label}chefmentor --help"] = ([*cli, "--help"], tree)
            commands[f"{label}chefmentor recipes list"] = ([*cli, "recipes", "list"], tree)
        for cmd, cwd in commands.values():
            _time(cmd, homes[cwd], cwd)  # warm the file cache and bytecode
        samples: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (cmd, cwd) in commands.items():
                samples[name].append(_time(cmd, homes[cwd], cwd))
        medians = {name: statistics.median(values) * 1000 for name, values in samples.items()}
        base, help_ms = medians["python -c pass"], medians["chefmentor --help"]
        for name, value in medians.items():
            print(f"{name:<34} median {value:7.1f} ms   {value / base:5.1f}x python   {value / help_ms:4.2f}x --help")
        print(f"({args.runs} interleaved runs; load average {os.getloadavg()[0]:.2f})")
        if args.import_profile:
            print("slowest top-level imports of `recipes list` (cumulative ms):")
            for millis, name in _import_profile(commands["chefmentor recipes list"][0], env):
                print(f"  {millis:7.1f}  {name}")


if __name__ == "__main__":
    main()
