"""First install from a fresh copy of the project: the locked uv install (`make install`) against the former
`pip install -e ".[dev]"`, each on an empty download cache and again on a warm one, in one run.

The project's tracked files (plus uv.lock) are copied to a temporary folder; each install builds its own
`.venv` there. `--only uv` skips the pip baseline (it takes minutes on an empty cache).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _copy_project(target: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in [*(n for n in listed.decode().split("\0") if n), "uv.lock"]:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return elapsed


def _uv_install(project: Path, cache: Path) -> float:
    shutil.rmtree(project / ".venv", ignore_errors=True)
    env = {**os.environ, "UV_CACHE_DIR": str(cache), "PIP_CACHE_DIR": str(cache / "pip")}
    return _run(["make", "install"], project, env)


def _uv_server_only(project: Path, cache: Path) -> float:
    """A fresh venv with `uv sync --locked` and no extras: what a server-only deployment installs."""
    venv = project / ".venv"
    shutil.rmtree(venv, ignore_errors=True)
    env = {
        **os.environ,
        "UV_CACHE_DIR": str(cache),
        "UV_PYTHON_DOWNLOADS": "never",
        "PIP_CACHE_DIR": str(cache / "pip"),
    }
    seconds = _run([sys.executable, "-m", "venv", str(venv)], project, env)
    seconds += _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "uv==0.13.9"], project, env)
    return seconds + _run([str(venv / "bin" / "uv"), "sync", "--locked"], project, env)


def _pip_install(project: Path, cache: Path) -> float:
    """The former Makefile: pip resolving the same packages (every extra) without a lock."""
    venv = project / ".venv-pip"
    shutil.rmtree(venv, ignore_errors=True)
    env = {**os.environ, "PIP_CACHE_DIR": str(cache)}
    seconds = _run([sys.executable, "-m", "venv", str(venv)], project, env)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "-e", ".[dev,voice,tui]"]
    return seconds + _run(install, project, env)


def _size(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", choices=("uv", "pip"), help="measure one installer")
    args = parser.parse_args()
    results: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        project = base / "project"
        project.mkdir()
        _copy_project(project)
        if args.only != "pip":
            cache = base / "uv-cache"
            results.append(("uv sync --locked, empty cache", _uv_install(project, cache)))
            results.append(("uv sync --locked, warm cache", _uv_install(project, cache)))
            full_mb = _size(project / ".venv")
            results.append(("uv, no extras (server-only), warm", _uv_server_only(project, cache)))
            server_mb = _size(project / ".venv")
            print(f"venv size: every extra {full_mb:.0f} MB, server-only {server_mb:.0f} MB", flush=True)
        if args.only != "uv":
            cache = base / "pip-cache"
            results.append(("pip install (every extra), empty cache", _pip_install(project, cache)))
            results.append(("pip install (every extra), warm cache", _pip_install(project, cache)))
    reference = results[0][1]  # the locked install on an empty cache: the first `make demo`
    for name, seconds in results:
        print(f"{name:<40} {seconds:7.1f} s   {seconds / reference:5.2f}x the first uv install")
    print(f"(load average {os.getloadavg()[0]:.2f} at the end)")


if __name__ == "__main__":
    main()
