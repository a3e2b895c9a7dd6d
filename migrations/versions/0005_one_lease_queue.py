"""one claim-with-lease queue: shared status words, recorded turns, staff notices

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30

Events, deliveries and staff posts now share one set of status words (``QueueState``):
pending, leased, done, failed, cancelled. Rows keep their meaning; only the words change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (table, column, old word, new word)
_WORDS = [
    ("webhook_events", "status", "processing", "leased"),
    ("deliveries", "state", "scheduled", "pending"),
    ("deliveries", "state", "sending", "leased"),
    ("deliveries", "state", "sent", "done"),
    ("staff_posts", "status", "sending", "leased"),
    ("staff_posts", "status", "sent", "done"),
    # A staff post that failed was always retried: it is pending, with its last error.
    ("staff_posts", "status", "failed", "pending"),
]


def _rename(pairs: list[tuple[str, str, str, str]]) -> None:
    for table, column, old, new in pairs:
        op.execute(
            sa.text(f"UPDATE {table} SET {column} = :new WHERE {column} = :old").bindparams(
                old=old, new=new
            )
        )


def upgrade() -> None:
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("turn", sa.JSON(), nullable=True))
    # staff_posts.case_id became nullable (notices) in 0004.
    _rename(_WORDS)


def downgrade() -> None:
    _rename([(t, c, new, old) for t, c, old, new in reversed(_WORDS) if old != "failed"])
    with op.batch_alter_table("webhook_events", schema=None) as batch_op:
        batch_op.drop_column("turn")
