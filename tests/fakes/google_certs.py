"""A loopback stand-in for https://www.googleapis.com/oauth2/v1/certs plus an RS256 ID-token minter.

Keys are generated with `cryptography`; the server publishes `{kid: x509 PEM}` like Google does, with a
Cache-Control max-age. `mode` switches the server to failure answers ("down" → 503, "garbage" → bad JSON).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.fakes.loopback import QuietHandler, loopback_server, serving

GOOGLE_ISSUER = "https://accounts.google.com"
CERTS_PATH = "/oauth2/v1/certs"


@dataclass
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey
    cert_pem: str


def make_signing_key(kid: str | None = None) -> SigningKey:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-google-certs")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(private_key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return SigningKey(kid=kid or uuid.uuid4().hex, private_key=private_key, cert_pem=pem)


@dataclass
class FakeGoogleCerts:
    """Serves the published keys; counts fetches so tests can see the cache working."""

    published: list[SigningKey]
    max_age: int = 3600
    mode: str = "ok"
    fetches: int = 0
    base_url: str = ""

    @property
    def certs_url(self) -> str:
        return self.base_url + CERTS_PATH

    @property
    def signing_key(self) -> SigningKey:
        return self.published[0]

    def mint(
        self,
        *,
        aud: str,
        email: str = "cook@example.com",
        sub: str | None = None,
        email_verified: Any = True,
        iss: str = GOOGLE_ISSUER,
        expires_in: int = 3600,
        issued_at: float | None = None,
        key: SigningKey | None = None,
        name: str | None = "Test Cook",
        **extra: Any,
    ) -> str:
        now = int(issued_at if issued_at is not None else time.time())
        claims: dict[str, Any] = {
            "iss": iss,
            "azp": aud,
            "aud": aud,
            "sub": sub or str(int(hashlib.sha256(email.lower().encode()).hexdigest(), 16) % 10**21),
            "email": email,
            "email_verified": email_verified,
            "iat": now,
            "nbf": now - 5,
            "exp": now + expires_in,
            "jti": uuid.uuid4().hex,
            **extra,
        }
        if name is not None:
            claims["name"] = name
        signer = key or self.signing_key
        return jwt.encode(claims, signer.private_key, algorithm="RS256", headers={"kid": signer.kid})

    def _body(self) -> bytes:
        return json.dumps({key.kid: key.cert_pem for key in self.published}).encode()


def _handler(fake: FakeGoogleCerts) -> type[BaseHTTPRequestHandler]:
    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server API
            if self.path.split("?")[0] != CERTS_PATH:
                self.send_error(404)
                return
            fake.fetches += 1
            if fake.mode == "down":
                self.send_error(503)
                return
            body = b"{not json" if fake.mode == "garbage" else fake._body()
            self.send_bytes(
                200,
                body,
                content_type="application/json; charset=UTF-8",
                headers={"Cache-Control": f"public, max-age={fake.max_age}, must-revalidate, no-transform"},
            )

    return Handler


@contextmanager
def serve_google_certs(keys: list[SigningKey] | None = None, *, max_age: int = 3600) -> Iterator[FakeGoogleCerts]:
    fake = FakeGoogleCerts(published=keys or [make_signing_key()], max_age=max_age)
    with serving(loopback_server(_handler(fake))) as fake.base_url:
        yield fake


def unused_loopback_url() -> str:
    """A certs URL nobody listens on (connection refused)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{CERTS_PATH}"
