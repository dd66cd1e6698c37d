"""Live figures for announcements, read from the database when posting, so a post is never stale."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.answering.gaps import group_questions
from bot.comms.contacts import contacts_now, format_contacts
from bot.comms.phases import position_at
from bot.comms.templates import escape_mrkdwn
from bot.config import OrgConfig
from bot.privacy import Redactor
from bot.store import issues as issue_store
from bot.store.answers import unanswered_between
from bot.store.database import Database

NOT_AVAILABLE = "n/a"


class FactSource:
    """Gathers the placeholder values for one instant."""

    def __init__(self, org: OrgConfig, redactor: Redactor, db: Database):
        self.org = org
        self.redactor = redactor
        self.db = db

    def values(self, now: datetime) -> dict[str, str]:
        org = self.org
        position = position_at(org, now)
        start, end = self.yesterday(now)
        values = {
            "organisation": org.organisation,
            "system": org.system_name,
            "phase": position.phase_name,
            "today": _date(datetime.combine(position.today, time(12))),
            "days_to_golive": _number(position.days_to_golive),
            "days_since_golive": _number(position.days_since_golive),
            "golive_day": _number(position.golive_day),
            "golive_date": _local(org.golive.start, org),
            "support_ends_date": _local(org.golive.intensive_support_ends, org),
            "top_unanswered": self.top_unanswered(start, end),
            "contact_now": format_contacts(contacts_now(org, now)),
        }
        values.update(self.issue_values(start, end))
        return values

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

    def issue_values(self, start: datetime, end: datetime) -> dict[str, str]:
        counts = issue_store.open_counts(self.db)
        values = {f"open_{severity.value.lower()}": str(n) for severity, n in counts.items()}
        values["open_issues"] = str(sum(counts.values()))
        values["opened_yesterday"] = str(issue_store.opened_between(self.db, start, end))
        values["resolved_yesterday"] = str(issue_store.resolved_between(self.db, start, end))
        values["oldest_open_issues"] = self.urgent_list()
        return values

    def urgent_list(self, limit: int = 10) -> str:
        """Most severe first, then oldest: the order the issue log lists open issues in."""
        issues = issue_store.listing(self.db)[:limit]
        if not issues:
            return "No open issues."
        return "\n".join(
            f"{i}. *{issue.reference}* {issue.severity.value} · {self.user_text(issue.location)}: "
            f"{self.user_text(issue.summary)} (open since {_local(issue.created_at, self.org)})"
            for i, issue in enumerate(issues, 1)
        )

    def user_text(self, text: str) -> str:
        """Text staff typed: identifiers removed, and made inert so it cannot mention or link."""
        return escape_mrkdwn(self.redactor.clean(text))


def _number(value: int | None) -> str:
    return NOT_AVAILABLE if value is None else str(value)


def _date(when: datetime) -> str:
    return f"{when:%A} {when.day} {when:%B %Y}"


def _local(when: datetime | None, org: OrgConfig) -> str:
    if when is None:
        return "(not set)"
    local = when.astimezone(org.timezone)
    return f"{_date(local)} {local:%H:%M}"
