"""step events keep the answer given for them (idempotent eventId replays)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cooking_step_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "answer",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("cooking_step_events", schema=None) as batch_op:
        batch_op.drop_column("answer")
