"""answering: once-keys, unanswered questions, answer feedback

Revision ID: a0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "a0001"
down_revision = None
branch_labels = ("answering",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "once_keys",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_once_keys_claimed_at", "once_keys", ["claimed_at"])
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("passed_to_support", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_unanswered_questions_asked_at", "unanswered_questions", ["asked_at"])
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entry_id", sa.String(128), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("helpful", sa.Boolean, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("given_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_answer_feedback_entry_id", "answer_feedback", ["entry_id"])


def downgrade() -> None:
    op.drop_table("answer_feedback")
    op.drop_table("unanswered_questions")
    op.drop_table("once_keys")
