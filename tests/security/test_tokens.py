"""Tokens die when they should (issue 17 #2): no leeway for our own tokens, a small one for Google's only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from chefmentor.auth.tokens import decode_token, issue_access_token
from chefmentor.config import Settings
from chefmentor.errors import TokenExpiredError
from tests.security.conftest import CLIENT_ID, error_of

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LIST_ROUTE = "/api/failure/analyses"


@pytest.mark.parametrize("seconds_after_expiry", [0, 1, 2, 4])
def test_own_access_token_is_dead_at_exp_not_seconds_later(sec_settings: Settings, seconds_after_expiry: int) -> None:
    """API2:2023 Broken Authentication: "Doesn't validate the JWT expiration date" (no grace period at all)."""
    issued = issue_access_token(sec_settings, uuid.uuid4(), now=NOW)
    decode_token(sec_settings, issued.token, now=issued.expires_at - timedelta(seconds=1))
    with pytest.raises(TokenExpiredError):
        decode_token(sec_settings, issued.token, now=issued.expires_at + timedelta(seconds=seconds_after_expiry))


async def test_access_token_expired_one_second_ago_is_401_over_http(
    sec_client: httpx.AsyncClient, sec_settings: Settings
) -> None:
    """API2:2023 Broken Authentication: an access token one second past `exp` is refused by the API."""
    ttl = sec_settings.auth.access_ttl_seconds
    stale = issue_access_token(sec_settings, uuid.uuid4(), now=datetime.now(UTC) - timedelta(seconds=ttl + 1))
    response = await sec_client.get(LIST_ROUTE, headers={"Authorization": f"Bearer {stale.token}"})
    assert error_of(response)[:2] == (401, "TOKEN_EXPIRED")
    assert "invalid_token" in response.headers["www-authenticate"]


async def test_google_id_tokens_keep_a_small_clock_skew_allowance(sec_client: httpx.AsyncClient, google) -> None:
    """API2:2023 Broken Authentication: Google's clock is not ours, so only its ID tokens get a few seconds."""
    slightly_late = await sec_client.post(
        "/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID, expires_in=-3)}
    )
    assert slightly_late.status_code == 200, slightly_late.text
    long_gone = await sec_client.post("/api/auth/google", json={"idToken": google.mint(aud=CLIENT_ID, expires_in=-120)})
    assert error_of(long_gone)[:2] == (401, "INVALID_GOOGLE_TOKEN")


def _unsigned(header: dict[str, str]) -> str:
    import base64
    import json

    def part(value: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    claims = {"iss": "https://accounts.google.com", "aud": CLIENT_ID, "sub": "1", "email": "a@example.com"}
    return f"{part(header)}.{part(claims)}.c2lnbmF0dXJlLWJ5dGVz"


async def test_forged_google_tokens_never_make_the_server_call_out(sec_client: httpx.AsyncClient, google) -> None:
    """API2:2023 Broken Authentication / API7:2023 SSRF-style amplification: a forged ID token is refused on its
    header (RS256 with a key id only) before any certificate fetch."""
    for header in ({"alg": "none"}, {"alg": "HS256", "kid": "key-0"}, {"alg": "RS256"}, {"alg": "RS256", "kid": ""}):
        response = await sec_client.post("/api/auth/google", json={"idToken": _unsigned(header)})
        assert error_of(response)[:2] == (401, "INVALID_GOOGLE_TOKEN"), header
    assert google.fetches == 0
