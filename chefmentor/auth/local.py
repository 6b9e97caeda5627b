"""The one local cook behind the CLI and TUI, as a users row so their profile can be saved like anyone's."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from chefmentor.auth.models import User

# `.localhost` is reserved (RFC 6761): this address can never belong to a Google account.
LOCAL_USER_EMAIL = "cook@chefmentor.localhost"
LOCAL_USER_NAME = "Local cook"


async def find_local_user_id(session: AsyncSession) -> uuid.UUID | None:
    """The local cook's user id, if the row exists yet."""
    found: uuid.UUID | None = await session.scalar(select(col(User.id)).where(col(User.email) == LOCAL_USER_EMAIL))
    return found


async def ensure_local_user_id(session: AsyncSession) -> uuid.UUID:
    """The local cook's user id, creating the row on first use (flushed, committed by the caller)."""
    existing = await find_local_user_id(session)
    if existing is not None:
        return existing
    user = User(email=LOCAL_USER_EMAIL, name=LOCAL_USER_NAME)
    try:
        async with session.begin_nested():
            session.add(user)
    except IntegrityError:  # another process created it first
        winner = await find_local_user_id(session)
        assert winner is not None  # noqa: S101 - the unique email was just taken by that row
        return winner
    return user.id
