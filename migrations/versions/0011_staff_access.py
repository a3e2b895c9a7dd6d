"""staff access: tokens from `helpbot staff token` and staff page sessions

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helpbot.storage.models

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.String(length=64), nullable=False),
        sa.Column("staff_name", sa.String(length=128), nullable=False),
        sa.Column(
            "created_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column(
            "expires_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_access")),
        sa.UniqueConstraint("secret_hash", name=op.f("uq_staff_access_secret_hash")),
    )
    op.create_index(
        op.f("ix_staff_access_expires_at"), "staff_access", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_staff_access_expires_at"), table_name="staff_access")
    op.drop_table("staff_access")
