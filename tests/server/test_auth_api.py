"""Sign-in with real RS256 Google ID tokens against the loopback certs server; our own JWTs and refresh rotation."""

from __future__ import annotations

import time
import uuid
import warnings
from datetime import UTC, datetime, timedelta
from functools import partial

import httpx
import jwt
import pytest
from sqlalchemy import func, select

from chefmentor.audit.models import AuditLog
from chefmentor.auth.models import RefreshToken, User
from chefmentor.clock import FrozenClock
from chefmentor.context import open_context
from chefmentor.profile.models import UserProfile
from tests.conftest import TEST_SECRET
from tests.fakes.google_certs import make_signing_key, unused_loopback_url
from tests.server.conftest import CLIENT_ID, envelope_code


async def _login(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/auth/google", json={"idToken": token})


async def _count(ctx, stmt) -> int:
    async with ctx.session() as session:
        return int(await session.scalar(stmt) or 0)


async def _audit_actions(ctx) -> list[str]:
    async with ctx.session() as session:
        return list(await session.scalars(select(AuditLog.action).order_by(AuditLog.created_at)))


async def _me(client: httpx.AsyncClient, access: str) -> httpx.Response:
    """Any route that requires an actor would do; recipes take optional auth, so a bad token is still a 401."""
    return await client.get("/api/recipes", headers={"Authorization": f"Bearer {access}"})


async def test_valid_google_login_creates_user_profile_and_tokens(client, ctx, google) -> None:
    response = await _login(client, google.mint(aud=CLIENT_ID, email="Ada@Example.com", name="Ada"))
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    body = response.json()
    assert set(body) >= {"accessToken", "refreshToken", "expiresIn", "tokenType", "user"}
    assert body["expiresIn"] == 15 * 60 and body["tokenType"] == "Bearer"
    assert body["user"]["email"] == "ada@example.com" and body["user"]["name"] == "Ada"
    claims = jwt.decode(body["accessToken"], TEST_SECRET, algorithms=["HS256"], audience="chefmentor-api")
    assert claims["typ"] == "access" and claims["sub"] == body["user"]["id"]
    assert claims["exp"] - claims["iat"] == 15 * 60 and claims["jti"] and claims["iss"] == "chefmentor"
    assert (await _me(client, body["accessToken"])).status_code == 200
    user_id = uuid.UUID(body["user"]["id"])
    assert await _count(ctx, select(func.count()).select_from(User)) == 1
    assert await _count(ctx, select(func.count()).where(UserProfile.user_id == user_id)) == 1
    async with ctx.session() as session:
        stored = (await session.scalars(select(RefreshToken))).one()
    assert stored.token_hash != body["refreshToken"] and len(stored.token_hash) == 64
    assert await _audit_actions(ctx) == ["login"]
    # Second login: same user updated, no duplicate profile, certs served from cache.
    again = await _login(client, google.mint(aud=CLIENT_ID, email="ada@example.com", name="Ada L."))
    assert again.status_code == 200 and again.json()["user"]["id"] == body["user"]["id"]
    assert again.json()["user"]["name"] == "Ada L."
    assert await _count(ctx, select(func.count()).select_from(UserProfile)) == 1
    assert google.fetches == 1


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("wrong_aud", "INVALID_GOOGLE_TOKEN"),
        ("expired", "INVALID_GOOGLE_TOKEN"),
        ("email_unverified", "INVALID_GOOGLE_TOKEN"),
        ("unknown_kid", "INVALID_GOOGLE_TOKEN"),
        ("wrong_issuer", "INVALID_GOOGLE_TOKEN"),
        ("tampered", "INVALID_GOOGLE_TOKEN"),
    ],
)
async def test_bad_google_tokens_are_401_and_write_nothing(client, ctx, google, case, expected) -> None:
    if case == "wrong_aud":
        token = google.mint(aud="someone-else.apps.googleusercontent.com")
    elif case == "expired":
        token = google.mint(aud=CLIENT_ID, issued_at=time.time() - 7200, expires_in=3600)
    elif case == "email_unverified":
        token = google.mint(aud=CLIENT_ID, email_verified=False)
    elif case == "unknown_kid":
        token = google.mint(aud=CLIENT_ID, key=make_signing_key("unpublished"))
    elif case == "wrong_issuer":
        token = google.mint(aud=CLIENT_ID, iss="https://evil.example.com")
    else:
        header, payload, signature = google.mint(aud=CLIENT_ID).split(".")
        token = f"{header}.{payload[:-4]}AAAA.{signature}"
    response = await _login(client, token)
    assert response.status_code == 401, response.text
    assert envelope_code(response) == expected
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert await _count(ctx, select(func.count()).select_from(User)) == 0
    assert await _count(ctx, select(func.count()).select_from(RefreshToken)) == 0


async def test_key_signed_with_published_second_key_is_accepted(client, google, google_keys) -> None:
    response = await _login(client, google.mint(aud=CLIENT_ID, key=google_keys[1]))
    assert response.status_code == 200, response.text


