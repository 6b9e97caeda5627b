"""Environment problems are one clear line with their own exit code; read commands create nothing;
doctor reports them as failed checks; piped output is not wrapped at 80 columns."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cli.main import app
from tests.conftest import TEST_SECRET, isolate_cli_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    isolate_cli_env(monkeypatch, tmp_path / "home")
    return CliRunner()


def _envelope(stdout: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(stdout)
    assert document["success"] is False
    return document["error"]  # type: ignore[no-any-return]


def test_nonexistent_folder_is_refused_and_not_created(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "nonexistent" / "dir"
    url = f"sqlite+aiosqlite:///{folder / 'x.db'}"
    for command in (["recipes", "list"], ["db", "upgrade"], ["db", "current"]):
        result = runner.invoke(app, [*command, "--database-url", url, "--json"])
        assert result.exit_code == 13, result.output
        error = _envelope(result.stdout)
        assert error["code"] == "STORAGE_UNAVAILABLE" and str(folder) in error["message"]
    assert not (tmp_path / "nonexistent").exists()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("notaurl", "Invalid database URL"),
        ("mysql://user@localhost/db", "Unsupported database 'mysql'"),
        ("postgresql://user@localhost/db", "postgresql+asyncpg://"),
        ("sqlite:///x.db", "sqlite+aiosqlite://"),
    ],
)
def test_unusable_database_urls_are_config_errors(runner: CliRunner, url: str, words: str) -> None:
    result = runner.invoke(app, ["--database-url", url, "recipes", "list"])
    assert result.exit_code == 3
    assert words in result.stderr and "Unexpected error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_fresh_home_names_upgrade_and_seed_and_creates_no_database(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["recipes", "list"])
    assert result.exit_code == 11
    assert "chefmentor db upgrade" in result.stderr and "chefmentor db seed" in result.stderr
    assert not (tmp_path / "home" / "chefmentor.db").exists()


def test_cook_on_an_empty_database_names_db_seed(runner: CliRunner) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(app, ["cook", "rice"], input="")
    assert result.exit_code == 5
    assert "chefmentor db seed" in result.stderr


def test_doctor_reports_a_bad_url_as_a_failed_check(runner: CliRunner) -> None:
    result = runner.invoke(app, ["doctor", "--json", "--database-url", "mysql://u@h/db"])
    assert result.exit_code == 3
    document = json.loads(result.stdout)
    checks = {check["name"]: check for check in document["checks"]}
    assert document["ok"] is False
    assert checks["database"]["status"] == "fail" and "Unsupported database" in checks["database"]["detail"]
    assert checks["ai:local"]["status"] == "ok"  # the rest still ran


# --- real permissions: run the CLI as an unprivileged user (root ignores file modes) -----------------


def _cli(args: list[str], env: dict[str, str], *, unprivileged: bool = False) -> subprocess.CompletedProcess[str]:
    prefix: list[str] = []
    if unprivileged and os.geteuid() == 0:
        # Root ignores file modes; without these two capabilities it obeys them like any user.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a folder read-only for the CLI")
        prefix = [setpriv, "--bounding-set", "-dac_override,-dac_read_search"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "cli.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _base_env(home: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "SYSTEMROOT")}
    return {**keep, "CHEFMENTOR_HOME": str(home), "CHEFMENTOR_ENV": "test", "HOME": str(home), "COLUMNS": "80"}


@pytest.fixture
def shared_tmp(tmp_path: Path) -> Any:
    yield tmp_path
    for path in [tmp_path, *tmp_path.rglob("*")]:  # let pytest clean up what the test made read-only
        if path.is_dir():
            path.chmod(0o755)
        elif path.is_file():
            path.chmod(0o644)


def test_read_only_home_is_one_line_and_doctor_fails_the_check(shared_tmp: Path) -> None:
    home = shared_tmp / "ro-home"
    home.mkdir()
    home.chmod(0o555)
    env = _base_env(home)  # no JWT secret: dev mode would write one under HOME
    env["CHEFMENTOR_ENV"] = "dev"
    listed = _cli(["recipes", "list"], env, unprivileged=True)
    assert listed.returncode == 13, listed.stderr
    assert "CHEFMENTOR_HOME" in listed.stderr and len(listed.stderr.strip().splitlines()) == 1
    doctor = _cli(["--json", "doctor"], env, unprivileged=True)
    assert doctor.returncode == 3, doctor.stderr
    checks = {c["name"]: c for c in json.loads(doctor.stdout)["checks"]}
    assert checks["home"]["status"] == "fail"


def test_read_only_database_is_named_as_such(shared_tmp: Path) -> None:
    home = shared_tmp / "home"
    env = {**_base_env(home), "CHEFMENTOR_JWT_SECRET": TEST_SECRET}
    assert _cli(["db", "upgrade"], env).returncode == 0
    for path in home.iterdir():
        path.chmod(0o444 if path.is_file() else 0o555)
    home.chmod(0o555)
    result = _cli(["recipes", "list"], env, unprivileged=True)
    assert result.returncode == 13, result.stderr
    assert "read-only" in result.stderr and "db upgrade" not in result.stderr


def test_piped_output_is_not_wrapped_at_80_columns(shared_tmp: Path) -> None:
    home = shared_tmp / ("a-very-long-folder-name-" * 5) / "home"
    env = {**_base_env(home), "CHEFMENTOR_JWT_SECRET": TEST_SECRET}
    shown = _cli(["config", "show"], env)
    assert shown.returncode == 0, shown.stderr
    assert f"CHEFMENTOR_HOME={home}" in shown.stdout.splitlines()
    doctor = _cli(["doctor"], env)
    home_line = next(line for line in doctor.stdout.splitlines() if " home " in line)
    assert str(home) in home_line


def test_database_behind_the_code_names_db_upgrade(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = runner.invoke(app, ["--database-url", f"sqlite+aiosqlite:///{empty}", "recipes", "list"])
    assert result.exit_code == 11 and "chefmentor db upgrade" in result.stderr, result.output
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(app, ["db", "downgrade", "base"]).exit_code == 0
    for command in (["recipes", "list"], ["cook", "rice"], ["db", "seed"]):
        behind = runner.invoke(app, command, input="")
        assert behind.exit_code == 11 and "chefmentor db upgrade" in behind.stderr, (command, behind.output)


def test_empty_recipe_list_names_db_seed(runner: CliRunner) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    empty = runner.invoke(app, ["recipes", "list"])
    assert empty.exit_code == 0 and "chefmentor db seed" in empty.stderr
    searched = runner.invoke(app, ["recipes", "list", "--search", "pho"])
    assert "db seed" not in searched.stderr  # a search that finds nothing is not a dead end


def test_piped_tables_keep_ids_whole(shared_tmp: Path) -> None:
    home = shared_tmp / "home"
    env = {**_base_env(home), "CHEFMENTOR_JWT_SECRET": TEST_SECRET}
    env.pop("COLUMNS")
    for setup in (["db", "upgrade"], ["db", "seed"]):
        assert _cli(setup, env).returncode == 0
    listed = _cli(["recipes", "list"], env)
    ids = [r["id"] for r in json.loads(_cli(["--json", "recipes", "list"], env).stdout)["items"]]
    assert ids and all(recipe_id in listed.stdout for recipe_id in ids)  # no id folded over two lines
    assert "Perfect Stovetop Rice" in listed.stdout
