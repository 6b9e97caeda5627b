"""Google ID-token verification with google-auth, plus the checks google-auth leaves to the caller.

google-auth 2.63 (spec/providers.md §5): fetches the certs on every call (we cache them, honouring
Cache-Control), skips `aud` when audience is None (we refuse an empty client list), raises GoogleAuthError
(not ValueError) for a wrong issuer, never checks `email_verified` (we require it), and raises TransportError
when the certs cannot be fetched (→ 503, not 401: the token may be fine).
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from typing import Any

from chefmentor.auth.schemas import GoogleIdentity
from chefmentor.config import Settings
from chefmentor.errors import AuthProviderUnavailableError, InvalidGoogleTokenError

GOOGLE_ISSUERS = frozenset({"accounts.google.com", "https://accounts.google.com"})
DEFAULT_CERTS_TTL_SECONDS = 300.0
MAX_CERTS_TTL_SECONDS = 24 * 3600.0
# A token signed with a key we do not know yet may mean Google rotated keys: refetch, but at most this often.
FORCED_REFRESH_INTERVAL_SECONDS = 30.0
CLOCK_SKEW_SECONDS = 10
RETRY_AFTER_SECONDS = 10.0
_MAX_AGE = re.compile(r"max-age=(\d+)")


def certs_ttl(cache_control: str | None) -> float:
    """Seconds to keep the certs: `max-age` from Cache-Control, nothing when no-store/no-cache."""
    if not cache_control:
        return DEFAULT_CERTS_TTL_SECONDS
    lowered = cache_control.lower()
    if "no-store" in lowered or "no-cache" in lowered:
        return 0.0
    match = _MAX_AGE.search(lowered)
    if match is None:
        return DEFAULT_CERTS_TTL_SECONDS
    return min(float(match.group(1)), MAX_CERTS_TTL_SECONDS)


def _caching_request_class() -> type[Any]:
    import google.auth.transport.requests as google_requests

    class CachingCertsRequest(google_requests.Request):
        """google-auth's requests transport with a response cache keyed by URL, honouring Cache-Control."""

        def __init__(self, timeout: float) -> None:
            super().__init__()
            self._timeout = timeout
            self._lock = threading.Lock()
            self._cache: dict[str, tuple[float, Any]] = {}

        def __call__(
            self,
            url: Any,
            method: Any = "GET",
            body: Any = None,
            headers: Any = None,
            timeout: Any = None,
            **kwargs: Any,
        ) -> Any:
            timeout = timeout if timeout is not None else self._timeout
            if method != "GET":
                return super().__call__(url, method=method, body=body, headers=headers, timeout=timeout, **kwargs)  # type: ignore[no-untyped-call]
            with self._lock:
                hit = self._cache.get(url)
                if hit is not None and hit[0] > time.monotonic():
                    return hit[1]
            response = super().__call__(url, method=method, body=body, headers=headers, timeout=timeout, **kwargs)  # type: ignore[no-untyped-call]
            if response.status == 200:
                ttl = certs_ttl(response.headers.get("cache-control") or response.headers.get("Cache-Control"))
                if ttl > 0:
                    with self._lock:
                        self._cache[url] = (time.monotonic() + ttl, response)
            return response

        def cached_kids(self, url: str) -> set[str] | None:
            import json

            with self._lock:
                hit = self._cache.get(url)
            if hit is None or hit[0] <= time.monotonic():
                return None
            try:
                data = json.loads(hit[1].data)
            except ValueError:
                return None
            return set(data) if isinstance(data, dict) else None

        def invalidate(self, url: str) -> None:
            with self._lock:
                self._cache.pop(url, None)

    return CachingCertsRequest


class GoogleIdTokenVerifier:
    """Verifies Google ID tokens against `settings.auth.google_certs_url`; one instance per process."""

    def __init__(self, settings: Settings) -> None:
        self.client_ids = list(settings.auth.google_client_ids)
        self.certs_url = settings.auth.google_certs_url
        self._request = _caching_request_class()(settings.auth.google_certs_timeout_seconds)
        self._last_forced_refresh = 0.0

    async def verify(self, token: str) -> GoogleIdentity:
        """Signature, expiry, audience, issuer and a verified email; runs the blocking fetch in a thread."""
        if not self.client_ids:
            raise AuthProviderUnavailableError(
                "Google sign-in is not configured on this server: set CHEFMENTOR_AUTH__GOOGLE_CLIENT_IDS "
                "to the OAuth client ids of the apps"
            )
        claims = await asyncio.to_thread(self._verify_claims, token)
        return identity_from_claims(claims)

    def _verify_claims(self, token: str) -> dict[str, Any]:
        import google.auth.exceptions as google_exceptions
        import jwt as pyjwt
        from google.oauth2 import id_token

        try:
            header = pyjwt.get_unverified_header(token)
        except pyjwt.PyJWTError:
            raise InvalidGoogleTokenError("Malformed Google ID token") from None
        kid = header.get("kid")
        # Google signs ID tokens with RS256 and names the key: anything else is refused before any certs fetch,
        # so a forged token never makes the server call out (RFC 8725 §3.1: the algorithm is ours to choose).
        if header.get("alg") != "RS256" or not isinstance(kid, str) or not kid:
            raise InvalidGoogleTokenError("Malformed Google ID token: not an RS256 token with a key id")
        self._refresh_if_unknown_kid(kid)
        try:
            claims = id_token.verify_token(
                token,
                self._request,
                audience=self.client_ids,
                certs_url=self.certs_url,
                clock_skew_in_seconds=CLOCK_SKEW_SECONDS,
            )
        except google_exceptions.TransportError as exc:
            raise AuthProviderUnavailableError(retry_after=RETRY_AFTER_SECONDS) from exc
        except (google_exceptions.GoogleAuthError, pyjwt.PyJWTError, ValueError, TypeError, KeyError) as exc:
            raise InvalidGoogleTokenError(f"Invalid Google ID token: {_reason(exc)}") from None
        return dict(claims)

    def _refresh_if_unknown_kid(self, kid: object) -> None:
        known = self._request.cached_kids(self.certs_url)
        if known is None or (isinstance(kid, str) and kid in known):
            return
        now = time.monotonic()
        if now - self._last_forced_refresh >= FORCED_REFRESH_INTERVAL_SECONDS:
            self._last_forced_refresh = now
            self._request.invalidate(self.certs_url)


def _reason(exc: Exception) -> str:
    text = str(exc).lower()
    if "expired" in text:
        return "expired"
    if "audience" in text:
        return "wrong audience"
    if "certificate for key id" in text or "signature" in text:
        return "unknown key or bad signature"
    if "too early" in text or "used too early" in text:
        return "not valid yet"
    return "malformed or untrusted token"


def identity_from_claims(claims: dict[str, Any]) -> GoogleIdentity:
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise InvalidGoogleTokenError("Invalid Google ID token: wrong issuer")
    verified = claims.get("email_verified")
    if verified is not True and verified != "true":
        raise InvalidGoogleTokenError("The Google account's email address is not verified")
    sub, email = claims.get("sub"), claims.get("email")
    if not isinstance(sub, str) or not sub or not isinstance(email, str) or "@" not in email:
        raise InvalidGoogleTokenError("Invalid Google ID token: missing subject or email")
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        name = email.split("@", 1)[0]
    picture = claims.get("picture")
    return GoogleIdentity(
        sub=sub[:255],
        email=email.strip().lower()[:255],
        name=name.strip()[:100],
        picture=picture[:1024] if isinstance(picture, str) and picture.startswith("https://") else None,
    )
