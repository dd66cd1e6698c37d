"""What the answering feature remembers: questions it could not answer, and whether answers helped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.database import Base, Database, UTCDateTime


class UnansweredRow(Base):
    __tablename__ = "unanswered_questions"
    __table_args__ = (UniqueConstraint("message_key", name="uq_unanswered_questions_message_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    source: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    passed_to_support: Mapped[bool] = mapped_column(Boolean, default=False)
    # The message it came in, so a redelivered message is recorded once; None where none can repeat.
    message_key: Mapped[str | None] = mapped_column(String(255), nullable=True)


class FeedbackRow(Base):
    __tablename__ = "answer_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entry_id: Mapped[str] = mapped_column(String(128), index=True)
    question: Mapped[str] = mapped_column(Text)
    helpful: Mapped[bool] = mapped_column(Boolean)
    user_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Unanswered:
    id: int
    question: str
    asked_at: datetime
    source: str
    user_id: str | None
    passed_to_support: bool


@dataclass(frozen=True)
class Helped:
    """A person said this entry's answer helped with this question."""

    entry_id: str
    question: str
    given_at: datetime


def record_unanswered(
    db: Database,
    question: str,
    when: datetime,
    source: str,
    user_id: str | None,
    message_key: str | None = None,
) -> int:
    """Callers pass text that the privacy guard has already cleaned. A message already recorded under
    `message_key` (Slack redelivers an event whose reply failed) keeps its row and gets its id."""
    if message_key is not None and (known := _recorded(db, message_key)) is not None:
        return known
    row = {"question": question, "asked_at": when, "source": source, "user_id": user_id}
    try:
        with db.session() as session:
            result = session.execute(insert(UnansweredRow).values(**row, message_key=message_key))
            return int(result.inserted_primary_key[0])
    except IntegrityError:  # another replica recorded the same message a moment ago
        known = _recorded(db, message_key) if message_key is not None else None
        if known is None:
            raise
        return known


def _recorded(db: Database, message_key: str) -> int | None:
    with db.session() as session:
        return session.scalar(select(UnansweredRow.id).where(UnansweredRow.message_key == message_key))


def mark_passed_to_support(db: Database, unanswered_id: int) -> Unanswered | None:
    """The question as recorded (whole, and who asked it), or None when there is no such question; the
    id comes from a button, so it may be any integer, and one beyond a 64-bit key would make the
    database raise instead of finding nothing."""
    if not 0 < unanswered_id < 2**63:
        return None
    with db.session() as session:
        row = session.get(UnansweredRow, unanswered_id)
        if row is None:
            return None
        row.passed_to_support = True
        return Unanswered(row.id, row.question, row.asked_at, row.source, row.user_id, True)


def unanswered_between(db: Database, start: datetime, end: datetime) -> list[Unanswered]:
    with db.session() as session:
        rows = session.scalars(
            select(UnansweredRow)
            .where(UnansweredRow.asked_at >= start, UnansweredRow.asked_at < end)
            .order_by(UnansweredRow.asked_at)
        )
        return [
            Unanswered(r.id, r.question, r.asked_at, r.source, r.user_id, r.passed_to_support) for r in rows
        ]


def record_feedback(
    db: Database, entry_id: str, question: str, helpful: bool, user_id: str | None, when: datetime
) -> None:
    with db.session() as session:
        session.execute(
            insert(FeedbackRow).values(
                entry_id=entry_id, question=question, helpful=helpful, user_id=user_id, given_at=when
            )
        )


def helped_between(db: Database, start: datetime, end: datetime) -> list[Helped]:
    with db.session() as session:
        rows = session.scalars(
            select(FeedbackRow)
            .where(FeedbackRow.helpful, FeedbackRow.given_at >= start, FeedbackRow.given_at < end)
            .order_by(FeedbackRow.given_at)
        )
        return [Helped(r.entry_id, r.question, r.given_at) for r in rows]


def feedback_counts(db: Database) -> dict[str, tuple[int, int]]:
    """Per entry: (helpful, not helpful)."""
    with db.session() as session:
        rows = session.execute(
            select(FeedbackRow.entry_id, FeedbackRow.helpful, func.count()).group_by(
                FeedbackRow.entry_id, FeedbackRow.helpful
            )
        )
        counts: dict[str, list[int]] = {}
        for entry_id, helpful, n in rows:
            counts.setdefault(entry_id, [0, 0])[0 if helpful else 1] += n
        return {k: (v[0], v[1]) for k, v in counts.items()}
