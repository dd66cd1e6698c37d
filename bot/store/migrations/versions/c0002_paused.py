"""comms: a comms lead's pause of an announcement, who paused and resumed it and when, kept apart from
the columns the plan files write so re-reading them never un-pauses a post

Revision ID: c0002
Revises: c0001
"""

import sqlalchemy as sa
from alembic import op

revision = "c0002"
down_revision = "c0001"
branch_labels = None
depends_on = None

_COLUMNS = ("paused", "paused_at", "paused_by", "resumed_at", "resumed_by")


def upgrade() -> None:
    # Every announcement stored before this version is running, not paused.
    op.add_column(
        "comms_announcements", sa.Column("paused", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("comms_announcements", sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("comms_announcements", sa.Column("paused_by", sa.String(64), nullable=True))
    op.add_column("comms_announcements", sa.Column("resumed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("comms_announcements", sa.Column("resumed_by", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("comms_announcements") as batch:  # SQLite drops a column by copying the table
        for column in reversed(_COLUMNS):
            batch.drop_column(column)
