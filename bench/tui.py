"""`chefmentor tui` time to first screen ready, against `python -c pass` and `chefmentor --help`.

"Ready" = a fresh process has imported the app, opened the context on a migrated SQLite database
with the 5 bundled recipes, checked the migration, mounted Home and filled the recipe list (headless,
`App.run_test`, 100×32). Each sample is a new process, timed from spawn; runs are interleaved so
machine noise hits all three alike. Target: under 1 s.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 7
TARGET_MS = 1000.0
PROBE_TIMEOUT_SECONDS = 60

# Just importing what any Textual app on this database needs: the part of "ready" the TUI cannot avoid.
FLOOR = "import textual.app, textual.widgets, sqlalchemy.ext.asyncio, aiosqlite, chefmentor.config, chefmentor.context"

PROBE = """
import asyncio, sys, time
from cli.runner import build_settings
from cli.state import CliState
from cli.tui.app import ChefMentorApp
from cli.tui.screens.home import HomeScreen

async def main() -> None:
    app = ChefMentorApp(build_settings(CliState()))
    async with app.run_test(size=(100, 32)) as pilot:
        while not (isinstance(app.screen, HomeScreen) and app.screen.loaded and app.screen.recipes):
            if app.startup_error:
                sys.exit("startup error: " + app.startup_error)
            await pilot.pause(0.005)
        print(time.time(), len(app.screen.recipes), flush=True)
        app.exit()

asyncio.run(main())
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHEFMENTOR_")}
    env["CHEFMENTOR_HOME"] = str(home)
    env["CHEFMENTOR_DATABASE_URL"] = f"sqlite+aiosqlite:///{home / 'bench.db'}"
    return env


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        cmd,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def _time_tui(env: dict[str, str]) -> tuple[float, float]:
    """(spawn → Home ready, spawn → process exited), in seconds."""
    spawned = time.time()
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    total = time.perf_counter() - start
    if out.returncode != 0:
        raise SystemExit(f"TUI probe failed:\n{out.stderr[-2000:]}")
    ready_at, count = out.stdout.split()
    if int(count) != 5:
        raise SystemExit(f"expected the 5 bundled recipes, the list shows {count}")
    return float(ready_at) - spawned, total


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="cmx-bench-tui-") as tmp:
        home = Path(tmp)
        env = _env(home)
        cli = [sys.executable, "-m", "cli.main"]
        subprocess.run([*cli, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*cli, "db", "seed"], cwd=ROOT, env=env, check=True, capture_output=True)
        baseline_cmd = [sys.executable, "-c", "pass"]
        floor_cmd = [sys.executable, "-c", FLOOR]
        help_cmd = [*cli, "--help"]
        _time(help_cmd, env)  # warm the file cache and bytecode
        _time_tui(env)
        baseline: list[float] = []
        floors: list[float] = []
        helps: list[float] = []
        ready: list[float] = []
        exited: list[float] = []
        for _ in range(RUNS):
            baseline.append(_time(baseline_cmd, env))
            floors.append(_time(floor_cmd, env))
            helps.append(_time(help_cmd, env))
            to_ready, to_exit = _time_tui(env)
            ready.append(to_ready)
            exited.append(to_exit)
    base_ms = statistics.median(baseline) * 1000
    help_ms = statistics.median(helps) * 1000
    floor_ms = statistics.median(floors) * 1000
    ready_ms = statistics.median(ready) * 1000
    print(f"python -c pass                 median {base_ms:7.1f} ms")
    print(f"chefmentor --help              median {help_ms:7.1f} ms   ({help_ms / base_ms:4.1f}x python)")
    print(f"import floor (textual+sqla+db) median {floor_ms:7.1f} ms   ({floor_ms / base_ms:4.1f}x python)")
    print(
        f"chefmentor tui: Home ready     median {ready_ms:7.1f} ms   ({ready_ms / base_ms:4.1f}x python, "
        f"{ready_ms / help_ms:4.1f}x --help)   max {max(ready) * 1000:7.1f} ms"
    )
    print(f"chefmentor tui: process exit   median {statistics.median(exited) * 1000:7.1f} ms")
    print(f"load average while measuring: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    verdict = "meets" if ready_ms < TARGET_MS else "MISSES"
    print(f"target < {TARGET_MS:.0f} ms to first screen ready: {verdict} (over {RUNS} interleaved runs)")


if __name__ == "__main__":
    main()
