"""Sign-in with Google, refresh-token rotation with reuse detection, logout, demo sessions, actors."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, NoReturn, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.actor import Actor
from chefmentor.audit.service import record_audit
from chefmentor.auth.models import DemoSession, RefreshToken, User
from chefmentor.auth.schemas import DemoStartResponse, GoogleIdentity, TokenResponse, UserRead
from chefmentor.auth.tokens import decode_token, hash_refresh_token, issue_access_token, issue_demo_token
from chefmentor.auth.tokens import new_refresh_token as _new_refresh_token
from chefmentor.clock import Clock
from chefmentor.config import Settings
from chefmentor.errors import ConflictError, InvalidRefreshTokenError
from chefmentor.profile.models import UserProfile


class IdTokenVerifier(Protocol):
    async def verify(self, token: str) -> GoogleIdentity: ...


def resolve_actor(token: str, *, settings: Settings, clock: Clock) -> Actor:
    """A valid access token → its user; a valid demo token → its demo session. No DB round trip."""
    claims = decode_token(settings, token, now=clock.now())
    if claims.typ == "demo":
        return Actor.demo(claims.subject)
    return Actor.user(claims.subject)


async def login_with_google(
    session: AsyncSession,
    *,
    settings: Settings,
    clock: Clock,
    verifier: IdTokenVerifier,
    id_token: str,
    request_id: str | None = None,
) -> TokenResponse:
    """Only a Google-verified email signs in; the user and their profile row are created on first login."""
    identity = await verifier.verify(id_token)
    now = clock.now()
    try:
        user, created = await _upsert_user(session, identity, now=now)
    except IntegrityError:
        # Two first logins raced on the unique email/sub: the other one created the row.
        await session.rollback()
        user, created = await _upsert_user(session, identity, now=now)
    actor = Actor.user(user.id)
    response = await _issue_pair(session, settings=settings, user=user, now=now, family_id=uuid.uuid4())
    record_audit(
        session,
        entity="user",
        action="login",
        entity_id=user.id,
        actor=actor,
        request_id=request_id,
        details={"method": "google", "created": created},
    )
    await session.commit()
    return response


async def _upsert_user(session: AsyncSession, identity: GoogleIdentity, *, now: datetime) -> tuple[User, bool]:
    user = (await session.execute(select(User).where(col(User.google_sub) == identity.sub))).scalar_one_or_none()
    created = False
    if user is None:
        user = (await session.execute(select(User).where(col(User.email) == identity.email))).scalar_one_or_none()
        if user is not None and user.google_sub not in (None, identity.sub):
            raise ConflictError("This email address is already linked to a different Google account")
    if user is None:
        user = User(email=identity.email, name=identity.name, google_sub=identity.sub, created_at=now, updated_at=now)
        session.add(user)
        created = True
    else:
        user.email = identity.email
        user.name = identity.name
        user.google_sub = identity.sub
        user.updated_at = now
    user.picture_url = identity.picture
    await session.flush()
    has_profile = (
        await session.execute(select(col(UserProfile.id)).where(col(UserProfile.user_id) == user.id))
    ).scalar_one_or_none()
    if has_profile is None:
        session.add(UserProfile(user_id=user.id, cooking_habits={}, updated_at=now))
        await session.flush()
    return user, created


async def _issue_pair(
    session: AsyncSession,
    *,
    settings: Settings,
    user: User,
    now: datetime,
    family_id: uuid.UUID,
    parent_id: uuid.UUID | None = None,
) -> TokenResponse:
    refresh = _new_refresh_token()
    expires_at = now + timedelta(days=settings.auth.refresh_ttl_days)
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            parent_id=parent_id,
            token_hash=hash_refresh_token(refresh),
            issued_at=now,
            expires_at=expires_at,
        )
    )
    access = issue_access_token(settings, user.id, now=now)
    return TokenResponse(
        access_token=access.token,
        refresh_token=refresh,
        expires_in=access.expires_in,
        refresh_expires_at=expires_at,
        user=UserRead.model_validate(user),
    )


async def refresh_tokens(
    session: AsyncSession,
    *,
    settings: Settings,
    clock: Clock,
    refresh_token: str,
    request_id: str | None = None,
) -> TokenResponse:
    """Rotate: the presented token is spent and a child is issued; presenting a spent token revokes the family.

    RFC 9700 §4.14.2: the server cannot tell the thief from the owner, so every token of the family dies and
    the user signs in again. Two concurrent refreshes with one token therefore count as reuse (no grace window).
    """
    now = clock.now()
    row = await _refresh_row(session, refresh_token)
    if row is None:
        raise InvalidRefreshTokenError("Unknown refresh token: sign in again")
    if row.revoked_at is not None:
        raise InvalidRefreshTokenError("This refresh token was revoked: sign in again")
    if row.used_at is not None:
        await _revoke_family_for_reuse(session, row, now=now, request_id=request_id)
    if row.expires_at <= now:
        raise InvalidRefreshTokenError("Refresh token expired: sign in again")
    spent = await session.execute(
        update(RefreshToken)
        .where(
            col(RefreshToken.id) == row.id, col(RefreshToken.used_at).is_(None), col(RefreshToken.revoked_at).is_(None)
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(spent, "rowcount", 0) != 1:
        await _revoke_family_for_reuse(session, row, now=now, request_id=request_id)
    user = await session.get(User, row.user_id)
    if user is None:
        raise InvalidRefreshTokenError("Unknown refresh token: sign in again")
    response = await _issue_pair(
        session, settings=settings, user=user, now=now, family_id=row.family_id, parent_id=row.id
    )
    await session.commit()
    return response


async def _refresh_row(session: AsyncSession, refresh_token: str) -> RefreshToken | None:
    # Only the hash is stored: the token itself never reaches the database.
    statement = select(RefreshToken).where(col(RefreshToken.token_hash) == hash_refresh_token(refresh_token))
    return (await session.execute(statement)).scalar_one_or_none()


async def _revoke_family_for_reuse(
    session: AsyncSession, row: RefreshToken, *, now: datetime, request_id: str | None
) -> NoReturn:
    await _revoke_family(
        session,
        row,
        now=now,
        request_id=request_id,
        entity="refresh_token_family",
        action="refresh_reuse_detected",
        entity_id=row.family_id,
        details={"tokenId": str(row.id)},
    )
    raise InvalidRefreshTokenError("Refresh token reuse detected: every session of this sign-in was revoked")


async def _revoke_family(
    session: AsyncSession,
    row: RefreshToken,
    *,
    now: datetime,
    request_id: str | None,
    entity: str,
    action: str,
    entity_id: uuid.UUID,
    details: dict[str, Any],
) -> None:
    """Revoke every live token of `row`'s family, audit it (with how many were revoked) and commit."""
    result = await session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.family_id) == row.family_id, col(RefreshToken.revoked_at).is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    record_audit(
        session,
        entity=entity,
        action=action,
        entity_id=entity_id,
        actor=Actor.user(row.user_id),
        request_id=request_id,
        details={**details, "revoked": int(getattr(result, "rowcount", 0) or 0)},
    )
    await session.commit()