async def test_rotated_google_key_is_fetched_again(client, google) -> None:
    assert (await _login(client, google.mint(aud=CLIENT_ID))).status_code == 200
    rotated = make_signing_key("rotated")
    google.published = [rotated]
    response = await _login(client, google.mint(aud=CLIENT_ID, key=rotated))
    assert response.status_code == 200, response.text
    assert google.fetches == 2


async def test_certs_server_down_is_503_not_401(client, ctx, google) -> None:
    google.mode = "down"
    response = await _login(client, google.mint(aud=CLIENT_ID))
    assert response.status_code == 503
    assert envelope_code(response) == "AUTH_PROVIDER_UNAVAILABLE"
    assert int(response.headers["retry-after"]) > 0
    assert await _count(ctx, select(func.count()).select_from(User)) == 0


async def test_certs_server_unreachable_is_503(server_settings, google) -> None:
    from server.app import create_app
    from tests.server.conftest import client_for, with_overrides

    app = create_app(with_overrides(server_settings, auth={"google_certs_url": unused_loopback_url()}))
    async with client_for(app) as client:
        response = await _login(client, google.mint(aud=CLIENT_ID))
        assert response.status_code == 503
        assert envelope_code(response) == "AUTH_PROVIDER_UNAVAILABLE"


async def test_no_client_ids_configured_refuses_every_token(server_settings, google, caplog) -> None:
    from server.app import create_app
    from tests.server.conftest import client_for, with_overrides

    app = create_app(with_overrides(server_settings, auth={"google_client_ids": []}))
    async with client_for(app) as client:
        response = await _login(client, google.mint(aud=CLIENT_ID))
        assert response.status_code == 503
        # The operator's fix goes to the log with the request id; the client gets the fixed sentence.
        assert "GOOGLE_CLIENT_IDS" not in response.json()["error"]["message"]
        assert "GOOGLE_CLIENT_IDS" in caplog.text and response.headers["x-request-id"] in caplog.text


def _forge(claims: dict, *, key: str = TEST_SECRET, algorithm: str = "HS256") -> str:
    now = int(time.time())
    base = {"iss": "chefmentor", "aud": "chefmentor-api", "sub": str(uuid.uuid4()), "typ": "access"}
    base.update({"jti": uuid.uuid4().hex, "iat": now, "exp": now + 600})
    base.update(claims)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # HS512 with the 52-byte test secret warns; the alg is the point
        return jwt.encode({k: v for k, v in base.items() if v is not None}, key, algorithm=algorithm)


def _alg_none(claims: dict) -> str:
    import base64
    import json

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    now = int(time.time())
    payload = {"iss": "chefmentor", "aud": "chefmentor-api", "sub": str(uuid.uuid4()), "typ": "access"}
    payload.update({"jti": "x", "iat": now, "exp": now + 600, **claims})
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


