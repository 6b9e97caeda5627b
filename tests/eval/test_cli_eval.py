"""`chefmentor eval run --json` / `eval compare`: output, gate exit codes, invalid files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import isolate_cli_env
from tests.eval.conftest import WriteCases, case


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path / "home")
    return CliRunner()


@pytest.fixture
def cases_file(write_cases: WriteCases) -> Path:
    return write_cases([
        case("burnt", "heat_too_high", "black crust, smoke everywhere, raw in the middle"),
        case("bland", "seasoning_off", "bland and tasteless", dish="soup"),
        case("vague", "unknown", "it was fine"),
        case("trap", "overmixed", "it was fine"),
    ])  # fmt: skip


def test_run_json_document_and_gate(runner: CliRunner, cases_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["--json", "--offline", "eval", "run", str(cases_file), "--report",
                                 str(tmp_path / "out.html")])  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["provider"] == "local" and doc["accuracy"] == 0.75
    assert [c["predicted"] for c in doc["cases"]] == ["heat_too_high", "seasoning_off", "unknown", "unknown"]
    assert (tmp_path / "out.html").read_text().startswith("<!doctype html>")
    failed = runner.invoke(app, ["--json", "--offline", "eval", "run", str(cases_file), "--min-accuracy", "0.8"])
    assert failed.exit_code == 1
    assert json.loads(failed.stdout)["gate"]["passed"] is False
    assert "Gate failed" in failed.stderr and "accuracy 0.750 < 0.8" in failed.stderr
    passed = runner.invoke(app, ["--json", "--offline", "eval", "run", str(cases_file), "--min-accuracy", "0.7",
                                 "--min-macro-f1", "0.5"])  # fmt: skip
    assert passed.exit_code == 0
    assert json.loads(passed.stdout)["cached"] == 4


def test_invalid_file_refuses_then_skip_invalid_runs(runner: CliRunner, write_cases: WriteCases) -> None:
    path = write_cases([case("a", "seasoning_off", "bland"), '{"id": "b"}'])
    refused = runner.invoke(app, ["--json", "eval", "run", str(path)])
    assert refused.exit_code == 4
    assert "line 2" in refused.stderr
    # --json: stdout holds exactly the error envelope (CONTRACTS.md), diagnostics stay on stderr
    envelope = json.loads(refused.stdout)
    assert envelope["success"] is False and envelope["error"]["code"] == "VALIDATION_ERROR"
    assert "line 2" in envelope["error"]["message"]
    skipped = runner.invoke(app, ["--json", "eval", "run", str(path), "--skip-invalid", "--no-cache"])
    assert skipped.exit_code == 0
    doc = json.loads(skipped.stdout)
    assert doc["total"] == 1 and doc["skippedLines"][0]["line"] == 2


def test_offline_refuses_network_providers(runner: CliRunner, cases_file: Path) -> None:
    result = runner.invoke(app, ["--offline", "eval", "run", str(cases_file), "--provider", "gemini"])
    assert result.exit_code == 3 and "offline" in result.stderr


def test_compare_reports(runner: CliRunner, cases_file: Path, tmp_path: Path, write_cases: WriteCases) -> None:
    first = tmp_path / "a.json"
    assert runner.invoke(app, ["--offline", "eval", "run", str(cases_file), "--report", str(first)]).exit_code == 0
    result = runner.invoke(app, ["--json", "eval", "compare", str(first), str(first)])
    assert result.exit_code == 0
    comparison = json.loads(result.stdout)["comparisons"][0]
    assert comparison["fixed"] == [] and comparison["broken"] == [] and comparison["shared"] == 4
    assert runner.invoke(app, ["eval", "compare", str(first), str(tmp_path / "missing.json")]).exit_code == 4
