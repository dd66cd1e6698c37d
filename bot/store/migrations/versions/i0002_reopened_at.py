"""issues: when an issue was last reopened, so escalation restarts from then

Revision ID: i0002
Revises: i0001
"""

import sqlalchemy as sa
from alembic import op

revision = "i0002"
down_revision = "i0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("issues", sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issues") as batch:  # SQLite drops a column only by copying the table
        batch.drop_column("reopened_at")
