"""answering: the message an unanswered question came in, so a redelivered one is recorded once

Revision ID: a0002
Revises: a0001
"""

import sqlalchemy as sa
from alembic import op

revision = "a0002"
down_revision = "a0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("unanswered_questions") as batch:  # SQLite adds a unique column by copying
        batch.add_column(sa.Column("message_key", sa.String(255), nullable=True))
        batch.create_unique_constraint("uq_unanswered_questions_message_key", ["message_key"])


def downgrade() -> None:
    with op.batch_alter_table("unanswered_questions") as batch:
        batch.drop_constraint("uq_unanswered_questions_message_key", type_="unique")
        batch.drop_column("message_key")
