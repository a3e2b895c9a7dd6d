"""deliveries: one waiting reminder per person, entry and time (a unique partial index)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01

「締切前に知らせて」 tapped twice (or two processes answering at once) could both pass the
"already set" check and queue two reminders. Duplicates already waiting are cancelled (the
oldest stays), then the index makes the database refuse a second one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

WAITING = "kind = 'reminder' AND entry_id IS NOT NULL AND state IN ('pending', 'leased')"


def upgrade() -> None:
    op.execute(
        f"UPDATE deliveries SET state = 'cancelled' WHERE {WAITING} AND id NOT IN ("
        f"SELECT MIN(id) FROM deliveries WHERE {WAITING} GROUP BY contact_id, entry_id, due_at)"
    )
    op.create_index(
        "uq_deliveries_waiting_reminder", "deliveries", ["contact_id", "entry_id", "due_at"],
        unique=True, sqlite_where=sa.text(WAITING), postgresql_where=sa.text(WAITING),
    )


def downgrade() -> None:
    op.drop_index("uq_deliveries_waiting_reminder", table_name="deliveries")
