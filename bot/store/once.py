"""Claims that succeed exactly once across retries, double clicks and replicas.

The primary key does the work: the first insert of a key wins, every later one fails.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import String, delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.database import Base, Database, UTCDateTime


class OnceKey(Base):
    __tablename__ = "once_keys"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def claim(db: Database, key: str, now: datetime) -> bool:
    """True for the first caller with this key, False for every retry of it."""
    try:
        with db.session() as session:
            session.execute(insert(OnceKey).values(key=key[:255], claimed_at=now))
        return True
    except IntegrityError:
        return False


def forget_older_than(db: Database, now: datetime, age: timedelta) -> int:
    """Drop old claims; Slack stops retrying an event within an hour, so a day is ample."""
    with db.session() as session:
        return session.execute(delete(OnceKey).where(OnceKey.claimed_at < now - age)).rowcount or 0
