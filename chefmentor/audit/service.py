"""Audit trail: rows are added to the caller's unit of work (the caller commits)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from chefmentor.actor import Actor
from chefmentor.audit.models import AuditLog


def record_audit(
    session: AsyncSession,
    *,
    entity: str,
    action: str,
    entity_id: uuid.UUID | None = None,
    actor: Actor | None = None,
    request_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit row; never contains secrets or tokens (callers pass ids only)."""
    row = AuditLog(
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor_kind=actor.kind if actor else None,
        actor_id=actor.id if actor else None,
        request_id=request_id,
        details=details or {},
    )
    session.add(row)
    return row
