"""`chefmentor diagnose`: JSON contract, Rich panel, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.commands.diagnose import confidence_bar
from cli.main import app
from tests.conftest import isolate_cli_env
from tests.media.builders import jpeg_with_gps_and_orientation, windows_exe

CONTRACT_KEYS = {
    "id", "category", "rootCause", "explanation", "evidence", "suspectedStep", "fixNow", "nextTime",
    "confidence", "safety", "provider", "model", "attempts", "mediaUrl", "createdAt",
}  # fmt: skip


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    return runner


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "dish.jpg"
    path.write_bytes(jpeg_with_gps_and_orientation(320, 240))
    return path


def test_json_is_one_contract_document(runner: CliRunner, photo: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--json", "--offline", "diagnose", str(photo), "--dish", "steak", "--notes", "grey"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert CONTRACT_KEYS <= set(doc)
    assert doc["provider"] == "local" and doc["status"] == "completed"
    assert [a["provider"] for a in doc["attempts"]] == ["local"]
    assert Path(doc["mediaPath"]).is_file() and Path(doc["mediaPath"]).parent == tmp_path / "media"


def test_panel_shows_category_confidence_and_fixes(runner: CliRunner, photo: Path) -> None:
    result = runner.invoke(
        app, ["--offline", "diagnose", str(photo), "--notes", "burnt outside and raw inside, the pan was smoking"]
    )
    assert result.exit_code == 0, result.output
    assert "Diagnosis" in result.stdout and "Root cause" in result.stdout and "%" in result.stdout


def test_a_renamed_executable_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    fake = tmp_path / "dish.jpg"
    fake.write_bytes(windows_exe())
    result = runner.invoke(app, ["diagnose", str(fake)])
    assert result.exit_code == 9
    assert "Only JPG, PNG and MP4" in result.stderr


def test_a_provider_without_key_saves_a_pending_analysis(runner: CliRunner, photo: Path) -> None:
    result = runner.invoke(app, ["diagnose", str(photo), "--provider", "gemini"])
    assert result.exit_code == 11
    assert "GEMINI_API_KEY" in result.stderr and "pending" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", "missing.jpg"],
        ["diagnose", "{photo}", "--provider", "openai"],
        ["diagnose", "{photo}", "--session", "not-a-uuid"],
        ["--offline", "diagnose", "{photo}", "--provider", "groq"],
    ],
)
def test_usage_errors(runner: CliRunner, photo: Path, args: list[str]) -> None:
    result = runner.invoke(app, [arg.replace("{photo}", str(photo)) for arg in args])
    assert result.exit_code == 2


def test_confidence_bar() -> None:
    assert confidence_bar(0.5, width=10) == "█████░░░░░ 50%"
    assert confidence_bar(0.0, width=4) == "░░░░ 0%"
