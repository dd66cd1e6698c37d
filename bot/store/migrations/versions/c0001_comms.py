"""comms: announcements from files and Slack, one claimed row per due time, the scheduler's cursor

Revision ID: c0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "c0001"
down_revision = None
branch_labels = ("comms",)
depends_on = "i0001"  # posts go through the issues branch's outbox table


def upgrade() -> None:
    op.create_table(
        "comms_announcements",
        sa.Column("id", sa.String(128), primary_key=True),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("source", sa.String(512), nullable=False),
        sa.Column("channels", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("cron", sa.String(128), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("phases", sa.String(64), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_by", sa.String(64), nullable=True),
    )
    op.create_table(
        "comms_runs",
        sa.Column("announcement_id", sa.String(128), primary_key=True),
        sa.Column("due_at", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("collapsed", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "comms_cursor",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("checked_until", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("comms_cursor")
    op.drop_table("comms_runs")
    op.drop_table("comms_announcements")
