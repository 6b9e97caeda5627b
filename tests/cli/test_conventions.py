"""CLI conventions: --version, -h, global options anywhere, one JSON envelope on failure, plain help."""

from __future__ import annotations

import json
import re
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app, hoist_global_options
from tests.conftest import isolate_cli_env


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path)
    return CliRunner()


def _one_document(stdout: str) -> dict:  # type: ignore[type-arg]
    lines = [line for line in stdout.splitlines() if line.strip()]
    assert len(lines) == 1, stdout
    return json.loads(lines[0])  # type: ignore[no-any-return]


def test_version_prints_the_installed_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"chefmentor {version('chefmentor')}"


@pytest.mark.parametrize("args", [["-h"], ["recipes", "-h"], ["cook", "-h"], ["db", "upgrade", "-h"]])
def test_short_help_everywhere(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


@pytest.mark.parametrize("args", [["--help"], ["cook", "--help"], ["diagnose", "--help"], ["eval", "run", "--help"]])
def test_help_shows_no_type_placeholder_for_flags(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args, terminal_width=200)
    assert result.exit_code == 0
    assert "<bool>" not in result.stdout


def test_options_that_take_a_value_still_show_their_type(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--help"], terminal_width=200)
    assert re.search(r"--env-file\s+<path>", result.stdout) and re.search(r"--json\s+Print", result.stdout)


@pytest.mark.parametrize(
    "command",
    [
        ["recipes", "list", "--json"],
        ["recipes", "--json", "list"],
        ["--json", "recipes", "list"],
        ["recipes", "list", "--database-url", "notaurl", "--json"],
    ],
)
def test_global_options_before_or_after_the_command(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, command)
    assert result.exit_code != 0 and "No such option" not in result.output
    envelope = _one_document(result.stdout)
    assert envelope["success"] is False and envelope["error"]["code"] in ("SERVICE_UNAVAILABLE", "CONFIG_ERROR")
    assert envelope["error"]["message"] and "Traceback" not in result.output


def test_json_failure_is_the_api_envelope_with_the_error_exit_code(runner: CliRunner) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["recipes", "show", "no such dish at all", "--json"])
    assert result.exit_code == 5
    assert _one_document(result.stdout) == {
        "success": False,
        "error": {"code": "NOT_FOUND", "message": _one_document(result.stdout)["error"]["message"]},
    }
    assert "No recipe matches" in result.stderr


def test_usage_error_with_json_is_an_envelope_too(runner: CliRunner) -> None:
    result = runner.invoke(app, ["recipes", "lst", "--json"])
    assert result.exit_code == 2
    envelope = _one_document(result.stdout)
    assert envelope["error"]["code"] == "USAGE_ERROR" and "lst" in envelope["error"]["message"]


def test_without_json_stdout_stays_empty_on_failure(runner: CliRunner) -> None:
    result = runner.invoke(app, ["recipes", "list"])
    assert result.exit_code == 11 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1


def test_values_after_double_dash_are_not_options() -> None:
    assert hoist_global_options(["voice", "understand", "--", "--json"]) == ["voice", "understand", "--", "--json"]
    assert hoist_global_options(["recipes", "list", "--database-url", "x", "--json"]) == [
        "--database-url",
        "x",
        "--json",
        "recipes",
        "list",
    ]
    assert hoist_global_options(["db", "current", "--env-file=a.env"]) == ["--env-file=a.env", "db", "current"]


def test_config_show_json_is_camel_case_and_masked(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk_visible_if_broken")
    monkeypatch.setenv("CHEFMENTOR_SERVER__PORT", "18201")
    document = _one_document(runner.invoke(app, ["config", "show", "--json"]).stdout)
    assert document["server"]["port"] == 18201
    assert "poolSize" in document["db"] and "pool_size" not in document["db"]
    assert "gsk_visible_if_broken" not in json.dumps(document)


def test_config_show_prints_env_lines(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEFMENTOR_SERVER__PORT", "18201")
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-visible-if-broken")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "CHEFMENTOR_SERVER__PORT=18201" in lines
    assert all(re.fullmatch(r"CHEFMENTOR_[A-Z0-9_]+=.*", line) for line in lines), lines
    assert "AIza-visible-if-broken" not in result.stdout
    assert not any(line.startswith("{") or "'" in line.split("=", 1)[0] for line in lines)


def test_eval_compare_says_why_latency_is_missing(runner: CliRunner, tmp_path: Path) -> None:
    def report(latency: dict[str, float | None], cached: int) -> Path:
        path = tmp_path / f"r{cached}.json"
        case = {"id": "c1", "expected": "heat_too_high", "predicted": "heat_too_high", "correct": True}
        doc = {"provider": "local", "model": "m", "total": 1, "accuracy": 1.0, "cached": cached,
               "latencyMs": latency, "cases": [case]}  # fmt: skip
        path.write_text(json.dumps(doc))
        return path

    measured = report({"p50": 91.25, "p95": 99.5}, cached=0)
    replayed = report({"p50": None, "p95": None}, cached=1)
    result = runner.invoke(app, ["eval", "compare", str(measured), str(replayed)], terminal_width=160)
    assert result.exit_code == 0, result.output
    assert "None" not in result.stdout
    assert "91.250" in result.stdout and "n/a" in result.stdout and "--no-cache" in result.stdout


def test_tui_without_the_tui_extra_names_what_to_install(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for name in [m for m in sys.modules if m == "textual" or m.startswith(("textual.", "cli.tui"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "textual", None)  # what a server-only install looks like to `import`
    result = runner.invoke(app, ["tui"])
    assert result.exit_code == 3
    assert "chefmentor[tui]" in result.stderr and "Unexpected" not in result.stderr


def test_server_and_cli_start_without_importing_voice_engines_or_the_tui(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.conftest import TEST_SECRET

    code = "from server.app import create_app; create_app(); import cli.main"
    env = {"CHEFMENTOR_HOME": str(tmp_path), "CHEFMENTOR_ENV": "test", "CHEFMENTOR_JWT_SECRET": TEST_SECRET}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**env, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    optional = {"faster_whisper", "ctranslate2", "piper", "onnxruntime", "sounddevice", "textual"}
    assert not optional & imported  # a server-only install (no voice/tui extras) can start
