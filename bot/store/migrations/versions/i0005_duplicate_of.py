"""issues: the issue one was closed as a duplicate of, whose reporters it joined

Revision ID: i0005
Revises: i0004
"""

import sqlalchemy as sa
from alembic import op

revision = "i0005"
down_revision = "i0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("issues", sa.Column("duplicate_of", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issues") as batch:  # SQLite drops a column only by copying the table
        batch.drop_column("duplicate_of")
