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


def test_a_provider_without_key_is_refused_with_a_coherent_hint(runner: CliRunner, photo: Path) -> None:
    result = runner.invoke(app, ["diagnose", str(photo), "--provider", "gemini", "--json"])
    assert result.exit_code == 3
    message = json.loads(result.stdout)["error"]["message"]
    assert "GEMINI_API_KEY" in message and "--provider local" in message and "--offline" not in message
    pending = json.loads(runner.invoke(app, ["diagnose", "--pending", "--json"]).stdout)
    assert pending["total"] == 0  # nothing half-done was stored


def test_failed_diagnosis_can_be_listed_and_retried(
    runner: CliRunner, photo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Gemini alone, with a key, at a port where nothing listens: the upload is kept as a pending analysis.
    monkeypatch.setenv("GEMINI_API_KEY", "test-key")
    monkeypatch.setenv("CHEFMENTOR_AI__GEMINI_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("CHEFMENTOR_AI__MAX_ATTEMPTS", "1")
    monkeypatch.setenv("CHEFMENTOR_AI__TIMEOUT_SECONDS", "3")
    failed = runner.invoke(app, ["diagnose", str(photo), "--provider", "gemini", "--dish", "toast"])
    assert failed.exit_code == 11, failed.output
    pending = json.loads(runner.invoke(app, ["diagnose", "--pending", "--json"]).stdout)
    assert pending["total"] == 1 and pending["items"][0]["dish"] == "toast"
    analysis_id = pending["items"][0]["id"]
    assert f"chefmentor diagnose --retry {analysis_id}" in failed.stderr and "POST /api" not in failed.stderr

    listed = runner.invoke(app, ["diagnose", "--pending"])
    assert analysis_id in listed.stdout and "--retry ID" in listed.stdout
    retried = runner.invoke(app, ["diagnose", "--retry", analysis_id, "--provider", "local", "--json"])
    assert retried.exit_code == 0, retried.output
    document = json.loads(retried.stdout)
    assert document["id"] == analysis_id and document["status"] == "completed" and document["provider"] == "local"
    assert json.loads(runner.invoke(app, ["diagnose", "--pending", "--json"]).stdout)["total"] == 0
    again = runner.invoke(app, ["diagnose", "--retry", analysis_id, "--provider", "local"])
    assert again.exit_code == 6  # a completed analysis is not re-run


@pytest.mark.parametrize(
    "args",
    [
        ["diagnose", "missing.jpg"],
        ["diagnose", "{photo}", "--provider", "openai"],
        ["diagnose", "{photo}", "--session", "not-a-uuid"],
        ["--offline", "diagnose", "{photo}", "--provider", "groq"],
        ["diagnose"],
        ["diagnose", "--retry", "not-a-uuid"],
        ["diagnose", "{photo}", "--retry", "8acdd496-743b-4765-9357-8dbfd186fa0d"],
    ],
)
def test_usage_errors(runner: CliRunner, photo: Path, args: list[str]) -> None:
    result = runner.invoke(app, [arg.replace("{photo}", str(photo)) for arg in args])
    assert result.exit_code == 2


def test_confidence_bar() -> None:
    assert confidence_bar(0.5, width=10) == "█████░░░░░ 50%"
    assert confidence_bar(0.0, width=4) == "░░░░ 0%"
