from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from chefmentor.config import load_settings, masked_dump
from chefmentor.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for key in list(os.environ):
        if key.startswith("CHEFMENTOR_") or key in ("GEMINI_API_KEY", "GROQ_API_KEY", "CLOUDINARY_URL"):
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("CHEFMENTOR_HOME", str(tmp_path))


def test_defaults_use_sqlite_under_home(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.database_url == f"sqlite+aiosqlite:///{tmp_path / 'chefmentor.db'}"
    assert settings.media_dir == tmp_path / "media"
    assert settings.redis.url is None


def test_env_prefix_nested_and_aliases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEFMENTOR_SERVER__PORT", "9123")
    monkeypatch.setenv("CHEFMENTOR_DATABASE_URL", "postgresql+asyncpg://u:pw@db:5432/x")
    monkeypatch.setenv("CHEFMENTOR_REDIS_URL", "redis://r:6379/1")
    monkeypatch.setenv("GEMINI_API_KEY", "g-key")
    settings = load_settings()
    assert settings.server.port == 9123
    assert settings.database_url.endswith("@db:5432/x")
    assert settings.redis.url == "redis://r:6379/1"
    assert settings.ai.gemini_api_key is not None
    assert settings.ai.gemini_api_key.get_secret_value() == "g-key"


def test_dev_secret_generated_once_and_private(tmp_path: Path) -> None:
    first = load_settings().jwt_secret
    second = load_settings().jwt_secret
    assert first == second and len(first) >= 32
    mode = stat.S_IMODE((tmp_path / "dev-jwt-secret").stat().st_mode)
    assert mode == 0o600


@pytest.mark.parametrize("secret", [None, "change-me", "short"])
def test_placeholder_secret_refused_outside_dev(monkeypatch: pytest.MonkeyPatch, secret: str | None) -> None:
    monkeypatch.setenv("CHEFMENTOR_ENV", "prod")
    if secret is not None:
        monkeypatch.setenv("CHEFMENTOR_JWT_SECRET", secret)
    with pytest.raises(ConfigError, match="CHEFMENTOR_JWT_SECRET"):
        load_settings()


def test_real_secret_accepted_in_prod(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEFMENTOR_ENV", "prod")
    monkeypatch.setenv("CHEFMENTOR_JWT_SECRET", "s" * 40)
    assert load_settings().jwt_secret == "s" * 40


def test_masked_dump_hides_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEFMENTOR_DATABASE_URL", "postgresql+asyncpg://cook:hunter2@db/x")
    monkeypatch.setenv("GROQ_API_KEY", "gsk_supersecret")
    dumped = str(masked_dump(load_settings()))
    assert "hunter2" not in dumped
    assert "gsk_supersecret" not in dumped
    assert "cook:***@db/x" in dumped


def test_env_file_values(tmp_path: Path) -> None:
    env_file = tmp_path / "prod.env"
    env_file.write_text("CHEFMENTOR_SERVER__PORT=8111\nexport GROQ_API_KEY='k'\n# comment\n")
    settings = load_settings(env_file=env_file)
    assert settings.server.port == 8111
    assert settings.ai.groq_api_key is not None


def test_missing_env_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Env file not found"):
        load_settings(env_file=tmp_path / "nope.env")


def test_offline_forces_local_provider() -> None:
    assert load_settings(offline=True).ai.providers == ["local"]


def test_invalid_value_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHEFMENTOR_SERVER__PORT", "not-a-port")
    with pytest.raises(ConfigError, match=r"server\.port"):
        load_settings()
