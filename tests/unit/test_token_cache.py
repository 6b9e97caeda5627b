"""The verified-token cache: a cached token still expires, and never crosses secrets, issuers or audiences."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from chefmentor.auth import tokens
from chefmentor.cache import BoundedMemo
from chefmentor.config import Settings
from chefmentor.errors import InvalidTokenError, TokenExpiredError
from tests.conftest import make_settings

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _settings(tmp_path: Path, secret: str = "s" * 48, **auth: str) -> Settings:
    return make_settings(tmp_path, "sqlite+aiosqlite:///unused.db", auth={"jwt_secret": secret, **auth})


def test_a_cached_token_still_expires_on_the_clock(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    user = uuid.uuid4()
    token = tokens.issue_access_token(settings, user, now=NOW).token
    assert tokens.decode_token(settings, token, now=NOW).subject == user
    assert tokens.decode_token(settings, token, now=NOW + timedelta(minutes=5)).subject == user  # from the cache
    later = NOW + timedelta(seconds=settings.auth.access_ttl_seconds + tokens.LEEWAY_SECONDS + 1)
    with pytest.raises(TokenExpiredError):
        tokens.decode_token(settings, token, now=later)
    with pytest.raises(InvalidTokenError, match="issued in the future"):
        tokens.decode_token(settings, token, now=NOW - timedelta(minutes=1))


def test_a_token_verified_under_one_secret_is_refused_under_another(tmp_path: Path) -> None:
    first = _settings(tmp_path)
    token = tokens.issue_access_token(first, uuid.uuid4(), now=NOW).token
    tokens.decode_token(first, token, now=NOW)
    with pytest.raises(InvalidTokenError, match="bad signature"):
        tokens.decode_token(_settings(tmp_path, secret="t" * 48), token, now=NOW)
    with pytest.raises(InvalidTokenError, match="wrong audience"):
        tokens.decode_token(_settings(tmp_path, audience="someone-else"), token, now=NOW)
    with pytest.raises(InvalidTokenError, match="wrong issuer"):
        tokens.decode_token(_settings(tmp_path, issuer="someone-else"), token, now=NOW)


def test_refused_tokens_are_not_cached_and_the_cache_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path)
    monkeypatch.setattr(tokens, "_verified_tokens", BoundedMemo(3))
    with pytest.raises(InvalidTokenError):
        tokens.decode_token(settings, "not.a.jwt", now=NOW)
    assert tokens._verified_tokens.keys() == []
    issued = [tokens.issue_access_token(settings, uuid.uuid4(), now=NOW).token for _ in range(5)]
    for token in issued:
        tokens.decode_token(settings, token, now=NOW)
    assert [key[0] for key in tokens._verified_tokens.keys()] == issued[2:]
