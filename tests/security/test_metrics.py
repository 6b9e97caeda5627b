"""/metrics is not open on the API port (issue 17 #6): loopback listener by default, or a bearer token."""

from __future__ import annotations

import asyncio

import httpx
from pydantic import SecretStr

from chefmentor.config import ObservabilitySettings, Settings
from tests.scaleout.workers import free_port
from tests.security.conftest import build_app, client_for, error_of

TOKEN = "metrics-token-" + "z" * 32


def test_metrics_listener_defaults_to_loopback() -> None:
    """API8:2023 Security Misconfiguration: the default never exposes metrics beyond this host."""
    defaults = ObservabilitySettings()
    assert defaults.metrics_host == "127.0.0.1" and defaults.metrics_port > 0 and defaults.metrics_token is None


async def test_metrics_are_not_served_on_the_api_port_by_default(sec_settings: Settings) -> None:
    """API8:2023 Security Misconfiguration: per-route counts and process data are not for the LAN."""
    port = free_port()
    app = build_app(sec_settings, observability={"metrics_port": port})
    async with client_for(app) as client:
        await client.get("/api/recipes")
        on_api_port = await client.get("/metrics")
        assert error_of(on_api_port)[:2] == (404, "NOT_FOUND")
        listener = app.state.background.metrics_listener
        assert listener is not None and listener.address == ("127.0.0.1", port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as scraper:
            scraped = await scraper.get("/metrics")
            assert scraped.status_code == 200 and "chefmentor_http_requests_total" in scraped.text
            assert scraped.headers["cache-control"] == "no-store"
            assert (await scraper.get("/other")).status_code == 404
            assert (await scraper.post("/metrics")).status_code == 405
    # The listener closes with the app.
    await asyncio.sleep(0)
    try:
        async with httpx.AsyncClient(timeout=2) as late:
            await late.get(f"http://127.0.0.1:{port}/metrics")
        closed = False
    except httpx.TransportError:
        closed = True
    assert closed


async def test_metrics_on_the_api_port_need_the_bearer_token(sec_settings: Settings) -> None:
    """API8:2023 Security Misconfiguration: /metrics behind a bearer token from settings."""
    app = build_app(sec_settings, observability={"metrics_port": 0, "metrics_token": SecretStr(TOKEN)})
    async with client_for(app) as client:
        assert app.state.background.metrics_listener is None
        assert error_of(await client.get("/metrics"))[:2] == (401, "UNAUTHORIZED")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer " + TOKEN[:-1] + "y"})
        assert error_of(wrong)[:2] == (401, "INVALID_TOKEN")
        right = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
        assert right.status_code == 200 and "chefmentor_http_requests_total" in right.text


async def test_a_second_worker_on_the_same_port_keeps_serving_the_api(sec_settings: Settings) -> None:
    """API8:2023 Security Misconfiguration: with several workers one binds the metrics port, the others skip it."""
    port = free_port()
    first = build_app(sec_settings, observability={"metrics_port": port})
    second = build_app(sec_settings, observability={"metrics_port": port})
    async with client_for(first), client_for(second) as client:
        assert first.state.background.metrics_listener is not None
        assert second.state.background.metrics_listener is None
        assert (await client.get("/api/recipes")).status_code == 200
