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


def release(db: Database, key: str) -> None:
    """Give a claim back when its work failed, so the next retry of it is done instead of ignored."""
    with db.session() as session:
        session.execute(delete(OnceKey).where(OnceKey.key == key[:255]))


def forget_older_than(db: Database, now: datetime, age: timedelta, prefix: str = "event:") -> int:
    """Drop old claims whose keys start with `prefix`, so the table does not grow for ever.

    Scoped by prefix because only some claims can expire: Slack stops retrying an event within an
    hour, while a button or form may be clicked again days later and must still be refused.
    """
    with db.session() as session:
        old = delete(OnceKey).where(
            OnceKey.key.startswith(prefix, autoescape=True), OnceKey.claimed_at < now - age
        )
        return session.execute(old).rowcount or 0
