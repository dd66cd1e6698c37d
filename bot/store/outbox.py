"""The outbox: what the bot must post, written in the same transaction as the change that causes it.

Rows hold neutral intents (a kind and a reference), never Block Kit, so the post is rendered from the
current state when it is delivered. Delivery claims rows with a conditional UPDATE and a lease, so
several replicas share the work and a crashed replica's claim is retried when its lease expires.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    and_,
    case,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.store.database import Base, Database, UTCDateTime

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, DROPPED = "pending", "sending", "sent", "dropped"
ONLY_EDIT = "only_edit"  # set in an edit's payload: if its post was deleted, nothing is posted again


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due_at", "status", "due_at"),
        Index("ix_outbox_kind_ref", "kind", "ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(64))
    ref: Mapped[str] = mapped_column(String(128))
    target: Mapped[str | None] = mapped_column(String(128), nullable=True)
    payload: Mapped[str] = mapped_column(Text, default="{}")
    updates_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"), nullable=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    first_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    channel: Mapped[str | None] = mapped_column(String(64), nullable=True)
    ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(255), nullable=True)


@dataclass(frozen=True)
class Intent:
    """Something to post. `updates_kind` edits the earlier post of that kind for the same ref instead:
    the first one, or with `updates_every` each of them (call-outs repeated until acknowledged)."""

    kind: str
    ref: str
    target: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    dedupe_key: str | None = None
    updates_kind: str | None = None
    due_at: datetime | None = None
    updates_every: bool = False


@dataclass(frozen=True)
class Item:
    """A row as delivery sees it; `channel` and `ts` say where it went once sent."""

    id: int
    kind: str
    ref: str
    target: str | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    first_attempt_at: datetime | None
    status: str = SENDING
    updates_id: int | None = None
    channel: str | None = None
    ts: str | None = None
    last_error: str | None = None

    @property
    def is_update(self) -> bool:
        return self.updates_id is not None


def enqueue(session: Session, intent: Intent, now: datetime) -> int | None:
    """Add a row inside the caller's transaction (an edit: one per post it edits); the first row's id,
    or None when its dedupe key was already used or there is no post to edit."""
    if not intent.updates_kind:
        return _insert(session, intent, None, now)
    originals = (
        select(OutboxRow.id)
        .where(OutboxRow.kind == intent.updates_kind, OutboxRow.ref == intent.ref)
        .order_by(OutboxRow.id)
    )
    # Nothing posted to edit: the original post, when made, will show the current state.
    ids = [
        _insert(session, intent, i, now)
        for i in session.scalars(originals.limit(None if intent.updates_every else 1))
    ]
    return ids[0] if ids else None


def _insert(session: Session, intent: Intent, updates_id: int | None, now: datetime) -> int | None:
    values = dict(
        kind=intent.kind, ref=intent.ref, target=intent.target, payload=json.dumps(intent.payload),
        updates_id=updates_id, dedupe_key=intent.dedupe_key, status=PENDING, attempts=0,
        created_at=now, due_at=intent.due_at or now,
    )  # fmt: skip
    statement = _insert_ignoring_duplicates(session).values(**values).returning(OutboxRow.id)
    return session.scalar(statement)


def supersede(session: Session, kind: str, ref: str, newer_id: int, reason: str, now: datetime) -> int:
    """Drop rows of this kind and ref still waiting behind `newer_id`, inside the caller's transaction:
    a newer post says all they would (a later escalation), so they are not posted in a burst when
    Slack comes back. A row being posted right now is left alone."""
    return withdraw(session, kind, ref, reason, now, OutboxRow.id < newer_id)


def withdraw(
    session: Session, kind: str, ref: str, reason: str, now: datetime, *only: ColumnElement[bool]
) -> int:
    """Drop rows of this kind and ref still waiting for Slack (`only` those), inside the caller's
    transaction; how many. A row being posted right now is left alone."""
    waiting = and_(OutboxRow.kind == kind, OutboxRow.ref == ref, OutboxRow.status == PENDING, *only)
    values = dict(status=DROPPED, sent_at=now, lease_until=None, last_error=reason[:255])
    return session.execute(update(OutboxRow).where(waiting).values(**values)).rowcount or 0


def _insert_ignoring_duplicates(session: Session):  # type: ignore[no-untyped-def]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(OutboxRow).on_conflict_do_nothing(index_elements=["dedupe_key"])


def enqueue_all(db: Database, intents: list[Intent], now: datetime) -> list[int | None]:
    with db.session() as session:
        return [enqueue(session, intent, now) for intent in intents]


def claim_due(
    db: Database, now: datetime, lease: timedelta, limit: int = 20, first: Collection[str] = ()
) -> list[Item]:
    """Claim up to `limit` due rows for this worker alone; expired leases are claimable again.

    Rows of the kinds in `first` (patient-safety call-outs) go before the rest, then the oldest first,
    so after an outage a backlog is posted in the order it arose, the urgent posts ahead of it.
    """
    claimable = or_(
        and_(OutboxRow.status == PENDING, OutboxRow.due_at <= now),
        and_(OutboxRow.status == SENDING, OutboxRow.lease_until <= now),
    )
    urgent = case((OutboxRow.kind.in_(list(first)), 0), else_=1) if first else literal(1)
    with db.session() as session:
        ids = session.scalars(
            select(OutboxRow.id).where(claimable).order_by(urgent, OutboxRow.id).limit(limit)
        )
        candidates = list(ids)
    claimed = []
    for row_id in candidates:
        with db.session() as session:
            won = session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == row_id, claimable)
                .values(
                    status=SENDING,
                    lease_until=now + lease,
                    attempts=OutboxRow.attempts + 1,
                    first_attempt_at=func.coalesce(OutboxRow.first_attempt_at, now),
                )
            ).rowcount
        if won:
            item = get(db, row_id)
            if item is not None:
                claimed.append(item)
    return claimed


def _payload(row_id: int, text: str | None) -> dict[str, Any]:
    """A row's payload; a malformed one (a hand edit, a cut-off write) reads as empty and is logged,
    so the row is still posted and cannot stop every row behind it from being claimed."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    log.error("outbox row %s has a malformed payload; posting it without one", row_id)
    return {}


