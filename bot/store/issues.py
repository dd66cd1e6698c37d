"""Where issues live: the issue, its extra reporters and its audit trail, with their outbox rows.

Every change is one transaction that writes the issue, its audit event and the posts it causes, so
nothing is posted about a change that was not stored and nothing stored goes unposted. Retries are
safe: a submission key is unique, and a transition only applies to the version it was decided on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    case,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.issues.model import (
    OPEN_STATUSES,
    Action,
    Event,
    Issue,
    Reporter,
    Resolution,
    Severity,
    Status,
)
from bot.store import outbox
from bot.store.database import Base, Database, UTCDateTime

Intents = Callable[[Issue], list[outbox.Intent]]


class IssueRow(Base):
    __tablename__ = "issues"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    submission_key: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text)
    location: Mapped[str] = mapped_column(String(100))
    area: Mapped[str] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(2))
    patient_safety: Mapped[bool] = mapped_column(Boolean)
    contact: Mapped[str] = mapped_column(String(60))
    reporter_id: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    source_link: Mapped[str | None] = mapped_column(Text, nullable=True)
    raised_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    assignee_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(32), nullable=True)
    resolution_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    escalations: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    raised_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    duplicate_of: Mapped[int | None] = mapped_column(Integer, nullable=True)  # an issue id; none is deleted


class ReporterRow(Base):
    __tablename__ = "issue_reporters"
    __table_args__ = (UniqueConstraint("issue_id", "user_id", name="uq_issue_reporters_issue_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"))
    user_id: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(String(100))
    contact: Mapped[str] = mapped_column(String(60))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventRow(Base):
    __tablename__ = "issue_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("issues.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")


@dataclass(frozen=True)
class NewIssue:
    """A validated, redacted issue ready to store."""

    summary: str
    details: str
    location: str
    area: str
    severity: Severity
    patient_safety: bool
    contact: str
    reporter_id: str
    source_link: str | None = None
    raised_by: str | None = None


@dataclass(frozen=True)
class Filters:
    """Which issues to list; every field narrows the list, None means any."""

    open_only: bool = True
    statuses: frozenset[Status] | None = None  # only these, open or closed: `open_only` then says nothing
    severities: frozenset[Severity] | None = None
    words: tuple[str, ...] = ()  # each in the location or the summary
    closed_duplicates: bool = False  # and those closed as duplicates, whatever their status
    unacknowledged: bool = False  # or open and waiting for someone to take it on (acknowledged by nobody)
    area: str | None = None
    involving: str | None = None  # reporter, author of the message logged, +1 reporter or assignee
    created_from: datetime | None = None
    created_to: datetime | None = None


def create(
    db: Database, new: NewIssue, key: str | None, now: datetime, intents: Intents
) -> tuple[Issue, bool]:
    """Store the issue with its first audit event and posts; a repeated key returns the first issue."""
    try:
        with db.session() as session:
            issue_id = session.execute(
                insert(IssueRow).values(
                    submission_key=key,
                    status=Status.NEW.value,
                    created_at=now,
                    updated_at=now,
                    escalations=0,
                    version=1,
                    **_new_values(new),
                )
            ).inserted_primary_key[0]
            _record(session, Event(issue_id, now, new.reporter_id, Action.REPORTED, None, Status.NEW))
            issue = _load(session, issue_id)
            _enqueue(session, intents(issue), now)
            return issue, True
    except IntegrityError:
        existing = by_submission_key(db, key) if key else None
        if existing is None:
            raise
        return existing, False


def _new_values(new: NewIssue) -> dict[str, Any]:
    return dict(
        summary=new.summary, details=new.details, location=new.location, area=new.area,
        severity=new.severity.value, patient_safety=new.patient_safety, contact=new.contact,
        reporter_id=new.reporter_id, source_link=new.source_link, raised_by=new.raised_by,
    )  # fmt: skip


def transition(
    db: Database, issue: Issue, changes: dict[str, Any], event: Event, now: datetime, intents: Intents
) -> Issue | None:
    """Apply `changes` only if nobody changed the issue since it was read; None when someone had."""
    with db.session() as session:
        if not _versioned(session, issue, changes, now):
            return None
        _record(session, event)
        updated = _load(session, issue.id)
        _enqueue(session, intents(updated), now)
        return updated


class _Stale(Exception):
    """Something changed since the decision was made: the whole transaction is undone."""


def close_as_duplicate(
    db: Database,
    issue: Issue,
    original: Issue,
    change: tuple[dict[str, Any], Event],
    joining: Sequence[Reporter],
    detail: str,
    intents: Callable[[Issue, Issue], list[outbox.Intent]],
) -> tuple[Issue, Issue] | None:
    """Close `issue` (`change`: its changes and audit event) as a duplicate of `original` and add its
    reporters (`joining`) to the original with `detail`, in one transaction with the posts both cause;
    None when either changed since it was read: the issue by anyone, the original by closing or lowering
    (a raise leaves it as urgent as the issue it takes). The rows are locked in id order, so two replicas
    closing each into the other cannot deadlock: the second finds its original closed."""
    changes, event = change
    now = event.at
    steps: dict[int, Callable[[Session], bool]] = {
        issue.id: lambda session: _versioned(session, issue, changes, now),
        original.id: lambda session: _unchanged(session, original, now),
    }
    try:
        with db.session() as session:
            for issue_id in sorted(steps):
                if not steps[issue_id](session):
                    raise _Stale
            _record(session, event)
            on_it = select(ReporterRow.user_id).where(ReporterRow.issue_id == original.id)
            already = set(session.scalars(on_it))
            for reporter in (r for r in joining if r.user_id not in already):
                _join(session, original.id, reporter, f"{reporter.location}: {detail}")
            closed, followed = _load(session, issue.id), _load(session, original.id)
            _enqueue(session, intents(closed, followed), now)
            return closed, followed
    except _Stale:
        return None


def _versioned(session: Session, issue: Issue, changes: dict[str, Any], now: datetime) -> bool:
    """Apply `changes` if the issue is still at the version they were decided on."""
    values = {
        k: (v.value if isinstance(v, Status | Resolution | Severity) else v) for k, v in changes.items()
    }
    return bool(
        session.execute(
            update(IssueRow)
            .where(IssueRow.id == issue.id, IssueRow.version == issue.version)
            .values(**values, updated_at=now, version=IssueRow.version + 1)
        ).rowcount
    )


def _unchanged(session: Session, issue: Issue, now: datetime) -> bool:
    """Touch the issue (locking its row) if it is still open and at least as urgent as when it was read:
    raised meanwhile, it still carries every reporter's urgency. Its version is left alone, as a '+1'
    leaves it: a triage click on it decided meanwhile still applies."""
    as_severe = [s.value for s in Severity if s.value <= issue.severity.value]  # P1 is the most severe
    still_flagged = IssueRow.patient_safety.is_(True) if issue.patient_safety else true()
    return bool(
        session.execute(
            update(IssueRow)
            .where(
                IssueRow.id == issue.id,
                IssueRow.status.in_([s.value for s in OPEN_STATUSES]),
                IssueRow.severity.in_(as_severe),
                still_flagged,
            )
            .values(updated_at=now)
        ).rowcount
    )


def _join(session: Session, issue_id: int, reporter: Reporter, detail: str) -> None:
    """One more reporter on the issue, with the '+1' (`detail`: where, and what they said) in its history."""
    session.execute(
        insert(ReporterRow).values(
            issue_id=issue_id,
            user_id=reporter.user_id,
            location=reporter.location,
            contact=reporter.contact,
            at=reporter.at,
        )
    )
    _record(session, Event(issue_id, reporter.at, reporter.user_id, Action.PLUS_ONE, None, None, detail))


def add_reporter(db: Database, issue: Issue, reporter: Reporter, intents: Intents, detail: str = "") -> bool:
    """Record a '+1', with `detail` (what they said) in the history; False when this person had
    already reported or +1'd the issue."""
    if issue.has_the_problem(reporter.user_id):
        return False
    try:
        with db.session() as session:
            _join(session, issue.id, reporter, detail or reporter.location)
            session.execute(update(IssueRow).where(IssueRow.id == issue.id).values(updated_at=reporter.at))
            _enqueue(session, intents(_load(session, issue.id)), reporter.at)
        return True
    except IntegrityError:
        return False


