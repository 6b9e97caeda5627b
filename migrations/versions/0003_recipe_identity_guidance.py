"""recipes: identity (source key, content hash), yields as quantity + unit; steps: section and guidance

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("recipes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_key", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("yield_quantity", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("yield_quantity_max", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("yield_unit", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("yield_text", sa.String(length=200), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_recipes_source_key"), ["source_key"])
    with op.batch_alter_table("recipe_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("section", sa.String(length=200), nullable=True))
        batch_op.add_column(
            sa.Column(
                "guidance",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("recipe_steps", schema=None) as batch_op:
        batch_op.drop_column("guidance")
        batch_op.drop_column("section")
    with op.batch_alter_table("recipes", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_recipes_source_key"), type_="unique")
        batch_op.drop_column("yield_text")
        batch_op.drop_column("yield_unit")
        batch_op.drop_column("yield_quantity_max")
        batch_op.drop_column("yield_quantity")
        batch_op.drop_column("content_hash")
        batch_op.drop_column("source_key")