def get(db: Database, row_id: int) -> Item | None:
    with db.session() as session:
        row = session.get(OutboxRow, row_id)
        if row is None:
            return None
        return Item(
            id=row.id, kind=row.kind, ref=row.ref, target=row.target, payload=_payload(row.id, row.payload),
            attempts=row.attempts, created_at=row.created_at, first_attempt_at=row.first_attempt_at,
            status=row.status, updates_id=row.updates_id,
            channel=row.channel, ts=row.ts, last_error=row.last_error,
        )  # fmt: skip


def hasten(
    db: Database,
    now: datetime,
    reasons: Collection[str],
    first: Collection[str] = (),
    limit: int | None = None,
) -> int:
    """Make due now the rows waiting out a backoff for one of these reasons (Slack could not be
    reached), urgent kinds first: Slack is back (or being tried), and a post must not wait up to 15
    more minutes for its next try."""
    failed = or_(*[OutboxRow.last_error.startswith(r, autoescape=True) for r in reasons])
    waiting = select(OutboxRow.id).where(OutboxRow.status == PENDING, OutboxRow.due_at > now, failed)
    with db.session() as session:
        ids = list(session.scalars(waiting.order_by(_urgent(first), OutboxRow.id).limit(limit)))
        if not ids:
            return 0
        hastened = session.execute(update(OutboxRow).where(OutboxRow.id.in_(ids)).values(due_at=now))
        return hastened.rowcount or 0


def _urgent(first: Collection[str]) -> Any:
    """Sorts rows of the kinds in `first` ahead of the others."""
    return case((OutboxRow.kind.in_(list(first)), 0), else_=1) if first else literal(1)


