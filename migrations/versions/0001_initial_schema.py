"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 16:51:57.493281
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
import chefmentor.db.types

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "audit_logs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=50), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_logs")),
    )
    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_logs_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_logs_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "demo_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_sessions")),
    )
    with op.batch_alter_table("demo_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demo_sessions_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "recipes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("slug", sa.String(length=160), nullable=False),
        sa.Column(
            "difficulty",
            sa.Enum(
                "easy",
                "medium",
                "hard",
                name="recipe_difficulty",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("estimated_time_min", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(), nullable=True),
        sa.Column("servings", sa.Integer(), nullable=True),
        sa.Column("source_url", sa.String(length=1024), nullable=True),
        sa.Column("image_url", sa.String(length=1024), nullable=True),
        sa.Column(
            "ingredients",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipes")),
        sa.UniqueConstraint("slug", name=op.f("uq_recipes_slug")),
    )
    with op.batch_alter_table("recipes", schema=None) as batch_op:
        batch_op.create_index("idx_recipes_name", ["name"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum("user", "admin", name="user_role", native_enum=False, create_constraint=True, length=32),
            nullable=False,
        ),
        sa.Column("google_sub", sa.String(length=255), nullable=True),
        sa.Column("picture_url", sa.String(length=1024), nullable=True),
        sa.Column("created_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.UniqueConstraint("google_sub", name=op.f("uq_users_google_sub")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index("idx_users_email", ["email"], unique=False)

    op.create_table(
        "cooking_sessions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("demo_session_id", sa.Uuid(), nullable=True),
        sa.Column("recipe_id", sa.Uuid(), nullable=False),
        sa.Column("started_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "in_progress",
                "completed",
                "abandoned",
                name="cooking_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("current_step", sa.Integer(), nullable=False),
        sa.Column("paused_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "timers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["demo_session_id"],
            ["demo_sessions.id"],
            name=op.f("fk_cooking_sessions_demo_session_id_demo_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipe_id"],
            ["recipes.id"],
            name=op.f("fk_cooking_sessions_recipe_id_recipes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_cooking_sessions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooking_sessions")),
    )
    with op.batch_alter_table("cooking_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cooking_sessions_demo_session_id"), ["demo_session_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_cooking_sessions_recipe_id"), ["recipe_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cooking_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "recipe_steps",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("recipe_id", sa.Uuid(), nullable=False),
        sa.Column("step_number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("instruction", sa.Text(), nullable=False),
        sa.Column("expected_state", sa.String(length=100), nullable=True),
        sa.Column("expected_minutes", sa.Float(), nullable=True),
        sa.Column(
            "heat",
            sa.Enum(
                "off",
                "low",
                "medium_low",
                "medium",
                "medium_high",
                "high",
                "oven",
                name="step_heat",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("timer_seconds", sa.Integer(), nullable=True),
        sa.Column(
            "tips",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["recipe_id"], ["recipes.id"], name=op.f("fk_recipe_steps_recipe_id_recipes"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipe_steps")),
        sa.UniqueConstraint("recipe_id", "step_number", name="uq_recipe_steps_recipe_id_step_number"),
    )
    with op.batch_alter_table("recipe_steps", schema=None) as batch_op:
        batch_op.create_index("idx_steps_recipe", ["recipe_id"], unique=False)

    op.create_table(
        "refresh_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        sa.Column("parent_id", sa.Uuid(), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_refresh_tokens_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_refresh_tokens_family_id"), ["family_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_refresh_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "user_profiles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "cooking_habits",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_profiles_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_profiles")),
        sa.UniqueConstraint("user_id", name=op.f("uq_user_profiles_user_id")),
    )
    op.create_table(
        "cooking_step_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("step_number", sa.Integer(), nullable=False),
        sa.Column(
            "event",
            sa.Enum(
                "started",
                "completed",
                "skipped",
                "timer_started",
                "timer_finished",
                "note",
                name="step_event_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("client_event_id", sa.String(length=64), nullable=True),
        sa.Column(
            "data",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["cooking_sessions.id"],
            name=op.f("fk_cooking_step_events_session_id_cooking_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooking_step_events")),
        sa.UniqueConstraint("session_id", "client_event_id", name="uq_cooking_step_events_session_client"),
    )
    with op.batch_alter_table("cooking_step_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_cooking_step_events_session_step", ["session_id", "step_number"], unique=False
        )

    op.create_table(
        "failure_analyses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("demo_session_id", sa.Uuid(), nullable=True),
        sa.Column("cooking_session_id", sa.Uuid(), nullable=True),
        sa.Column("media_url", sa.Text(), nullable=False),
        sa.Column("media_kind", sa.String(length=16), nullable=True),
        sa.Column(
            "media_meta",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("dish", sa.String(length=150), nullable=True),
        sa.Column("cook_notes", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "completed",
                name="analysis_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("root_cause", sa.Text(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=True),
        sa.Column(
            "diagnosis",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("provider", sa.String(length=32), nullable=True),
        sa.Column("model", sa.String(length=100), nullable=True),
        sa.Column(
            "attempts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("diagnosed_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cooking_session_id"],
            ["cooking_sessions.id"],
            name=op.f("fk_failure_analyses_cooking_session_id_cooking_sessions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["demo_session_id"],
            ["demo_sessions.id"],
            name=op.f("fk_failure_analyses_demo_session_id_demo_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_failure_analyses_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_failure_analyses")),
    )
    with op.batch_alter_table("failure_analyses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_failure_analyses_category"), ["category"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_failure_analyses_cooking_session_id"), ["cooking_session_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_failure_analyses_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_failure_analyses_demo_session_id"), ["demo_session_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_failure_analyses_user_id"), ["user_id"], unique=False)

    op.create_table(
        "analysis_notes",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("analysis_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", chefmentor.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["analysis_id"],
            ["failure_analyses.id"],
            name=op.f("fk_analysis_notes_analysis_id_failure_analyses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_notes")),
    )
    with op.batch_alter_table("analysis_notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_analysis_notes_analysis_id"), ["analysis_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("analysis_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_notes_analysis_id"))

    op.drop_table("analysis_notes")
    with op.batch_alter_table("failure_analyses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_failure_analyses_user_id"))
        batch_op.drop_index(batch_op.f("ix_failure_analyses_demo_session_id"))
        batch_op.drop_index(batch_op.f("ix_failure_analyses_created_at"))
        batch_op.drop_index(batch_op.f("ix_failure_analyses_cooking_session_id"))
        batch_op.drop_index(batch_op.f("ix_failure_analyses_category"))

    op.drop_table("failure_analyses")
    with op.batch_alter_table("cooking_step_events", schema=None) as batch_op:
        batch_op.drop_index("ix_cooking_step_events_session_step")

    op.drop_table("cooking_step_events")
    op.drop_table("user_profiles")
    with op.batch_alter_table("refresh_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refresh_tokens_user_id"))
        batch_op.drop_index(batch_op.f("ix_refresh_tokens_family_id"))

    op.drop_table("refresh_tokens")
    with op.batch_alter_table("recipe_steps", schema=None) as batch_op:
        batch_op.drop_index("idx_steps_recipe")

    op.drop_table("recipe_steps")
    with op.batch_alter_table("cooking_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cooking_sessions_user_id"))
        batch_op.drop_index(batch_op.f("ix_cooking_sessions_recipe_id"))
        batch_op.drop_index(batch_op.f("ix_cooking_sessions_demo_session_id"))

    op.drop_table("cooking_sessions")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("idx_users_email")

    op.drop_table("users")
    with op.batch_alter_table("recipes", schema=None) as batch_op:
        batch_op.drop_index("idx_recipes_name")

    op.drop_table("recipes")
    with op.batch_alter_table("demo_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demo_sessions_expires_at"))

    op.drop_table("demo_sessions")
    with op.batch_alter_table("audit_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_logs_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_logs_created_at"))

    op.drop_table("audit_logs")
