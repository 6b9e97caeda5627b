from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from chefmentor.db.base import created_at_field, json_field, uuid_pk


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_logs"

    id: uuid.UUID = uuid_pk()
    entity: str = Field(max_length=50)
    entity_id: uuid.UUID | None = Field(default=None, index=True)
    action: str = Field(max_length=50)
    actor_kind: str | None = Field(default=None, max_length=16)
    actor_id: uuid.UUID | None = None
    request_id: str | None = Field(default=None, max_length=64)
    details: dict[str, Any] = json_field()
    created_at: datetime = created_at_field(index=True)