def renew(db: Database, row_id: int, attempt: int, now: datetime, lease: timedelta) -> bool:
    """Extend this worker's claim just before it posts; False when the claim is no longer its own
    (its lease ran out and another replica claimed the row), so it must not post as well."""
    with db.session() as session:
        return bool(
            session.execute(
                update(OutboxRow).where(*_claimed(row_id, attempt)).values(lease_until=now + lease)
            ).rowcount
        )


def mark_sent(
    db: Database, row_id: int, channel: str | None, ts: str | None, now: datetime, attempt: int | None = None
) -> bool:
    """Record where the post went, so later updates edit it in place."""
    return _finish(db, row_id, attempt, status=SENT, channel=channel, ts=ts, sent_at=now, last_error=None)


def moved(db: Database, row_id: int, channel: str | None, ts: str | None) -> None:
    """A sent post was posted again (someone deleted it): later updates edit the new one."""
    with db.session() as session:
        session.execute(update(OutboxRow).where(OutboxRow.id == row_id).values(channel=channel, ts=ts))


def retry_later(db: Database, row_id: int, reason: str, when: datetime, attempt: int | None = None) -> bool:
    """Put a claimed row back for another attempt; `reason` must hold no secret or identifier."""
    return _finish(db, row_id, attempt, status=PENDING, due_at=when, last_error=reason[:255])


def drop(db: Database, row_id: int, reason: str, now: datetime, attempt: int | None = None) -> bool:
    """Nothing left to post (the renderer says so): keep the row, with why, for the record."""
    return _finish(db, row_id, attempt, status=DROPPED, sent_at=now, last_error=reason[:255])


def _finish(db: Database, row_id: int, attempt: int | None, **values: object) -> bool:
    """End an attempt on a claimed row: release its lease and set the outcome.

    With `attempt` (the claim's attempt number) only while the claim is still this worker's: a worker
    whose lease ran out while Slack was slow must not put back, or drop, a row another replica has
    since claimed or posted, or the post would be made twice (or lost). False when it was not.
    """
    where = _claimed(row_id, attempt) if attempt is not None else [OutboxRow.id == row_id]
    with db.session() as session:
        finished = session.execute(update(OutboxRow).where(*where).values(lease_until=None, **values))
        return bool(finished.rowcount)


def _claimed(row_id: int, attempt: int) -> list[Any]:
    """The row, while the claim that gave it this attempt number is the latest one."""
    return [OutboxRow.id == row_id, OutboxRow.status == SENDING, OutboxRow.attempts == attempt]


def items_for(db: Database, kind: str | None = None, ref: str | None = None) -> list[Item]:
    """Rows by kind and/or ref, oldest first: what was (or will be) posted about something."""
    with db.session() as session:
        query = select(OutboxRow.id).order_by(OutboxRow.id)
        if kind:
            query = query.where(OutboxRow.kind == kind)
        if ref:
            query = query.where(OutboxRow.ref == ref)
        ids = list(session.scalars(query))
    return [item for item in (get(db, i) for i in ids) if item]


def posted_at(db: Database, channel: str, ts: str) -> Item | None:
    """The row whose post is this message, if the bot posted it: a reply in its thread is about it."""
    with db.session() as session:
        row_id = session.scalar(
            select(OutboxRow.id).where(OutboxRow.channel == channel[:64], OutboxRow.ts == ts[:32]).limit(1)
        )
    return get(db, row_id) if row_id is not None else None


def known_channel(db: Database, target: str) -> str | None:
    """The channel id an earlier post to `target` (e.g. "#golive-triage") went to, if any did."""
    with db.session() as session:
        return session.scalar(
            select(OutboxRow.channel)
            .where(OutboxRow.target == target, OutboxRow.status == SENT, OutboxRow.channel.is_not(None))
            .order_by(OutboxRow.id.desc())
            .limit(1)
        )


def undelivered_count(db: Database) -> int:
    """Rows still waiting or being sent: what a health check or the reports can show."""
    with db.session() as session:
        return int(
            session.scalar(
                select(func.count()).select_from(OutboxRow).where(OutboxRow.status.in_((PENDING, SENDING)))
            )
            or 0
        )
