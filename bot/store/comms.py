"""What the communications plan keeps: announcements (from files and Slack), and one row per due time.

The primary key of `comms_runs` (announcement id, due time) is the exactly-once claim: the replica
whose insert wins posts, and it writes the post intents to the outbox in the same transaction. A
comms lead's pause is kept on the announcement's row, in columns the plan files never write, so
re-reading the files leaves it paused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, false, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.comms.model import FROM_FILE, RUNNING, Announcement, Hold
from bot.store import outbox
from bot.store.database import Base, Database, UTCDateTime

POSTED, SKIPPED, PAUSED = "posted", "skipped", "paused"  # PAUSED: skipped while a comms lead held it
ANNOUNCEMENT_KIND = "announcement"
SKIPPED_KIND = "announcement.skipped"  # telling someone a post was not made
_CURSOR = "scheduler"
_TIMING = ("cron", "at", "start_at", "until", "phases")


class AnnouncementRow(Base):
    __tablename__ = "comms_announcements"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    origin: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(512))
    channels: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    cron: Mapped[str | None] = mapped_column(String(128), nullable=True)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    phases: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    retired_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    paused_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resumed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RunRow(Base):
    __tablename__ = "comms_runs"

    announcement_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime(), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())
    collapsed: Mapped[int] = mapped_column(Integer, default=0)


class CursorRow(Base):
    __tablename__ = "comms_cursor"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    checked_until: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Stored:
    """An announcement as stored, with when it took its present times (added, or moved in its file: a time
    up to the grace before is still posted, as the scheduler has not yet looked at it), whether a comms
    lead has paused it, and whether it was cancelled or removed from its file."""

    announcement: Announcement
    created_at: datetime
    hold: Hold = RUNNING
    retired: bool = False


def _to_row_values(a: Announcement) -> dict:
    return dict(
        origin=a.origin, source=a.source[:512], channels=json.dumps(list(a.channels)), text=a.text,
        cron=a.cron, at=a.at, start_at=a.start, until=a.until, phases=",".join(a.phases),
        created_by=a.created_by,
    )  # fmt: skip


def _from_row(row: AnnouncementRow) -> Stored:
    announcement = Announcement(
        id=row.id, channels=tuple(json.loads(row.channels)), text=row.text, cron=row.cron, at=row.at,
        start=row.start_at, until=row.until, phases=tuple(row.phases.split(",")), origin=row.origin,
        source=row.source, created_by=row.created_by,
    )  # fmt: skip
    hold = Hold(bool(row.paused), row.paused_at, row.paused_by, row.resumed_at, row.resumed_by)
    return Stored(announcement, row.created_at, hold, row.retired_at is not None)


def sync_file_announcements(db: Database, announcements: list[Announcement], now: datetime) -> None:
    """Make the stored file announcements match the files: add, update, retire what was removed.

    Replicas starting together may race to add the same announcement; the loser's insert fails on
    the primary key, and its second pass finds the rows and updates them instead.
    """
    try:
        _sync(db, announcements, now)
    except IntegrityError:
        _sync(db, announcements, now)


def _sync(db: Database, announcements: list[Announcement], now: datetime) -> None:
    wanted = {a.id: a for a in announcements}
    with db.session() as session:
        query = select(AnnouncementRow).where(AnnouncementRow.origin == FROM_FILE)
        rows = {r.id: r for r in session.scalars(query)}
        for ident, a in wanted.items():
            if ident in rows:
                moved = {"created_at": now} if _times(rows[ident]) != _times(_to_row_values(a)) else {}
                session.execute(
                    update(AnnouncementRow)
                    .where(AnnouncementRow.id == ident)
                    .values(**_to_row_values(a), **moved, retired_at=None, retired_by=None)
                )
            else:
                session.execute(insert(AnnouncementRow).values(id=ident, created_at=now, **_to_row_values(a)))
        for ident, row in rows.items():
            if ident not in wanted and row.retired_at is None:
                row.retired_at, row.retired_by = now, "removed from the schedules files"


def _times(row: AnnouncementRow | dict) -> tuple:
    """What decides when a post is due, from a stored row or the values to store."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return tuple(get(name) for name in _TIMING)


def add_announcement(db: Database, announcement: Announcement, now: datetime) -> None:
    with db.session() as session:
        session.execute(
            insert(AnnouncementRow).values(id=announcement.id, created_at=now, **_to_row_values(announcement))
        )


def retire(db: Database, announcement_id: str, by: str, now: datetime) -> bool:
    """Cancel an active announcement; False when there is no such active one."""
    with db.session() as session:
        return bool(
            session.execute(
                update(AnnouncementRow)
                .where(AnnouncementRow.id == announcement_id, AnnouncementRow.retired_at.is_(None))
                .values(retired_at=now, retired_by=by)
            ).rowcount
        )


def active_announcements(db: Database, origin: str | None = None) -> list[Stored]:
    with db.session() as session:
        query = select(AnnouncementRow).where(AnnouncementRow.retired_at.is_(None))
        query = query.order_by(AnnouncementRow.id)
        if origin:
            query = query.where(AnnouncementRow.origin == origin)
        return [_from_row(r) for r in session.scalars(query)]


