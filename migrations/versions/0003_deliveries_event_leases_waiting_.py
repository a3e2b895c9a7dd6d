"""deliveries, event leases, waiting acknowledgements

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helpbot.storage.models

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("extra", sa.JSON(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("due_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "next_attempt_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("retry_key", sa.String(length=64), nullable=False),
        sa.Column("last_error", sa.String(length=255), nullable=True),
        sa.Column("created_by", sa.String(length=128), nullable=True),
        sa.Column("keep_after_resolve", sa.Boolean(), nullable=False),
        sa.Column("entry_id", sa.String(length=128), nullable=True),
        sa.Column("created_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "staff_told_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_deliveries_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_deliveries_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_deliveries_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deliveries_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_deliveries_contact_id_state", ["contact_id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_deliveries_state_next_attempt_at", ["state", "next_attempt_at"], unique=False
        )

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "person_waiting_since",
                helpbot.storage.models.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column(
                "waiting_acknowledged_at",
                helpbot.storage.models.UTCDateTime(timezone=True),
                nullable=True,
            )
        )

    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=128), nullable=True))
        batch_op.add_column(
            sa.Column(
                "next_attempt_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(
            "ix_webhook_events_source", ["channel", "source", "status"], unique=False
        )
        batch_op.create_index(
            "ix_webhook_events_status_next_attempt_at", ["status", "next_attempt_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.drop_index("ix_webhook_events_status_next_attempt_at")
        batch_op.drop_index("ix_webhook_events_source")
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("source")

    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("waiting_acknowledged_at")
        batch_op.drop_column("person_waiting_since")

    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_state_next_attempt_at")
        batch_op.drop_index("ix_deliveries_contact_id_state")
        batch_op.drop_index(batch_op.f("ix_deliveries_case_id"))

    op.drop_table("deliveries")
