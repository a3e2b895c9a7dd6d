"""knowledge versions, process heartbeats, staff notices without a case

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helpbot.storage.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "knowledge_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("contents", sa.JSON(), nullable=True),
        sa.Column("problems", sa.JSON(), nullable=True),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column(
            "files_changed_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "recorded_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_versions")),
        sa.UniqueConstraint(
            "content_hash", "state", name=op.f("uq_knowledge_versions_content_hash")
        ),
    )
    with op.batch_alter_table("knowledge_versions", schema=None) as batch_op:
        batch_op.create_index("ix_knowledge_versions_state_id", ["state", "id"], unique=False)

    op.create_table(
        "knowledge_processes",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("served_hash", sa.String(length=64), nullable=True),
        sa.Column(
            "served_since", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column(
            "started_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "heartbeat_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_knowledge_processes")),
    )

    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM staff_posts WHERE case_id IS NULL")
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("knowledge_processes")
    with op.batch_alter_table("knowledge_versions", schema=None) as batch_op:
        batch_op.drop_index("ix_knowledge_versions_state_id")
    op.drop_table("knowledge_versions")
