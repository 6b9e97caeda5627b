"""Who is acting: a signed-in user, a demo session, or the local CLI/TUI user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_

ActorKind = Literal["user", "demo", "local"]


@dataclass(frozen=True, slots=True)
class Actor:
    kind: ActorKind
    id: uuid.UUID | None = None

    @classmethod
    def local(cls) -> Actor:
        return cls("local")

    @classmethod
    def user(cls, user_id: uuid.UUID) -> Actor:
        return cls("user", user_id)

    @classmethod
    def demo(cls, demo_session_id: uuid.UUID) -> Actor:
        return cls("demo", demo_session_id)

    @property
    def user_id(self) -> uuid.UUID | None:
        return self.id if self.kind == "user" else None

    @property
    def demo_session_id(self) -> uuid.UUID | None:
        return self.id if self.kind == "demo" else None

    @property
    def is_demo(self) -> bool:
        return self.kind == "demo"

    def owner_columns(self) -> dict[str, uuid.UUID | None]:
        """Values for the user_id/demo_session_id columns of a row this actor creates."""
        return {"user_id": self.user_id, "demo_session_id": self.demo_session_id}

    def owns(self, row: Any) -> bool:
        return bool(row.user_id == self.user_id and row.demo_session_id == self.demo_session_id)

    def owner_filter(self, model: Any) -> ColumnElement[bool]:
        """SQL filter for rows this actor owns (local = rows with neither owner)."""
        user_col = model.user_id
        demo_col = model.demo_session_id
        if self.kind == "user":
            return and_(user_col == self.id, demo_col.is_(None))
        if self.kind == "demo":
            return and_(demo_col == self.id, user_col.is_(None))
        return and_(user_col.is_(None), demo_col.is_(None))
