"""audit_events: an index on at

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01

The trail only grows (every case opened, claimed, resolved; every erasure and purge), and it
is read by time: the weekly digest's redraw looks for the latest erasure or purge every ten
minutes (newest first along the index, it stops at the first), the case history behind
``helpbot report`` and ``/staff/report`` reads a period's events in time order. Without an
index each of these reads the whole table.
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_audit_events_at", "audit_events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_at", table_name="audit_events")