@pytest.mark.parametrize(
    ("name", "token", "code"),
    [
        ("alg_none", _alg_none({}), "INVALID_TOKEN"),
        ("wrong_key", _forge({}, key="another-secret-" + "y" * 40), "INVALID_TOKEN"),
        ("expired", _forge({"iat": int(time.time()) - 3600, "exp": int(time.time()) - 1800}), "TOKEN_EXPIRED"),
        ("wrong_aud", _forge({"aud": "other-api"}), "INVALID_TOKEN"),
        ("wrong_iss", _forge({"iss": "someone-else"}), "INVALID_TOKEN"),
        ("no_exp", _forge({"exp": None}), "INVALID_TOKEN"),
        ("no_typ", _forge({"typ": None}), "INVALID_TOKEN"),
        ("refresh_typ", _forge({"typ": "refresh"}), "INVALID_TOKEN"),
        ("hs512", _forge({}, algorithm="HS512"), "INVALID_TOKEN"),
        ("garbage", "not-a-jwt", "INVALID_TOKEN"),
    ],
)
async def test_bad_access_tokens_are_rejected(client, name, token, code) -> None:
    response = await _me(client, token)
    assert response.status_code == 401, (name, response.text)
    assert envelope_code(response) == code
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_wrong_scheme_and_missing_token(client) -> None:
    response = await client.get("/api/recipes", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401 and envelope_code(response) == "INVALID_TOKEN"


async def test_refresh_token_is_not_an_access_token_and_vice_versa(client, google) -> None:
    body = (await _login(client, google.mint(aud=CLIENT_ID))).json()
    as_access = await _me(client, body["refreshToken"])
    assert as_access.status_code == 401 and envelope_code(as_access) == "INVALID_TOKEN"
    as_refresh = await client.post("/api/auth/refresh", json={"refreshToken": body["accessToken"]})
    assert as_refresh.status_code in (401, 422)
    assert envelope_code(as_refresh) in ("INVALID_REFRESH_TOKEN", "VALIDATION_ERROR")


async def test_refresh_rotates_and_reuse_revokes_the_family(client, ctx, google) -> None:
    first = (await _login(client, google.mint(aud=CLIENT_ID))).json()
    rotated = await client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert rotated.status_code == 200, rotated.text
    assert rotated.headers["cache-control"] == "no-store"
    second = rotated.json()
    assert second["refreshToken"] != first["refreshToken"]
    assert (await _me(client, second["accessToken"])).status_code == 200
    # The first token is spent: presenting it again is reuse → the whole family dies, incl. the new token.
    replay = await client.post("/api/auth/refresh", json={"refreshToken": first["refreshToken"]})
    assert replay.status_code == 401 and envelope_code(replay) == "INVALID_REFRESH_TOKEN"
    after = await client.post("/api/auth/refresh", json={"refreshToken": second["refreshToken"]})
    assert after.status_code == 401 and envelope_code(after) == "INVALID_REFRESH_TOKEN"
    async with ctx.session() as session:
        rows = list(await session.scalars(select(RefreshToken)))
    assert len(rows) == 2 and all(row.revoked_at is not None for row in rows)
    assert len({row.family_id for row in rows}) == 1
    assert "refresh_reuse_detected" in await _audit_actions(ctx)


async def test_reuse_leaves_other_sign_ins_alone(client, google) -> None:
    phone = (await _login(client, google.mint(aud=CLIENT_ID))).json()
    tablet = (await _login(client, google.mint(aud=CLIENT_ID))).json()
    await client.post("/api/auth/refresh", json={"refreshToken": phone["refreshToken"]})
    await client.post("/api/auth/refresh", json={"refreshToken": phone["refreshToken"]})
    still = await client.post("/api/auth/refresh", json={"refreshToken": tablet["refreshToken"]})
    assert still.status_code == 200


async def test_logout_revokes_the_family_and_is_silent_for_unknown_tokens(client, ctx, google) -> None:
    body = (await _login(client, google.mint(aud=CLIENT_ID))).json()
    out = await client.post("/api/auth/logout", json={"refreshToken": body["refreshToken"]})
    assert out.status_code == 204 and out.content == b""
    again = await client.post("/api/auth/refresh", json={"refreshToken": body["refreshToken"]})
    assert again.status_code == 401 and envelope_code(again) == "INVALID_REFRESH_TOKEN"
    unknown = await client.post("/api/auth/logout", json={"refreshToken": "x" * 64})
    assert unknown.status_code == 204
    assert (await _audit_actions(ctx)).count("logout") == 1


async def test_expired_refresh_token(client, ctx, google) -> None:
    body = (await _login(client, google.mint(aud=CLIENT_ID))).json()
    async with ctx.session() as session:
        row = (await session.scalars(select(RefreshToken))).one()
        row.expires_at = row.issued_at - timedelta(seconds=1)
        await session.commit()
    response = await client.post("/api/auth/refresh", json={"refreshToken": body["refreshToken"]})
    assert response.status_code == 401 and "expired" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"idToken": 5},
        {"idToken": "a.b.c", "extra": 1},
        {"idToken": "x" * 9000},
        {"idToken": "ab\u0000cd.ef.gh" * 3},
    ],
)
async def test_login_body_validation(client, ctx, payload) -> None:
    response = await client.post("/api/auth/google", json=payload)
    assert response.status_code == 422 and envelope_code(response) == "VALIDATION_ERROR"
    assert "idToken" in response.json()["error"]["message"] or "extra" in response.json()["error"]["message"]


async def test_demo_token_works_and_expires(server_settings) -> None:
    from server.app import create_app
    from tests.server.conftest import client_for

    clock = FrozenClock(datetime.now(UTC))
    app = create_app(server_settings, context_factory=partial(open_context, clock=clock))
    async with client_for(app) as client:
        started = await client.post("/api/demo/start")
        assert started.status_code == 201, started.text
        body = started.json()
        assert body["expiresIn"] == 24 * 3600 and uuid.UUID(body["demoSessionId"])
        assert started.headers["cache-control"] == "no-store"
        assert (await _me(client, body["accessToken"])).status_code == 200
        clock.advance(hours=24, seconds=10)
        expired = await _me(client, body["accessToken"])
        assert expired.status_code == 401 and envelope_code(expired) == "TOKEN_EXPIRED"
        assert "demo" in expired.json()["error"]["message"]
        actions = await _audit_actions(app.state.ctx)
        assert actions == ["demo_start"]


async def test_concurrent_refreshes_with_one_token_count_as_reuse(client, ctx, google) -> None:
    import asyncio

    body = (await _login(client, google.mint(aud=CLIENT_ID))).json()
    first, second = await asyncio.gather(
        client.post("/api/auth/refresh", json={"refreshToken": body["refreshToken"]}),
        client.post("/api/auth/refresh", json={"refreshToken": body["refreshToken"]}),
    )
    assert sorted([first.status_code, second.status_code]) == [200, 401]
    winner = first if first.status_code == 200 else second
    follow_up = await client.post("/api/auth/refresh", json={"refreshToken": winner.json()["refreshToken"]})
    assert follow_up.status_code == 401, "the family was revoked when the second use was detected"
