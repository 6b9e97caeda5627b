"""Limits that hold against free demo tokens (issue 17 #3): per-IP demo creation and expensive routes, spend guard."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from chefmentor.ai.spend import SPEND_CAP
from chefmentor.config import Settings
from tests.media.builders import jpeg
from tests.security.conftest import build_app, client_for, error_of, start_demo

PROXY = {"trusted_proxies": ["127.0.0.1/32"]}


def _from(address: str) -> dict[str, str]:
    return {"X-Forwarded-For": address}


async def test_demo_creation_is_limited_per_client_ip(sec_settings: Settings) -> None:
    """API4:2023 Unrestricted Resource Consumption: one address cannot mint unlimited free actors."""
    app = build_app(sec_settings, server=PROXY)
    limit = int(sec_settings.server.rate_limit_demo_start.split("/")[0])
    async with client_for(app) as client:
        statuses = [
            (await client.post("/api/demo/start", headers=_from("203.0.113.7"))).status_code for _ in range(limit)
        ]
        assert statuses == [201] * limit
        refused = await client.post("/api/demo/start", headers=_from("203.0.113.7"))
        assert error_of(refused)[:2] == (429, "RATE_LIMITED") and int(refused.headers["retry-after"]) > 0
        # Another address is not affected.
        assert (await client.post("/api/demo/start", headers=_from("198.51.100.4"))).status_code == 201


async def test_expensive_routes_are_limited_per_ip_across_demo_actors(sec_settings: Settings) -> None:
    """API4:2023 Unrestricted Resource Consumption: fresh demo tokens do not reset the per-IP analyze budget."""
    server = {**PROXY, "rate_limit_expensive_ip": "3/minute", "rate_limit_demo_start": "100/minute"}
    app = build_app(sec_settings, server=server)
    upload = {"file": ("dish.jpg", jpeg(), "image/jpeg")}
    async with client_for(app) as client:
        statuses = []
        for _ in range(4):
            _, headers = await start_demo(client)  # a brand-new actor every time
            headers.update(_from("203.0.113.9"))
            statuses.append((await client.post("/api/failure/analyze", files=upload, headers=headers)).status_code)
        assert statuses == [201, 201, 201, 429]
        _, headers = await start_demo(client)
        headers.update(_from("198.51.100.20"))
        assert (await client.post("/api/failure/analyze", files=upload, headers=headers)).status_code == 201


async def test_spend_guard_sends_analyses_offline_and_says_so(sec_settings: Settings, fake) -> None:
    """API4:2023 Unrestricted Resource Consumption: providers' "spending limit" — paid calls are capped."""
    ai = {
        "providers": ["gemini", "local"],
        "gemini_api_key": SecretStr("fake-key"),
        "gemini_base_url": fake.base_url,
        "max_provider_calls_per_minute": 1,
    }
    app = build_app(sec_settings, ai=ai)
    upload = {"file": ("dish.jpg", jpeg(), "image/jpeg")}
    async with client_for(app) as client:
        _, headers = await start_demo(client)
        first = (await client.post("/api/failure/analyze", files=upload, headers=headers)).json()
        second = (await client.post("/api/failure/analyze", files=upload, headers=headers)).json()
    assert first["provider"] == "gemini"
    assert second["provider"] == "local"
    assert [(a["provider"], a["error"]) for a in second["attempts"] if not a["ok"]] == [("gemini", SPEND_CAP)]
    assert len(fake.calls("gemini")) == 1


@pytest.mark.parametrize("route", ["/api/failure/analyze", "/api/voice/transcribe"])
async def test_expensive_routes_announce_both_limits(sec_client: httpx.AsyncClient, route: str) -> None:
    """API4:2023 Unrestricted Resource Consumption: clients can see the per-actor and per-IP quotas."""
    _, headers = await start_demo(sec_client)
    response = await sec_client.post(
        route, files={"file": ("x.bin", b"\x00" * 64, "application/octet-stream")}, headers=headers
    )
    policies = response.headers.get("ratelimit-policy", "")
    assert '"analyze"' in policies and '"expensive_ip"' in policies, (response.status_code, policies)