def note(db: Database, issue: Issue, event: Event, intents: list[outbox.Intent]) -> None:
    """Record what someone added and queue its post, in one transaction: neither without the other."""
    with db.session() as session:
        session.execute(update(IssueRow).where(IssueRow.id == issue.id).values(updated_at=event.at))
        _record(session, event)
        _enqueue(session, intents, event.at)


def escalate(db: Database, issue: Issue, count: int, now: datetime, intents: Intents) -> bool:
    """Move the escalation count to `count`, once across replicas: only the one that moves it wins."""
    with db.session() as session:
        changed = session.execute(
            update(IssueRow)
            .where(
                IssueRow.id == issue.id,
                IssueRow.escalations == issue.escalations,
                IssueRow.acknowledged_at.is_(None),
            )
            .values(escalations=count)
        ).rowcount
        if not changed:
            return False
        _record(session, Event(issue.id, now, "bot", Action.ESCALATE, None, None, f"escalation {count}"))
        for intent in intents(_load(session, issue.id)):
            row_id = outbox.enqueue(session, intent, now)
            if row_id is not None:  # one call-out, saying how long it has waited, not one per interval
                reason = f"superseded by escalation {count}"
                outbox.supersede(session, intent.kind, intent.ref, row_id, reason, now)
        return True


