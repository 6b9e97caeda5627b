"""Redaction, JSON access logs from the ASGI middleware, /metrics per route template, multi-process mode."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from chefmentor.observability import logs
from chefmentor.observability.logs import REDACTED, configure_logging, redact_event, redact_text, wants_json
from chefmentor.observability.metrics import record_diagnosis, sample_value
from server.app import create_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Authorization: Bearer abc.def-ghi_123456", "abc.def-ghi_123456"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl seen", "eyJhbGciOiJIUzI1NiJ9"),
        ("postgresql+asyncpg://app:hunter2@db:5432/cmx", "hunter2"),
        ("GET /v1beta/models/x?key=AIzaSyA-secret-value-1234", "secret-value"),
        ("groq key gsk_abcdefghijklmnop1234", "gsk_abcdefghijklmnop1234"),
        ("refresh_token=r3fr3sh&x=1", "r3fr3sh"),
    ],
)
def test_secret_shapes_are_masked(text: str, secret: str) -> None:
    masked = redact_text(text)
    assert secret not in masked and REDACTED in masked


def test_secret_named_keys_are_masked_at_any_depth() -> None:
    event = {
        "event": "login",
        "id_token": "whatever",
        "headers": {"Authorization": "x", "accept": "json"},
        "payload": [{"refreshToken": "abc", "name": "ok"}],
        "request_id": "keep-me",
        "token_type": "Bearer",
    }
    out = redact_event(None, "info", dict(event))
    assert out["id_token"] == REDACTED
    assert out["headers"] == {"Authorization": REDACTED, "accept": "json"}
    assert out["payload"] == [{"refreshToken": REDACTED, "name": "ok"}]
    assert out["request_id"] == "keep-me" and out["token_type"] == "Bearer"


def test_json_on_pipes_pretty_on_terminals() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert wants_json(None, io.StringIO()) is True
    assert wants_json(None, Tty()) is False
    assert wants_json(False, io.StringIO()) is False


@pytest.fixture
def json_logs():
    stream = io.StringIO()
    root = logging.getLogger()
    previous = (root.level, list(root.handlers))
    configure_logging(log_json=True, stream=stream, service="test")
    yield stream
    for handler in list(root.handlers):
        if handler.get_name() == "chefmentor":
            root.removeHandler(handler)
    root.setLevel(previous[0])
    logs._fast_json = None


def _lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_library_logs_are_json_and_redacted(json_logs) -> None:
    logging.getLogger("httpx").warning("calling https://api.x/?api_key=%s", "sk-abcdefghijklmnop")
    line = _lines(json_logs)[-1]
    assert line["level"] == "warning" and line["logger"] == "httpx" and "timestamp" in line
    assert "sk-abcdefghijklmnop" not in line["message"]


async def test_access_log_and_metrics_per_route_template(settings, json_logs) -> None:
    # /metrics on the API port needs the metrics token (server/security_metrics.py).
    observability = settings.observability.model_copy(update={"metrics_token": SecretStr("m" * 32), "metrics_port": 0})
    app = create_app(settings.model_copy(update={"observability": observability}))
    unknown = uuid.uuid4()
    labels = {"method": "GET", "route": "/api/recipes/{recipe_id}", "status": "404"}
    before = sample_value("chefmentor_http_requests_total", labels)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            start = await client.post("/api/demo/start")
            token = start.json()["accessToken"]
            response = await client.get(
                f"/api/recipes/{unknown}", headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-42"}
            )
            assert response.status_code == 404
            await client.get("/no/such/path", headers={"X-Request-ID": "eyJhbGciOiJI.eyJzdWIiOiIx.c2lnbmF0dXJl"})
            metrics = await client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 32})
    assert sample_value("chefmentor_http_requests_total", labels) - before == 1
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    assert 'route="/api/recipes/{recipe_id}"' in metrics.text
    assert 'route="<unmatched>"' in metrics.text
    assert str(unknown) not in metrics.text, "raw paths never become labels"
    access = [line for line in _lines(json_logs) if line.get("logger") == "chefmentor.access"]
    hit = next(line for line in access if line.get("request_id") == "req-42")
    assert hit["route"] == "/api/recipes/{recipe_id}" and hit["status"] == 404 and hit["method"] == "GET"
    assert isinstance(hit["latency_ms"], float)
    assert hit["actor_kind"] == "demo"
    assert token not in json_logs.getvalue()
    assert "eyJzdWIiOiIx" not in json_logs.getvalue(), "a token sent as request id is masked too"


def test_diagnosis_metrics_count_fallbacks_per_provider() -> None:
    from chefmentor.ai.types import Attempt, Diagnosis

    before = sample_value("chefmentor_diagnosis_fallbacks_total", {"provider": "gemini", "reason": "rate_limited"})
    diagnosis = Diagnosis(
        category="heat_too_high",
        root_cause="r",
        explanation="e",
        provider="groq",
        attempts=[
            Attempt("gemini", False, "rate_limited: quota", 120.0),
            Attempt("groq", True, None, 900.0),
        ],
    )
    record_diagnosis(diagnosis)
    after = sample_value("chefmentor_diagnosis_fallbacks_total", {"provider": "gemini", "reason": "rate_limited"})
    assert after - before == 1
    assert sample_value("chefmentor_diagnosis_duration_seconds_count", {"provider": "groq", "outcome": "ok"}) >= 1


def test_multiprocess_mode_sums_every_worker(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    bump = (
        "from chefmentor.observability.metrics import observe_http\n"
        "for _ in range({n}): observe_http('GET', '/api/recipes', 200, 0.01)\n"
    )
    for n in (3, 4):
        subprocess.run([sys.executable, "-c", bump.format(n=n)], cwd=ROOT, env=env, check=True)
    read = "from chefmentor.observability.metrics import render_latest\nprint(render_latest()[0].decode())\n"
    out = subprocess.run([sys.executable, "-c", read], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    line = next(
        row
        for row in out.stdout.splitlines()
        if row.startswith("chefmentor_http_requests_total{") and 'route="/api/recipes"' in row
    )
    assert float(line.rsplit(" ", 1)[1]) == 7.0


def test_a_broken_log_stream_never_raises(json_logs) -> None:
    from chefmentor.observability.logs import write_json_line

    assert write_json_line("chefmentor.access", "request", {"route": "/x", "status": 200})
    assert json.loads(json_logs.getvalue().splitlines()[-1])["route"] == "/x"
    json_logs.close()
    assert write_json_line("chefmentor.access", "request", {"route": "/x"}) is True
