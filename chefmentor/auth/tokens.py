"""Access and demo JWTs (PyJWT, HS256 pinned) and opaque refresh tokens (random, stored as SHA-256).

RFC 8725: one algorithm per key, `iss`/`aud` validated, every claim required, and an explicit `typ` so a
token of one kind always fails where another kind is expected (§3.11). Refresh tokens are not JWTs at all,
so a refresh token never decodes as an access token and an access token never matches a stored hash.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

import jwt

from chefmentor.cache import BoundedMemo
from chefmentor.config import Settings
from chefmentor.errors import InvalidTokenError, TokenExpiredError

ALGORITHM = "HS256"
TokenType = Literal["access", "demo"]
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti", "sub", "typ"]
# None: the server signs and checks its own tokens on one clock (the injected Clock). An expired token is
# expired at `exp`, not a few seconds later; only Google's ID tokens (another clock) get a skew allowance.
LEEWAY_SECONDS = 0
MAX_TOKEN_LENGTH = 4096


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: str
    expires_at: datetime
    expires_in: int


@dataclass(frozen=True, slots=True)
class TokenClaims:
    typ: TokenType
    subject: uuid.UUID
    jti: str
    expires_at: int


def _encode(settings: Settings, *, typ: TokenType, subject: uuid.UUID, now: datetime, expires_at: datetime) -> str:
    payload: dict[str, Any] = {
        "iss": settings.auth.issuer,
        "aud": settings.auth.audience,
        "sub": str(subject),
        "typ": typ,
        "jti": uuid.uuid4().hex,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return jwt.encode(payload, settings.jwt_secret, algorithm=ALGORITHM, headers={"typ": "JWT"})


def issue_access_token(settings: Settings, user_id: uuid.UUID, *, now: datetime) -> IssuedToken:
    ttl = settings.auth.access_ttl_seconds
    expires_at = now + timedelta(seconds=ttl)
    token = _encode(settings, typ="access", subject=user_id, now=now, expires_at=expires_at)
    return IssuedToken(token=token, expires_at=expires_at, expires_in=ttl)


def issue_demo_token(
    settings: Settings, demo_session_id: uuid.UUID, *, now: datetime, expires_at: datetime
) -> IssuedToken:
    """A demo token lives exactly as long as its demo session (24 h by default)."""
    token = _encode(settings, typ="demo", subject=demo_session_id, now=now, expires_at=expires_at)
    return IssuedToken(token=token, expires_at=expires_at, expires_in=max(0, int((expires_at - now).total_seconds())))


def decode_token(settings: Settings, token: str, *, now: datetime) -> TokenClaims:
    """Verify signature, algorithm, issuer, audience and claim shapes; expiry is checked against `now`.

    Expiry is compared with the injected clock (not PyJWT's wall clock) so tests and the CLI agree on time.
    """
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise InvalidTokenError("Malformed access token")
    claims, iat = _verified(settings, token)
    current = int(now.timestamp())
    if iat > current + LEEWAY_SECONDS:
        raise InvalidTokenError("Invalid access token: issued in the future")
    if claims.expires_at <= current - LEEWAY_SECONDS:
        if claims.typ == "demo":
            raise TokenExpiredError("The demo session has expired: start a new demo or sign in with Google")
        raise TokenExpiredError("Access token expired: refresh it with POST /api/auth/refresh")
    return claims


# A mobile client sends the same token on every request for 15 minutes; verifying its HMAC and claim
# shapes each time was ~25% of a step event's CPU. Only tokens that passed verification are kept, keyed
# by everything the verification depended on (secret, issuer, audience), and times are checked per use.
VERIFIED_CACHE_SIZE = 10_000
_verified_tokens: BoundedMemo[tuple[str, str, str, str], tuple[TokenClaims, int]] = BoundedMemo(VERIFIED_CACHE_SIZE)


def _verified(settings: Settings, token: str) -> tuple[TokenClaims, int]:
    key = (token, settings.jwt_secret, settings.auth.issuer, settings.auth.audience)
    return _verified_tokens.get_or_compute(key, lambda _key: _verify(settings, token))


def _verify(settings: Settings, token: str) -> tuple[TokenClaims, int]:
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=[ALGORITHM],
            audience=settings.auth.audience,
            issuer=settings.auth.issuer,
            options={"require": REQUIRED_CLAIMS, "verify_exp": False, "verify_iat": False},
        )
    except jwt.InvalidTokenError as exc:
        raise InvalidTokenError(f"Invalid access token: {_reason(exc)}") from None
    typ = claims.get("typ")
    if typ not in ("access", "demo"):
        raise InvalidTokenError("Invalid access token: not an access token")
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int) or not isinstance(iat, int) or isinstance(exp, bool) or isinstance(iat, bool):
        raise InvalidTokenError("Invalid access token: exp and iat must be integers")
    try:
        subject = uuid.UUID(str(claims.get("sub")))
    except ValueError:
        raise InvalidTokenError("Invalid access token: bad subject") from None
    return TokenClaims(typ=typ, subject=subject, jti=str(claims.get("jti")), expires_at=exp), iat


def _reason(exc: jwt.InvalidTokenError) -> str:
    if isinstance(exc, jwt.InvalidAlgorithmError):
        return "algorithm not allowed"
    if isinstance(exc, jwt.InvalidSignatureError):
        return "bad signature"
    if isinstance(exc, jwt.InvalidAudienceError):
        return "wrong audience"
    if isinstance(exc, jwt.InvalidIssuerError):
        return "wrong issuer"
    if isinstance(exc, jwt.MissingRequiredClaimError):
        return f"missing claim {exc.claim}"
    return "malformed token"


def new_refresh_token() -> str:
    return secrets.token_urlsafe(48)


def hash_refresh_token(token: str) -> str:
    """SHA-256 hex of the token: the DB never holds a usable token.

    Lookup is by hash equality in an indexed column. A timing side channel on that comparison leaks
    only a prefix of a hash of a 384-bit random value, which gives an attacker nothing to extend, so the
    usual constant-time compare adds no protection here (unlike comparing the token itself).
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
