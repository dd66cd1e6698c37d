"""Live figures for announcements, read from the database when posting, so a post is never stale."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, time, timedelta
from functools import cache

from bot.answering.gaps import group_questions
from bot.comms.contacts import contacts_now, format_contacts
from bot.comms.phases import position_at
from bot.config import OrgConfig
from bot.markup import escape
from bot.privacy import Redactor
from bot.store import issues as issue_store
from bot.store.answers import unanswered_between
from bot.store.database import Database

log = logging.getLogger(__name__)
_SAFETY = " *patient safety*"  # a P3 that could harm a patient must read as more than a P3
NOT_AVAILABLE = "n/a"
NOT_SET = "(not set)"
# The placeholders that read a date from the config's golive:, and what they read while it is not set.
NEEDS_DATE = {
    "golive_date": ("start", NOT_SET),
    "days_to_golive": ("start", NOT_AVAILABLE),
    "days_since_golive": ("start", NOT_AVAILABLE),
    "golive_day": ("start", NOT_AVAILABLE),
    "support_ends_date": ("intensive_support_ends", NOT_SET),
}


class FactSource:
    """Gathers the placeholder values for one instant."""

    def __init__(self, org: OrgConfig, redactor: Redactor, db: Database):
        self.org = org
        self.redactor = redactor
        self.db = db

    def values(
        self, now: datetime, wanted: Iterable[str] | None = None, read_at: datetime | None = None
    ) -> dict[str, str]:
        """The values of the `wanted` placeholders (all by default) at `now`; only those are read from the
        database. Who to call is who is on call when staff read the post (`read_at`): a post delayed by a
        Slack outage keeps its day's figures, but must not name the shift that has gone home."""
        org = self.org
        position = position_at(org, now)
        start, end = self.yesterday(now)
        counts = cache(lambda: {s.value: n for s, n in issue_store.open_counts(self.db).items()})
        producers: dict[str, Callable[[], str]] = {
            "organisation": lambda: org.organisation,
            "system": lambda: org.system_name,
            "phase": lambda: position.phase_name,
            "today": lambda: spoken_date(datetime.combine(position.today, time(12))),
            "days_to_golive": lambda: _number(_counting_down(position.days_to_golive)),
            "days_since_golive": lambda: _number(position.days_since_golive),
            "golive_day": lambda: _number(position.golive_day),
            "golive_date": lambda: _local(org.golive.start, org),
            "support_ends_date": lambda: _local(org.golive.intensive_support_ends, org),
            "top_unanswered": lambda: self.top_unanswered(start, end),
            "contact_now": lambda: format_contacts(contacts_now(org, read_at or now)),
            "open_issues": lambda: str(sum(counts().values())),
            "opened_yesterday": lambda: str(issue_store.opened_between(self.db, start, end)),
            "resolved_yesterday": lambda: str(issue_store.resolved_between(self.db, start, end)),
            "oldest_open_issues": self.urgent_list,
        }
        for severity in ("P1", "P2", "P3", "P4"):
            producers[f"open_{severity.lower()}"] = lambda severity=severity: str(counts().get(severity, 0))
        names = producers.keys() if wanted is None else set(wanted) & producers.keys()
        return {name: _produce(name, producers[name]) for name in names}

    def yesterday(self, now: datetime) -> tuple[datetime, datetime]:
        """Yesterday midnight to midnight on the local wall clock (23 or 25 hours on clock-change days)."""
        today = now.astimezone(self.org.timezone).date()
        begin = datetime.combine(today - timedelta(days=1), time(0), tzinfo=self.org.timezone)
        end = datetime.combine(today, time(0), tzinfo=self.org.timezone)
        return begin, end

    def top_unanswered(self, start: datetime, end: datetime, limit: int = 5) -> str:
        """Grouped as the support team's gaps report groups them, so both speak of the same questions."""
        groups = group_questions(unanswered_between(self.db, start, end), self.redactor)
        if not groups:
            return "None: every question yesterday was answered."
        return "\n".join(
            f"• {self.user_text(g.question)}" + (f" (asked {g.count} times)" if g.count > 1 else "")
            for g in groups[:limit]
        )

    def urgent_list(self, limit: int = 10) -> str:
        """Most severe first (patient-safety flags with the P1s), then oldest: the order the issue log
        lists open issues in."""
        issues = issue_store.listing(self.db)[:limit]
        if not issues:
            return "No open issues."
        return "\n".join(
            f"{i}. *{issue.reference}* {issue.severity.value}{_SAFETY if issue.patient_safety else ''} · "
            f"{self.user_text(issue.location)}: "
            f"{self.user_text(issue.summary)} (open since {_local(issue.created_at, self.org)})"
            for i, issue in enumerate(issues, 1)
        )

    def user_text(self, text: str) -> str:
        """Text staff typed: identifiers removed, and made inert so it cannot mention or link."""
        return escape(self.redactor.clean(text))


def _produce(name: str, producer: Callable[[], str]) -> str:
    """One figure; one that cannot be read is shown as n/a so the post still goes out on time."""
    try:
        return producer()
    except Exception:
        log.exception("the figure {%s} could not be read; the announcement shows %s", name, NOT_AVAILABLE)
        return NOT_AVAILABLE


def _counting_down(days: int | None) -> int | None:
    """Days to go-live as a countdown says them: none once the date has passed ('-2 days to go')."""
    return days if days is not None and days >= 0 else None


def _number(value: int | None) -> str:
    return NOT_AVAILABLE if value is None else str(value)


def spoken_date(when: datetime) -> str:
    """A day as staff say it: 'Friday 15 January 2027'."""
    return f"{when:%A} {when.day} {when:%B %Y}"


def _local(when: datetime | None, org: OrgConfig) -> str:
    if when is None:
        return NOT_SET
    local = when.astimezone(org.timezone)
    return f"{spoken_date(local)} {local:%H:%M}"
