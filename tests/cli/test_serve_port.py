"""`serve` and `make demo` honour the configured port; a busy port is one red line before any banner."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import isolate_cli_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        yield holder.getsockname()[1]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path)
    return CliRunner()


def test_busy_port_from_settings_is_one_line_before_any_banner(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, busy_port: int
) -> None:
    monkeypatch.setenv("CHEFMENTOR_SERVER__PORT", str(busy_port))
    result = runner.invoke(app, ["serve", "--host", "127.0.0.1"])
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"Port {busy_port} is already in use" in lines[0]
    assert f"--port {busy_port + 1}" in lines[0] and f"make demo PORT={busy_port + 1}" in lines[0]
    assert "CHEFMENTOR_URL" not in result.stdout and "ChefMentor X API" not in result.output


def test_busy_port_given_on_the_command_line(runner: CliRunner, busy_port: int) -> None:
    result = runner.invoke(app, ["serve", "--host", "127.0.0.1", "--port", str(busy_port), "--json"])
    assert result.exit_code == 3
    assert f"Port {busy_port}" in result.stdout and '"CONFIG_ERROR"' in result.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("make_args", "expected"), [([], None), (["PORT=18202"], "18202")])
def test_make_demo_passes_a_port_only_when_given(make_args: list[str], expected: str | None) -> None:
    env = {**os.environ, "CHEFMENTOR_SERVER__PORT": "18201"}
    dry = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "demo", *make_args], env=env, capture_output=True, text=True, check=True
    )
    serve_line = next(line for line in dry.stdout.splitlines() if "chefmentor serve" in line)
    if expected is None:
        assert "--port" not in serve_line  # CHEFMENTOR_SERVER__PORT applies
    else:
        assert f"--port {expected}" in serve_line
