"""program_answers: text_at, when the person's oldest kept words were written

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01

A search the person comes back to carries their earlier words into a row saved now, so
``updated_at`` says nothing of how old the words are. The retention purge empties ``text``
once ``text_at`` is older than the window (the facts stay while the row is in use). Rows
written before this take ``updated_at``: the best that is known of their words.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import helpbot.storage.models

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("program_answers") as batch:
        batch.add_column(
            sa.Column("text_at", helpbot.storage.models.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute("UPDATE program_answers SET text_at = updated_at WHERE text != ''")


def downgrade() -> None:
    with op.batch_alter_table("program_answers") as batch:
        batch.drop_column("text_at")
