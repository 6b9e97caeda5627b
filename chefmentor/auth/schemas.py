from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from chefmentor.auth.models import UserRole
from chefmentor.schemas import CamelModel, StrictCamelModel

# Google ID tokens are ~1-1.5 kB; refresh tokens are 64 url-safe characters.
ID_TOKEN_PATTERN = r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$"  # noqa: S105 - a regex
# Any printable token-like string is a *credential* question (401 INVALID_REFRESH_TOKEN: e.g. an access token
# sent as the refresh token), not a malformed request; control characters and spaces stay 422.
REFRESH_TOKEN_PATTERN = r"^[\x21-\x7e]+$"  # noqa: S105 - a regex
MAX_PRESENTED_TOKEN_CHARS = 4096


EXAMPLE_REFRESH_TOKEN = "r8Jx2mQ0vX3nP7sT1wY5zA9cE4gH6kL8oN2qR5uV7xZ"  # noqa: S105 - documentation example
EXAMPLE_ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJl"  # noqa: S105 - documentation example


class GoogleLoginRequest(StrictCamelModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"idToken": "eyJhbGciOiJSUzI1NiJ9.eyJlbWFpbCI6ImFkYUBleGFtcGxlLmNvbSJ9.c2ln"}]}
    )

    id_token: str = Field(min_length=20, max_length=8192, pattern=ID_TOKEN_PATTERN, description="Google ID token (JWT)")


class RefreshRequest(StrictCamelModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"refreshToken": EXAMPLE_REFRESH_TOKEN}]})

    refresh_token: str = Field(min_length=1, max_length=MAX_PRESENTED_TOKEN_CHARS, pattern=REFRESH_TOKEN_PATTERN)


class LogoutRequest(StrictCamelModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"refreshToken": EXAMPLE_REFRESH_TOKEN}]})

    refresh_token: str = Field(min_length=1, max_length=MAX_PRESENTED_TOKEN_CHARS, pattern=REFRESH_TOKEN_PATTERN)


class UserRead(CamelModel):
    id: uuid.UUID
    email: str
    name: str
    role: UserRole
    picture_url: str | None = None
    created_at: datetime


class TokenResponse(CamelModel):
    access_token: str
    refresh_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth token type name
    expires_in: int = Field(description="Access token lifetime in seconds")
    refresh_expires_at: datetime
    user: UserRead


class DemoStartResponse(CamelModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "demoSessionId": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "accessToken": EXAMPLE_ACCESS_TOKEN,
                    "tokenType": "Bearer",
                    "expiresIn": 86400,
                    "expiresAt": "2026-01-02T12:00:00Z",
                }
            ]
        }
    )

    demo_session_id: uuid.UUID
    access_token: str = Field(description="Demo bearer token; valid until expiresAt")
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the OAuth token type name
    expires_in: int
    expires_at: datetime


class GoogleIdentity(CamelModel):
    """What we keep from a verified Google ID token."""

    sub: str
    email: str
    name: str
    picture: str | None = None
