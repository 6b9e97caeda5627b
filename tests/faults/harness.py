"""The application under test as an operator runs it: `chefmentor db upgrade`, `db seed`, `chefmentor serve`
(and `chefmentor worker`) as real processes on the private PostgreSQL and Redis, driven over HTTP by httpx."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import TEST_SECRET
from tests.faults.services import free_port
from tests.scaleout.workers import wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "cli.main"]


def app_env(*, home: Path, database_url: str, redis_url: str | None, namespace: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CHEFMENTOR_", "PROMETHEUS_"))}
    env.update(
        {
            "CHEFMENTOR_ENV": "test",
            "CHEFMENTOR_HOME": str(home),
            "CHEFMENTOR_DATABASE_URL": database_url,
            "CHEFMENTOR_REDIS__NAMESPACE": namespace,
            "CHEFMENTOR_JWT_SECRET": TEST_SECRET,
            "CHEFMENTOR_OFFLINE": "1",
            "CHEFMENTOR_AI__PROVIDERS": json.dumps(["local"]),
            "CHEFMENTOR_VOICE__PRELOAD": "0",
            "CHEFMENTOR_OBSERVABILITY__LOG_JSON": "true",
            # Many clients from one loopback address: the default per-client limit would refuse the load.
            "CHEFMENTOR_SERVER__RATE_LIMIT_DEFAULT": "1000000/minute",
            "CHEFMENTOR_SERVER__RATE_LIMIT_EXPENSIVE_IP": "1000000/minute",
            "CHEFMENTOR_SERVER__RATE_LIMIT_DEMO_START": "100000/hour",
            **extra,
        }
    )
    if redis_url:
        env["CHEFMENTOR_REDIS_URL"] = redis_url
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*CLI, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"chefmentor {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return result


class ManagedProcess:
    """A CLI process in its own process group (uvicorn's worker processes included), its output in a file."""

    def __init__(self, args: list[str], env: dict[str, str], log_path: Path) -> None:
        self.args = args
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it; closed when we stop it
        self.process = subprocess.Popen(
            [*CLI, *self.args], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal_group(self, signum: int) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signum)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """kill -9 of the whole group: a crash, no cleanup of any kind."""
        self.signal_group(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 15) -> None:
        if self.process is None:
            return
        self.signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        # A group member that outlived its parent (a uvicorn worker) must not keep the port or the database.
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""


class ApiServer(ManagedProcess):
    """`chefmentor serve` on a free loopback port."""

    def __init__(self, env: dict[str, str], log_path: Path, *, workers: int = 1) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        args = ["serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        super().__init__(args, env, log_path)

    def start(self, *, timeout: float = 60) -> None:
        super().start()
        self.wait_healthy(timeout=timeout)

    def wait_healthy(self, *, timeout: float = 60) -> None:
        wait_until_healthy(
            self.base_url,
            exited=lambda: None if self.alive() else self.log_tail(),
            timeout=timeout,
            probe_timeout=2.0,
        )


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def demo_token(http: httpx.AsyncClient) -> str:
    response = await http.post("/api/demo/start")
    assert response.status_code == 201, response.text
    return str(response.json()["accessToken"])


async def recipe_with_most_steps(http: httpx.AsyncClient) -> dict[str, Any]:
    items = (await http.get("/api/recipes")).json()["items"]
    details = [(await http.get(f"/api/recipes/{item['id']}")).json() for item in items]
    return max(details, key=lambda recipe: len(recipe["steps"]))


async def start_session(http: httpx.AsyncClient, token: str, recipe_id: str) -> str:
    response = await http.post("/api/cooking/start", json={"recipeId": recipe_id}, headers=auth(token))
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def is_error_envelope(response: httpx.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        return False
    error = body.get("error") if isinstance(body, dict) else None
    return body.get("success") is False and isinstance(error, dict) and {"code", "message"} <= error.keys()
