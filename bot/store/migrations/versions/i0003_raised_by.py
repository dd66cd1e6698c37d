"""issues: who wrote the message a floorwalker logged as an issue, so they hear how it goes

Revision ID: i0003
Revises: i0002
"""

import sqlalchemy as sa
from alembic import op

revision = "i0003"
down_revision = "i0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("issues", sa.Column("raised_by", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issues") as batch:  # SQLite drops a column only by copying the table
        batch.drop_column("raised_by")
