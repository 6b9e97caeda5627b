"""Provider fixtures: one loopback fake for the whole session, reset before each test."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chefmentor.ai.types import DiagnosisRequest, MediaImage, StepTelemetry
from chefmentor.config import Settings
from tests.conftest import make_settings
from tests.fakes.providers import FakeProviders, serve_fake_providers


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeProviders]:
    with serve_fake_providers() as fake:
        yield fake


@pytest.fixture
def fake(_fake_server: FakeProviders) -> FakeProviders:
    _fake_server.reset()
    return _fake_server


def ai_settings(tmp_path: Path, fake: FakeProviders, **ai: Any) -> Settings:
    values: dict[str, Any] = {
        "providers": ["gemini", "groq", "local"],
        "gemini_api_key": "fake-gemini-key",
        "gemini_base_url": fake.base_url,
        "groq_api_key": "gsk_fake",
        "groq_base_url": fake.base_url,
        "timeout_seconds": 5.0,
        **ai,
    }
    return make_settings(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}", ai=values)


def tiny_jpeg(color: tuple[int, int, int] = (120, 60, 20)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 24), color).save(out, "JPEG")
    return out.getvalue()


def sample_request() -> DiagnosisRequest:
    return DiagnosisRequest(
        dish="pan-seared chicken",
        notes="The outside went black and smoky but the middle was still pink.",
        images=(MediaImage(tiny_jpeg(), "image/jpeg", 32, 24),),
        steps=(
            StepTelemetry(1, "Pat the chicken dry and season", "dry surface", 2, 3),
            StepTelemetry(2, "Sear the chicken", "golden crust", 6, 6, "medium", "high"),
            StepTelemetry(3, "Rest the chicken", "juices settle", 5, 1),
        ),
    )