def get(db: Database, issue_id: int) -> Issue | None:
    with db.session() as session:
        return _load(session, issue_id) if session.get(IssueRow, issue_id) else None


def by_submission_key(db: Database, key: str) -> Issue | None:
    with db.session() as session:
        issue_id = session.scalar(select(IssueRow.id).where(IssueRow.submission_key == key))
        return _load(session, issue_id) if issue_id is not None else None


def listing(db: Database, filters: Filters = Filters()) -> list[Issue]:
    """Issues matching the filters, most severe then oldest first (a patient-safety flag counts with
    the P1s, as it does for call-outs), each with its extra reporters."""
    query = select(IssueRow)
    if (wanted := _in_status(filters)) is not None:
        query = query.where(wanted)
    if filters.severities:
        query = query.where(IssueRow.severity.in_([s.value for s in filters.severities]))
    if filters.area:
        query = query.where(func.lower(IssueRow.area) == filters.area.lower())
    for word in filters.words:
        place, summary = func.lower(IssueRow.location), func.lower(IssueRow.summary)
        query = query.where(or_(*(c.contains(word.lower(), autoescape=True) for c in (place, summary))))
    if filters.involving:
        plus_ones = select(ReporterRow.issue_id).where(ReporterRow.user_id == filters.involving)
        query = query.where(
            or_(
                IssueRow.reporter_id == filters.involving,
                IssueRow.raised_by == filters.involving,
                IssueRow.assignee_id == filters.involving,
                IssueRow.id.in_(plus_ones),
            )
        )
    if filters.created_from:
        query = query.where(IssueRow.created_at >= filters.created_from)
    if filters.created_to:
        query = query.where(IssueRow.created_at < filters.created_to)
    with db.session() as session:
        rows = list(session.scalars(query.order_by(*_MOST_URGENT_FIRST)))
        reporters = _reporters(session, [r.id for r in rows])
        return [_issue(row, reporters.get(row.id, ())) for row in rows]


def _in_status(filters: Filters) -> ColumnElement[bool] | None:
    """Where the issues stand that the filters ask for, any of them; None for every issue."""
    open_ = IssueRow.status.in_([s.value for s in OPEN_STATUSES])
    wanted = []
    if filters.statuses or (filters.open_only and not filters.unacknowledged):
        wanted.append(IssueRow.status.in_([s.value for s in filters.statuses or OPEN_STATUSES]))
    if filters.unacknowledged:  # a raise to patient safety asks an assigned issue to be taken on again
        wanted.append(and_(open_, IssueRow.acknowledged_at.is_(None)))
    if wanted and filters.closed_duplicates:
        wanted.append(IssueRow.duplicate_of.is_not(None))
    return or_(*wanted) if wanted else None


# A P3 flagged as a risk to patients is called out as a P1 is: it must not fall below every P2 in a list
# or out of the command centre's top ten.
_MOST_URGENT_FIRST = (
    case((or_(IssueRow.severity == Severity.P1.value, IssueRow.patient_safety.is_(True)), 0), else_=1),
    IssueRow.severity,
    IssueRow.created_at,
    IssueRow.id,
)


def events(db: Database, issue_ids: Iterable[int] | None = None) -> list[Event]:
    """The audit trail, oldest first: every issue's, or only these issues'."""
    query = select(EventRow).order_by(EventRow.at, EventRow.id)
    with db.session() as session:
        if issue_ids is None:
            return [_event(row) for row in session.scalars(query)]
        rows = [
            r
            for ids in _chunks(list(issue_ids))
            for r in session.scalars(query.where(EventRow.issue_id.in_(ids)))
        ]
    return [_event(row) for row in sorted(rows, key=lambda r: (r.at, r.id))]


