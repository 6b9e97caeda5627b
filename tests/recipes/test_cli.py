"""`chefmentor recipes import` of many files and folders, and `recipes show --yield/--scale`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import isolate_cli_env

PAGES = Path(__file__).parent / "data" / "pages"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path / "home")
    cli = CliRunner()
    assert cli.invoke(app, ["db", "upgrade"]).exit_code == 0
    return cli


def _cookies(folder: Path) -> Path:
    path = folder / "cookies.jsonld"
    doc = {
        "@type": "Recipe",
        "name": "Chewy Cookies",
        "url": "https://cookies.example/chewy",
        "recipeYield": ["24", "24 cookies"],
        "recipeIngredient": ["For the dough:", "1 cup butter", "2 eggs", "1 1/2 tsp baking soda", "pinch of salt"],
        "recipeInstructions": [{"@type": "HowToSection", "name": "Bake", "itemListElement": ["Bake 10 minutes."]}],
    }
    path.write_text(json.dumps(doc))
    return path


def test_import_files_and_folders_with_json_results(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    for name in ("kingarthur", "feastingathome", "feastingathome_2", "eatwell101"):
        (folder / f"{name}.jsonld").write_bytes((PAGES / f"{name}.jsonld").read_bytes())
    (folder / "bad.json").write_text("{nope")
    extra = _cookies(tmp_path)
    result = runner.invoke(app, ["--json", "recipes", "import", str(folder), str(extra)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["files"], data["imported"], data["unchanged"], data["skipped"], data["created"]) == (6, 3, 1, 2, 3)
    by_file = {Path(r["path"]).name: r for r in data["results"]}
    assert by_file["bad.json"]["status"] == "skipped" and "not valid JSON" in by_file["bad.json"]["reason"]
    assert by_file["feastingathome_2.jsonld"]["recipes"][0]["outcome"] == "unchanged"
    assert by_file["cookies.jsonld"]["recipes"][0]["slug"] == "chewy-cookies"

    human = runner.invoke(app, ["recipes", "import", str(folder), str(extra)])
    assert human.exit_code == 0
    assert "6 files: 0 imported" in human.stderr and "4 unchanged, 2 skipped" in human.stderr
    assert "bad.json" in human.stdout and "eatwell101" in human.stdout


def test_only_bad_files_exit_non_zero(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "a.jsonld").write_text("{")
    (tmp_path / "b.jsonld").write_text('{"@type": "Recipe"}')
    result = runner.invoke(app, ["recipes", "import", str(tmp_path / "a.jsonld"), str(tmp_path / "b.jsonld")])
    assert result.exit_code == 2 and "0 imported" in result.stderr and "has no name" in result.stdout


def test_show_scaled_to_a_yield(runner: CliRunner, tmp_path: Path) -> None:
    assert runner.invoke(app, ["recipes", "import", str(_cookies(tmp_path))]).exit_code == 0
    shown = json.loads(runner.invoke(app, ["--json", "recipes", "show", "chewy", "--yield", "36"]).stdout)
    assert (shown["yieldQuantity"], shown["yieldUnit"], shown["yieldText"]) == (36, "cookies", "36 cookies")
    amounts = {i["name"]: (i["quantity"], i["text"]) for i in shown["ingredients"]}
    assert amounts["butter"] == (1.5, "1 1/2 cup butter") and amounts["eggs"] == (3, "3 eggs")
    assert amounts["baking soda"][0] == 2.25 and amounts["salt"] == (None, "pinch of salt")
    human = runner.invoke(app, ["recipes", "show", "chewy", "--scale", "0.5"])
    assert human.exit_code == 0 and "For the dough" in human.stdout and "makes 12 cookies" in human.stdout
    bad = runner.invoke(app, ["recipes", "show", "chewy", "--scale", "500"])
    assert bad.exit_code == 4 and "between" in bad.stderr
