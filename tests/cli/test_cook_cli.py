"""`chefmentor cook`: finish asks first, unfinished sessions are offered back, the prompt follows the reply."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from cli.cook_display import CookDisplay, PromptingEar
from cli.main import app
from tests.conftest import TEST_SECRET, isolate_cli_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "seed"]).exit_code == 0
    return runner


def _cook(runner: CliRunner, lines: str, *extra: str) -> dict[str, Any]:
    result = runner.invoke(app, ["cook", "rice", "--json", *extra], input=lines)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_finish_before_the_last_step_asks_and_no_keeps_cooking(runner: CliRunner) -> None:
    kept = _cook(runner, "next\nfinish\nno\n")
    assert kept["finished"] is False and kept["currentStep"] == 2
    asked = kept["turns"][1]
    assert asked["intent"] == "finish" and asked["finished"] is False and "step 2 of 6" in asked["reply"]
    done = _cook(runner, "finish\nyes\n", "--new")
    assert done["finished"] is True


def test_finish_on_the_last_step_needs_no_confirmation(runner: CliRunner) -> None:
    done = _cook(runner, "go to step 6\nfinish\n")
    assert done["finished"] is True and done["currentStep"] == 6


def test_paused_title_is_shown_literally(runner: CliRunner) -> None:
    result = runner.invoke(app, ["cook", "rice"], input="pause\n", terminal_width=100)
    assert result.exit_code == 0, result.output
    assert "[paused]" in result.stderr


def test_unfinished_session_is_offered_back(runner: CliRunner) -> None:
    first = runner.invoke(app, ["cook", "rice"], input="next\n")
    assert first.exit_code == 0
    session_id = json.loads(runner.invoke(app, ["cook", "rice", "--resume", "--json"], input="").stdout)["sessionId"]
    assert f"chefmentor cook --session {session_id}" in first.stderr
    resumed = _cook(runner, "", "--resume")
    assert resumed["sessionId"] == session_id and resumed["currentStep"] == 2
    fresh = runner.invoke(app, ["cook", "rice"], input="")
    assert "unfinished session of Perfect Stovetop Rice at step 2 of 6" in fresh.stderr
    assert "--resume" in fresh.stderr


def test_interactive_cook_is_asked_whether_to_resume(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    first = _cook(runner, "next\n")
    monkeypatch.setattr("cli.commands.cook._ask_resume", _answer(True))
    monkeypatch.setattr("cli.commands.cook.stdin_is_terminal", lambda: True)
    result = runner.invoke(app, ["cook", "rice"], input="")
    assert first["sessionId"] in result.stderr  # "Session kept open ... --session <same id>"


def _answer(value: bool) -> Any:
    async def ask(match: Any) -> bool:
        assert match.current_step == 2
        return value

    return ask


def test_ctrl_c_prints_the_resume_hint(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CHEFMENTOR_HOME": str(tmp_path),
        "CHEFMENTOR_ENV": "test",
        "CHEFMENTOR_JWT_SECRET": TEST_SECRET,
    }
    env.pop("CHEFMENTOR_DATABASE_URL", None)
    env.pop("CHEFMENTOR_REDIS_URL", None)
    for step in (["db", "upgrade"], ["db", "seed"]):
        subprocess.run([sys.executable, "-m", "cli.main", *step], cwd=ROOT, env=env, check=True, capture_output=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "cook", "rice"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    while "Let's cook" not in process.stderr.readline():
        assert time.monotonic() < deadline and process.poll() is None
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "Interrupted" in rest and "chefmentor cook --session " in rest


def _display(*, interactive: bool = True) -> tuple[CookDisplay, io.StringIO]:
    display = CookDisplay(live=False, quiet=False, interactive=interactive)
    buffer = io.StringIO()
    display.console = Console(file=buffer, width=60, force_terminal=False, soft_wrap=True)
    return display, buffer


class _ScriptedEar:
    def __init__(self, *lines: str | None) -> None:
        self.lines = list(lines)

    def listen(self, timeout: float) -> Any:
        del timeout
        line = self.lines.pop(0)
        return None if line is None else SimpleNamespace(text=line)

    def close(self) -> None:
        return None


def test_prompt_comes_after_the_reply_and_later_output_moves_below_it() -> None:
    display, buffer = _display()
    ear = PromptingEar(_ScriptedEar(None, "next"), display)
    display.say("Step 1 of 6. Rinse the rice until the water runs clear and the grains look glossy.")
    assert ear.listen(0.1) is None
    display.say("Time's up: your rice timer is done.")
    assert ear.listen(0.1).text == "next"  # type: ignore[union-attr]
    display.say("Step 2 of 6.")
    lines = buffer.getvalue().splitlines()
    assert lines[0].startswith("ChefMentor: Step 1 of 6.") and lines[0].endswith("look glossy.")
    assert lines[1] == "> " and lines[2] == "ChefMentor: Time's up: your rice timer is done."
    assert lines[3].startswith("> ChefMentor: Step 2")  # the cook's Enter ended the prompt line (not echoed here)


def test_no_prompt_when_not_interactive() -> None:
    display, buffer = _display(interactive=False)
    ear = PromptingEar(_ScriptedEar(None), display)
    ear.listen(0.1)
    assert buffer.getvalue() == ""
