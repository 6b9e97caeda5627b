from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import FIXTURES_DIR, TEST_SECRET, isolate_cli_env


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path)
    return CliRunner()


def _json(result: object) -> dict:  # type: ignore[type-arg]
    return json.loads(result.stdout)  # type: ignore[attr-defined]


def test_unmigrated_database_names_the_fix(runner: CliRunner) -> None:
    result = runner.invoke(app, ["recipes", "list"])
    assert result.exit_code == 11
    assert "chefmentor db upgrade" in result.stderr
    assert "Traceback" not in result.output


def test_migrate_seed_list_show_import(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    current = runner.invoke(app, ["--json", "db", "current"])
    assert _json(current)["upToDate"] is True
    first = runner.invoke(app, ["--json", "db", "seed"])
    second = runner.invoke(app, ["--json", "db", "seed"])
    assert _json(first)["created"] == 5
    assert _json(second)["created"] == 0 and _json(second)["unchanged"] == 5

    listing = _json(runner.invoke(app, ["--json", "recipes", "list"]))
    assert listing["total"] == 5 and "estimatedTimeMin" in listing["items"][0]
    shown = _json(runner.invoke(app, ["--json", "recipes", "show", "pancakes"]))
    assert shown["name"] == "Fluffy Buttermilk Pancakes" and shown["steps"][0]["stepNumber"] == 1
    human = runner.invoke(app, ["recipes", "show", "banana"])
    assert human.exit_code == 0 and "Ingredients" in human.stdout

    doc = json.loads((FIXTURES_DIR / "recipes" / "banana-bread.jsonld").read_text())
    doc["name"] = "Walnut Banana Bread"
    path = tmp_path / "walnut.jsonld"
    path.write_text(json.dumps(doc))
    imported = _json(runner.invoke(app, ["--json", "recipes", "import", str(path)]))
    assert imported["created"] == 1
    assert _json(runner.invoke(app, ["--json", "recipes", "list"]))["total"] == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [("{broken", "not valid JSON"), ('{"@type": "Recipe", "name": "X"}', "no recipeInstructions")],
)
def test_malformed_import_is_one_red_line(runner: CliRunner, tmp_path: Path, content: str, message: str) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    path = tmp_path / "bad.jsonld"
    path.write_text(content)
    result = runner.invoke(app, ["recipes", "import", str(path)])
    assert result.exit_code == 4
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _json(runner.invoke(app, ["--json", "recipes", "list"]))["total"] == 0


def test_unknown_recipe_exit_code(runner: CliRunner) -> None:
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(app, ["recipes", "show", "beef wellington"])
    assert result.exit_code == 5 and "No recipe matches" in result.stderr


def test_unreachable_database_is_one_line(runner: CliRunner) -> None:
    url = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
    result = runner.invoke(app, ["--database-url", url, "db", "current"])
    assert result.exit_code == 11
    assert "Cannot connect to the database" in result.stderr and "CHEFMENTOR_DATABASE_URL" in result.stderr
    assert "Traceback" not in result.output


def test_config_show_masks_secrets(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_API_KEY", "gsk_visible_if_broken")
    result = runner.invoke(app, ["--json", "config", "show"])
    assert result.exit_code == 0
    assert "gsk_visible_if_broken" not in result.stdout and TEST_SECRET not in result.stdout
    assert _json(result)["server"]["port"] == 8000


def test_doctor_fails_until_migrated(runner: CliRunner) -> None:
    before = runner.invoke(app, ["--json", "doctor"])
    assert before.exit_code != 0
    checks = {c["name"]: c for c in _json(before)["checks"]}
    assert checks["database"]["status"] == "fail"
    runner.invoke(app, ["db", "upgrade"])
    after = runner.invoke(app, ["--json", "doctor"])
    assert after.exit_code == 0, after.stdout
    assert {c["name"]: c["status"] for c in _json(after)["checks"]}["database"] == "ok"
