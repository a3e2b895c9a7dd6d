"""crisis: why a case was urgent, false alarms and near misses

Revision ID: 0008
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helpbot.storage.models

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("crisis_why", sa.String(length=255), nullable=True))
    op.create_table(
        "crisis_signals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("why", sa.String(length=255), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("marked_by", sa.String(length=64), nullable=True),
        sa.Column(
            "created_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_crisis_signals_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_crisis_signals_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_crisis_signals")),
    )
    op.create_index(
        op.f("ix_crisis_signals_created_at"), "crisis_signals", ["created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_crisis_signals_created_at"), table_name="crisis_signals")
    op.drop_table("crisis_signals")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("crisis_why")
