from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from chefmentor.auth.models import UserRole
from chefmentor.schemas import CamelModel, StrictCamelModel

# Google ID tokens are ~1-1.5 kB; refresh tokens are 64 url-safe characters.
ID_TOKEN_PATTERN = r"^[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*$"  # noqa: S105 - a regex
REFRESH_TOKEN_PATTERN = r"^[A-Za-z0-9_\-]+$"  # noqa: S105 - a regex


class GoogleLoginRequest(StrictCamelModel):
    id_token: str = Field(min_length=20, max_length=8192, pattern=ID_TOKEN_PATTERN, description="Google ID token (JWT)")


class RefreshRequest(StrictCamelModel):
    refresh_token: str = Field(min_length=16, max_length=256, pattern=REFRESH_TOKEN_PATTERN)


class LogoutRequest(StrictCamelModel):
    refresh_token: str = Field(min_length=16, max_length=256, pattern=REFRESH_TOKEN_PATTERN)


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