def get_announcement(db: Database, announcement_id: str, postable: bool = False) -> Announcement | None:
    """The announcement, cancelled or not; with `postable`, None once it is cancelled, removed or paused."""
    stored = get_stored(db, announcement_id)
    if stored is None or (postable and (stored.retired or stored.hold.paused)):
        return None
    return stored.announcement


def get_stored(db: Database, announcement_id: str) -> Stored | None:
    with db.session() as session:
        row = session.get(AnnouncementRow, announcement_id)
        return None if row is None else _from_row(row)


def paused_announcements(db: Database) -> dict[str, Hold]:
    """The holds of every paused announcement, cancelled or not, by id."""
    with db.session() as session:
        rows = session.scalars(select(AnnouncementRow).where(AnnouncementRow.paused.is_(True)))
        return {row.id: _from_row(row).hold for row in rows}


def pause(db: Database, announcement_id: str, by: str, now: datetime) -> bool:
    """Hold an active announcement, and drop its posts still waiting for Slack (an outage) in the same
    transaction: the resume must not send them late. False when there is no such active one, or it is
    paused already (a double click, or two leads at once: one update wins, on every replica)."""

    def withdraw(session: Session) -> None:
        outbox.withdraw(session, ANNOUNCEMENT_KIND, announcement_id, f"paused by {by}", now)

    return _set_pause(db, announcement_id, True, withdraw, paused_at=now, paused_by=by)


def resume(db: Database, announcement_id: str, by: str, now: datetime) -> bool:
    """Let a paused active announcement post again from its next due time; False when there is no such
    one. Who paused it, and when, stay recorded beside who resumed it."""
    return _set_pause(db, announcement_id, False, None, resumed_at=now, resumed_by=by)


def _set_pause(
    db: Database, announcement_id: str, paused: bool, then: Callable[[Session], None] | None, **stamp: object
) -> bool:
    """Pause or resume an active announcement that is not so already, recording who and when, and do
    `then` in the same transaction when it changed."""
    with db.session() as session:
        changed = (
            update(AnnouncementRow)
            .where(AnnouncementRow.id == announcement_id, AnnouncementRow.retired_at.is_(None))
            .where(AnnouncementRow.paused.is_(not paused))
            .values(paused=paused, **stamp)
        )
        if not session.execute(changed).rowcount:
            return False
        if then:
            then(session)
        return True


def last_due_times(db: Database) -> dict[str, datetime]:
    """The latest due time already claimed for each announcement: where the next look starts."""
    with db.session() as session:
        latest = func.max(RunRow.due_at)
        rows = session.execute(select(RunRow.announcement_id, latest).group_by(RunRow.announcement_id))
        return {ident: due for ident, due in rows}


def claim_run(
    db: Database, announcement_id: str, due: datetime, outcome: str, collapsed: int,
    intents: list[outbox.Intent], now: datetime,
) -> str | None:  # fmt: skip
    """Record a due time and queue its posts in one transaction: the outcome recorded, or None when
    another replica won. An announcement paused since the caller looked is recorded PAUSED and nothing
    is queued: the pause is read after the claim's insert, holding its row (PostgreSQL) or the
    database's one writer (SQLite), so a pause committed first is always seen, on any replica."""
    try:
        with db.session() as session:
            run = dict(announcement_id=announcement_id, due_at=due, collapsed=collapsed)
            session.execute(insert(RunRow).values(recorded_at=now, outcome=outcome, **run))
            if outcome != PAUSED and _paused_now(session, announcement_id):
                outcome, intents = PAUSED, []
                recorded = update(RunRow).filter_by(announcement_id=announcement_id, due_at=due)
                session.execute(recorded.values(outcome=PAUSED))
            for intent in intents:
                outbox.enqueue(session, intent, now)
        return outcome
    except IntegrityError:
        return None


def _paused_now(session: Session, announcement_id: str) -> bool:
    query = select(AnnouncementRow.paused).where(AnnouncementRow.id == announcement_id).with_for_update()
    return bool(session.scalar(query))


def runs_of(db: Database, announcement_id: str) -> list[tuple[datetime, str]]:
    with db.session() as session:
        rows = session.execute(
            select(RunRow.due_at, RunRow.outcome)
            .where(RunRow.announcement_id == announcement_id)
            .order_by(RunRow.due_at)
        )
        return [(due, outcome) for due, outcome in rows]


def checked_until(db: Database) -> datetime | None:
    with db.session() as session:
        row = session.get(CursorRow, _CURSOR)
        return row.checked_until if row else None


def advance_checked_until(db: Database, when: datetime) -> None:
    """Every due time up to `when` has been handled by some replica; never moves backwards."""
    try:
        with db.session() as session:
            row = session.get(CursorRow, _CURSOR, with_for_update=True)
            if row is None:
                session.add(CursorRow(name=_CURSOR, checked_until=when))
            elif row.checked_until < when:
                row.checked_until = when
    except IntegrityError:  # another replica created it first; its value is as good as ours
        return
