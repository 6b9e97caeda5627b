"""Clients generated from the live server's /openapi.json by openapi-typescript (+ openapi-fetch, tsc --strict) and
openapi-python-client run the mobile app's whole flow against `chefmentor serve` on a free port, uploads included.

The example flows (clients/ts/src/flow.ts, clients/python/flow.py) are written only against the generated types.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
PHOTO = ROOT / "fixtures" / "eval" / "media" / "golden_pancake.jpg"
FLOW_STEPS = ("recipe", "steps", "session", "analysis", "status", "category", "sessionsCooked", "history")

pytestmark = pytest.mark.slow


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("clients_generate", CLIENTS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env, check=True, capture_output=True)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("live-home")
    env = {
        **os.environ,
        "CHEFMENTOR_HOME": str(home),
        "CHEFMENTOR_VOICE__PRELOAD": "false",
        "CHEFMENTOR_DATABASE_URL": f"sqlite+aiosqlite:///{home / 'chefmentor.db'}",
    }
    env.pop("CHEFMENTOR_REDIS_URL", None)
    _cli(env, "db", "upgrade")
    _cli(env, "db", "seed")
    port = _free_port()
    log = (home / "serve.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "cli.main", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chefmentor serve did not start: {(home / 'serve.log').read_text()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()


@pytest.fixture(scope="module")
def document(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target: Path = _generator().export_document(url=live_server, target=tmp_path_factory.mktemp("doc") / "openapi.json")
    return target


def _check_flow_output(stdout: str) -> dict[str, object]:
    seen: dict[str, object] = json.loads(stdout.strip().splitlines()[-1])
    assert set(FLOW_STEPS) <= set(seen), seen
    assert isinstance(seen["steps"], int) and seen["steps"] > 0
    assert seen["status"] in ("completed", "pending")
    assert seen["sessionsCooked"] == 1 and seen["history"] == 1 and seen["editable"] is False
    return seen


def test_typescript_flow_compiles_strictly_without_casts_and_runs(live_server: str, document: Path) -> None:
    source = (CLIENTS / "ts" / "src" / "flow.ts").read_text()
    code = re.sub(r"//.*", "", source)
    assert not re.search(r"\bas\s+(?!const\b)|\bany\b|@ts-|<\w+>\s*\w", code), "the flow uses only generated types"
    assert json.loads((CLIENTS / "ts" / "tsconfig.json").read_text())["compilerOptions"]["strict"] is True
    flow = _generator().typescript(document)
    done = subprocess.run(
        ["node", str(flow), live_server, str(PHOTO)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    _check_flow_output(done.stdout)


def test_python_flow_runs_with_the_generated_client(live_server: str, document: Path) -> None:
    generator = _generator()
    build = generator.python_client(document)
    python = generator.generator_python()
    done = subprocess.run(  # noqa: S603
        [str(python), str(CLIENTS / "python" / "flow.py"), live_server, str(PHOTO)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONPATH": str(build)},
    )
    assert done.returncode == 0, done.stderr + done.stdout
    _check_flow_output(done.stdout)
