"""deploy/: the compose file parses, names real services, and every env var it sets is a real setting."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from chefmentor.config import _ALIASES, Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
EXTERNAL = {"POSTGRES_PASSWORD", "API_WORKERS", "POSTGRES_USER", "POSTGRES_DB"}


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())


def _is_setting(name: str) -> bool:
    if name in _ALIASES:
        return True
    if not name.startswith("CHEFMENTOR_"):
        return False
    parts = name.removeprefix("CHEFMENTOR_").lower().split("__")
    if len(parts) == 1:
        return parts[0] in Settings.model_fields
    section = Settings.model_fields.get(parts[0])
    return len(parts) == 2 and section is not None and parts[1] in section.annotation.model_fields


def test_compose_has_the_production_services() -> None:
    services = _compose()["services"]
    assert services["postgres"]["image"].startswith("postgres:15")
    assert services["redis"]["image"].startswith("redis:7")
    assert services["api"]["command"][:2] == ["chefmentor", "serve"] and "--workers" in services["api"]["command"]
    assert services["worker"]["command"] == ["chefmentor", "worker"]
    assert services["migrate"]["command"] == ["chefmentor", "db", "upgrade"]
    assert services["api"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "/health/ready" in " ".join(services["api"]["healthcheck"]["test"])


def test_every_app_variable_is_a_real_setting() -> None:
    env = _compose()["x-app-env"]
    unknown = [name for name in env if not _is_setting(name)]
    assert unknown == []
    referenced = set(re.findall(r"\$\{([A-Z0-9_]+)", (DEPLOY / "compose.yaml").read_text()))
    assert referenced - EXTERNAL <= set(env), referenced - EXTERNAL - set(env)


def test_readme_documents_settings_that_exist() -> None:
    text = (DEPLOY / "README.md").read_text()
    documented = set(
        re.findall(r"`((?:CHEFMENTOR|GEMINI|GROQ|CLOUDINARY|SENTRY|POSTHOG|FOODOSCOPE)_[A-Z0-9_]+)`", text)
    )
    assert documented, "the guide lists its variables"
    assert [name for name in documented if not _is_setting(name)] == []
    assert set(_compose()["x-app-env"]) <= documented | {"CHEFMENTOR_OBSERVABILITY__LOG_JSON"}


def test_env_example_only_names_known_variables() -> None:
    names = [line.split("=", 1)[0] for line in (DEPLOY / ".env.example").read_text().splitlines() if "=" in line]
    assert [n for n in names if not (_is_setting(n) or n in EXTERNAL)] == []


def test_cli_commands_used_by_the_deploy_exist() -> None:
    from typer.testing import CliRunner

    from cli.main import app

    for args in (["serve", "--help"], ["worker", "--help"], ["db", "upgrade", "--help"], ["jobs", "run", "--help"]):
        assert CliRunner().invoke(app, args).exit_code == 0, args
