"""Start real uvicorn API processes on loopback ports for scale-out tests and benchmarks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_env(
    *, home: Path, database_url: str, redis_url: str | None, namespace: str, jwt_secret: str, extra: dict[str, str]
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHEFMENTOR_", "PROMETHEUS_"))}
    env.update(
        {
            "CHEFMENTOR_ENV": "test",
            "CHEFMENTOR_HOME": str(home),
            "CHEFMENTOR_DATABASE_URL": database_url,
            "CHEFMENTOR_REDIS__NAMESPACE": namespace,
            "CHEFMENTOR_JWT_SECRET": jwt_secret,
            "CHEFMENTOR_AI__PROVIDERS": json.dumps(["local"]),
            "CHEFMENTOR_VOICE__PRELOAD": "0",
            "CHEFMENTOR_OBSERVABILITY__LOG_JSON": "true",
            **extra,
        }
    )
    if redis_url:
        env["CHEFMENTOR_REDIS_URL"] = redis_url
    return env


def wait_until_healthy(
    base_url: str, *, exited: Callable[[], str | None], timeout: float = 60.0, probe_timeout: float = 1.0
) -> None:
    """Poll GET /health until 200; `exited()` returns the process's output once it has died (then: RuntimeError)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = exited()
        if output is not None:
            raise RuntimeError(f"API process exited:\n{output}")
        try:
            if httpx.get(f"{base_url}/health", timeout=probe_timeout).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base_url} did not become healthy after {timeout} s")


def wait_healthy(base_url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    def exited() -> str | None:
        if process.poll() is None:
            return None
        out = process.stdout.read().decode(errors="replace") if process.stdout else ""
        return f"exit code {process.returncode}\n{out[-3000:]}"

    wait_until_healthy(base_url, exited=exited, timeout=timeout)


@contextmanager
def api_processes(env: dict[str, str], count: int = 2, *, workers: int = 1) -> Iterator[list[str]]:
    """`count` separate processes (one port each), or one `chefmentor serve --workers N` when workers > 1."""
    processes: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    try:
        for _ in range(count):
            port = free_port()
            if workers > 1:
                cmd = [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)]
                cmd += ["--workers", str(workers)]
            else:
                cmd = [sys.executable, "-m", "uvicorn", "server.app:create_app", "--factory", "--host", "127.0.0.1"]
                cmd += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
            process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            processes.append(process)
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_healthy(url, process)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
