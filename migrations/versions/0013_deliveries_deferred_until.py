"""deliveries: deferred_until, when quiet hours moved a reminder to the morning

Revision ID: 0013
Revises: 0008
Create Date: 2026-11-30

A row that quiet hours deferred holds back only rows of its own kind until then, so a
person's other messages (a crisis reply, a case worker's words) never wait for a reminder.
``next_attempt_at`` stays the lease and backoff time; this column says why a row waits.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helpbot.storage.models

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(
            sa.Column(
                "deferred_until", helpbot.storage.models.UTCDateTime(timezone=True),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("deferred_until")
