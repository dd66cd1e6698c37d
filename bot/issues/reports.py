"""The figures a go-live board and the support team ask for, computed from issues; no I/O here.

Counts and times cover the issues opened in the period (their status today); "resolved per day"
counts issues resolved now whose resolution fell in the period, whenever they were opened. Days are the
organisation's local days, so a day across a clock change is still one calendar day.
Percentiles are nearest-rank: "90% were acknowledged within p90" holds exactly.
Time to acknowledge runs to the first acknowledgement (or assign, or resolve) in the audit trail:
reopening clears `acknowledged_at` so the issue is taken on afresh, but the board's figure is how long
the issue waited when it was raised, not the days until someone acknowledged it again.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.answering.gaps import QuestionGroup
from bot.issues.model import Action, Event, Issue, Severity, Status


@dataclass(frozen=True)
class Period:
    """Whole local days from `first` to `last`, inclusive."""

    first: date
    last: date
    tz: tzinfo

    @classmethod
    def ending(cls, now: datetime, days: int, tz: tzinfo) -> Period:
        today = now.astimezone(tz).date()
        return cls(today - timedelta(days=days - 1), today, tz)

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """Exclusive: local midnight after the last day."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz).astimezone(UTC)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def contains(self, when: datetime | None) -> bool:
        return when is not None and self.start <= when < self.end

    def local_day(self, when: datetime) -> date:
        return when.astimezone(self.tz).date()


@dataclass(frozen=True)
class Durations:
    """How long something took: `measured` issues had it happen, `waiting` have not yet."""

    measured: int
    waiting: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class Day:
    day: date
    opened: int
    resolved: int


@dataclass(frozen=True)
class Report:
    period: Period
    opened: int
    by_status: dict[str, int]
    by_severity: dict[str, int]
    by_area: dict[str, int]
    by_location: dict[str, int]
    to_acknowledge: Durations
    to_resolve: Durations
    p1_to_acknowledge: Durations
    p1_to_resolve: Durations
    per_day: tuple[Day, ...]
    questions: tuple[QuestionGroup, ...]


def percentile(values: Sequence[timedelta], share: float) -> timedelta | None:
    """Nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(share * len(ordered))) - 1]


def median(values: Sequence[timedelta]) -> timedelta | None:
    if not values:
        return None
    ordered, mid = sorted(values), len(values) // 2
    return ordered[mid] if len(values) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def durations(issues: Iterable[Issue], done_at: Callable[[Issue], datetime | None]) -> Durations:
    taken, waiting = [], 0
    for issue in issues:
        when = done_at(issue)
        if when is None:
            waiting += 1
        else:
            taken.append(when - issue.created_at)
    return Durations(len(taken), waiting, median(taken), percentile(taken, 0.9))


def resolved_at(issue: Issue) -> datetime | None:
    """Only an issue that is resolved now counts as resolved; a reopened one is still being worked."""
    return issue.resolved_at if issue.status is Status.RESOLVED else None


_ACKNOWLEDGING = frozenset({Action.ACKNOWLEDGE, Action.ASSIGN, Action.RESOLVE})


def first_acknowledgements(history: Iterable[Event]) -> dict[int, datetime]:
    """Per issue, when it was first acknowledged: each of these actions acknowledges an unacknowledged one."""
    first: dict[int, datetime] = {}
    for event in history:
        earlier = first.get(event.issue_id)
        if event.action in _ACKNOWLEDGING and (earlier is None or event.at < earlier):
            first[event.issue_id] = event.at
    return first


def _acknowledged_at(firsts: dict[int, datetime]) -> Callable[[Issue], datetime | None]:
    """The first acknowledgement from the trail, else the issue's own (a trail not passed in)."""

    def when(issue: Issue) -> datetime | None:
        known = [t for t in (firsts.get(issue.id), issue.acknowledged_at) if t is not None]
        return min(known, default=None)

    return when


def _ranked(counts: Counter[str]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _alike(names: Iterable[str]) -> dict[str, int]:
    """Counts of places typed alike ('Ward 3', 'ward 3', 'WARD  3') as one, under the commonest spelling:
    a location may be free text, and a board breakdown split by capitals under-counts the ward."""
    spellings: dict[str, Counter[str]] = {}
    for name in names:
        spellings.setdefault(" ".join(name.casefold().split()), Counter())[name] += 1
    counts: Counter[str] = Counter()
    for typed in spellings.values():
        commonest = min(typed.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        counts[commonest] = typed.total()
    return _ranked(counts)


def _in_order(counts: Counter[str], order: Iterable[str]) -> dict[str, int]:
    return {key: counts[key] for key in order}


def per_day(issues: Iterable[Issue], period: Period) -> tuple[Day, ...]:
    opened: Counter[date] = Counter()
    resolved: Counter[date] = Counter()
    for issue in issues:
        if period.contains(issue.created_at):
            opened[period.local_day(issue.created_at)] += 1
        done = resolved_at(issue)
        if done is not None and period.contains(done):
            resolved[period.local_day(done)] += 1
    return tuple(Day(d, opened[d], resolved[d]) for d in period.days())


def build_report(
    issues: Iterable[Issue],
    period: Period,
    questions: Sequence[QuestionGroup] = (),
    history: Iterable[Event] = (),
) -> Report:
    """`issues` may reach beyond the period (older issues resolved in it); each figure picks its own.
    `history` is the audit trail of the issues opened in the period, for their first acknowledgement."""
    everything = list(issues)
    opened = [i for i in everything if period.contains(i.created_at)]
    p1 = [i for i in opened if i.severity is Severity.P1]
    acknowledged = _acknowledged_at(first_acknowledgements(history))
    return Report(
        period=period,
        opened=len(opened),
        by_status=_in_order(Counter(i.status.value for i in opened), (s.value for s in Status)),
        by_severity=_in_order(Counter(i.severity.value for i in opened), (s.value for s in Severity)),
        by_area=_alike(i.area for i in opened),
        by_location=_alike(i.location for i in opened),
        to_acknowledge=durations(opened, acknowledged),
        to_resolve=durations(opened, resolved_at),
        p1_to_acknowledge=durations(p1, acknowledged),
        p1_to_resolve=durations(p1, resolved_at),
        per_day=per_day(everything, period),
        questions=tuple(questions),
    )