def open_counts(db: Database) -> dict[Severity, int]:
    """Open issues by severity, every severity present (zero when none)."""
    with db.session() as session:
        rows = session.execute(
            select(IssueRow.severity, func.count())
            .where(IssueRow.status.in_([s.value for s in OPEN_STATUSES]))
            .group_by(IssueRow.severity)
        )
        found = Counter({Severity(sev): n for sev, n in rows})
    return {sev: found[sev] for sev in Severity}


def opened_between(db: Database, start: datetime, end: datetime) -> int:
    with db.session() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(IssueRow)
                .where(IssueRow.created_at >= start, IssueRow.created_at < end)
            )
            or 0
        )


def resolved_between(db: Database, start: datetime, end: datetime) -> int:
    """Issues resolved at least once in the window (a reopened-and-resolved issue counts once)."""
    with db.session() as session:
        return int(
            session.scalar(
                select(func.count(func.distinct(EventRow.issue_id))).where(
                    EventRow.action == Action.RESOLVE.value, EventRow.at >= start, EventRow.at < end
                )
            )
            or 0
        )


def awaiting_acknowledgement(db: Database) -> list[Issue]:
    """Open P1 and patient-safety issues nobody has acknowledged yet: the escalation candidates."""
    query = select(IssueRow.id).where(
        IssueRow.status.in_([s.value for s in OPEN_STATUSES]),
        IssueRow.acknowledged_at.is_(None),
        or_(IssueRow.severity == Severity.P1.value, IssueRow.patient_safety.is_(True)),
    )
    with db.session() as session:
        return [_load(session, issue_id) for issue_id in session.scalars(query.order_by(IssueRow.id))]


def _record(session: Session, event: Event) -> None:
    session.execute(
        insert(EventRow).values(
            issue_id=event.issue_id,
            at=event.at,
            actor=event.actor,
            action=event.action.value,
            from_status=event.from_status.value if event.from_status else None,
            to_status=event.to_status.value if event.to_status else None,
            detail=event.detail,
        )
    )


def _enqueue(session: Session, intents: list[outbox.Intent], now: datetime) -> None:
    for intent in intents:
        outbox.enqueue(session, intent, now)


def _load(session: Session, issue_id: int) -> Issue:
    row = session.get(IssueRow, issue_id, populate_existing=True)
    assert row is not None, issue_id
    return _issue(row, _reporters(session, [issue_id]).get(issue_id, ()))


def _chunks(ids: list[int], size: int = 10_000) -> list[list[int]]:
    """PostgreSQL takes at most 65,535 parameters in one statement: a long go-live's report asks for more."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _reporters(session: Session, issue_ids: list[int]) -> dict[int, tuple[Reporter, ...]]:
    found: dict[int, list[Reporter]] = {}
    if not issue_ids:
        return {}
    query = select(ReporterRow).order_by(ReporterRow.at, ReporterRow.id)
    rows = [
        r for ids in _chunks(issue_ids) for r in session.scalars(query.where(ReporterRow.issue_id.in_(ids)))
    ]
    for row in rows:
        found.setdefault(row.issue_id, []).append(Reporter(row.user_id, row.location, row.contact, row.at))
    return {k: tuple(v) for k, v in found.items()}


def _issue(row: IssueRow, reporters: tuple[Reporter, ...]) -> Issue:
    return Issue(
        id=row.id, summary=row.summary, details=row.details, location=row.location, area=row.area,
        severity=Severity(row.severity), patient_safety=row.patient_safety, contact=row.contact,
        reporter_id=row.reporter_id, status=Status(row.status), created_at=row.created_at,
        updated_at=row.updated_at, source_link=row.source_link, raised_by=row.raised_by,
        acknowledged_at=row.acknowledged_at, acknowledged_by=row.acknowledged_by,
        assignee_id=row.assignee_id, resolved_at=row.resolved_at, resolved_by=row.resolved_by,
        resolution=Resolution(row.resolution) if row.resolution else None,
        resolution_note=row.resolution_note, confirmed_at=row.confirmed_at, escalations=row.escalations,
        version=row.version, reopened_at=row.reopened_at, raised_at=row.raised_at, extra_reporters=reporters,
        duplicate_of=row.duplicate_of,
    )  # fmt: skip


def _event(row: EventRow) -> Event:
    return Event(
        issue_id=row.issue_id, at=row.at, actor=row.actor, action=Action(row.action),
        from_status=Status(row.from_status) if row.from_status else None,
        to_status=Status(row.to_status) if row.to_status else None, detail=row.detail,
    )  # fmt: skip
