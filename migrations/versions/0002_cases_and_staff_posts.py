"""cases and staff posts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helpbot.storage.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("urgency", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("topic", sa.String(length=255), nullable=True),
        sa.Column("crisis_category", sa.String(length=64), nullable=True),
        sa.Column("opened_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("claimed_by_name", sa.String(length=128), nullable=True),
        sa.Column("times_reopened", sa.Integer(), nullable=False),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column(
            "last_announced_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("slack_channel", sa.String(length=64), nullable=True),
        sa.Column("slack_ts", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_cases_contact_id_contacts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index("ix_cases_contact_id_state", ["contact_id", "state"], unique=False)

    op.create_table(
        "staff_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("created_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "next_attempt_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("sent_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_staff_posts_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_posts")),
    )
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_posts_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_staff_posts_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_posts_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_staff_posts_case_id"))

    op.drop_table("staff_posts")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index("ix_cases_contact_id_state")

    op.drop_table("cases")