async def logout(session: AsyncSession, *, clock: Clock, refresh_token: str, request_id: str | None = None) -> None:
    """Revoke the whole family of this refresh token. Unknown tokens succeed silently (no token probing)."""
    row = await _refresh_row(session, refresh_token)
    if row is None:
        return
    await _revoke_family(
        session,
        row,
        now=clock.now(),
        request_id=request_id,
        entity="user",
        action="logout",
        entity_id=row.user_id,
        details={"familyId": str(row.family_id)},
    )


async def start_demo(
    session: AsyncSession, *, settings: Settings, clock: Clock, request_id: str | None = None
) -> DemoStartResponse:
    """A demo session and its token live `demo_ttl_hours` (24 h); then the token answers TOKEN_EXPIRED."""
    now = clock.now()
    demo = DemoSession(created_at=now, expires_at=now + timedelta(hours=settings.auth.demo_ttl_hours))
    session.add(demo)
    await session.flush()
    token = issue_demo_token(settings, demo.id, now=now, expires_at=demo.expires_at)
    record_audit(
        session,
        entity="demo_session",
        action="demo_start",
        entity_id=demo.id,
        actor=Actor.demo(demo.id),
        request_id=request_id,
    )
    await session.commit()
    return DemoStartResponse(
        demo_session_id=demo.id,
        access_token=token.token,
        expires_in=token.expires_in,
        expires_at=token.expires_at,
    )
