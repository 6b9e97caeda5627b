"""Skip a test whose service is missing, or fail it when CHEFMENTOR_REQUIRE_SERVICES=1 (CI)."""

from __future__ import annotations

import os

import pytest

DEFAULT_PG_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def require_services() -> bool:
    return os.environ.get("CHEFMENTOR_REQUIRE_SERVICES", "") not in ("", "0", "false")


def service_missing(kind: str, reason: str) -> None:
    message = f"{kind} unavailable: {reason}"
    if require_services():
        pytest.fail(f"{message} (CHEFMENTOR_REQUIRE_SERVICES=1 turns this into a failure)")
    pytest.skip(message)


def pg_base_url() -> str:
    return os.environ.get("CHEFMENTOR_TEST_DATABASE_URL", DEFAULT_PG_URL)


def redis_base_url() -> str:
    return os.environ.get("CHEFMENTOR_TEST_REDIS_URL", DEFAULT_REDIS_URL)
