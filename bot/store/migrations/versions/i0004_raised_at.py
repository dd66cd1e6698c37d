"""issues: when an issue was last raised to P1 or flagged as a risk to patients after it was logged, so
its escalation runs from then

Revision ID: i0004
Revises: i0003
"""

import sqlalchemy as sa
from alembic import op

revision = "i0004"
down_revision = "i0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("issues", sa.Column("raised_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issues") as batch:  # SQLite drops a column only by copying the table
        batch.drop_column("raised_at")
