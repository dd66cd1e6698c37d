"""P1 and patient-safety issues nobody has acknowledged are escalated again, every p1_ack_minutes.

`tick` is idempotent: run it as often as you like, on as many replicas as you like; each
escalation happens once, because the store only counts it for the replica that moves the count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.config import OrgConfig
from bot.issues import notices
from bot.issues.model import Issue
from bot.store import issues as store
from bot.store.database import Database


def intervals_passed(issue: Issue, now: datetime, every: timedelta) -> int:
    """The n-th escalation falls n intervals after the issue was logged, or reopened (the first post
    is not one).

    After downtime the count catches up in one escalation rather than a burst of them.
    """
    return max(0, (now - issue.awaiting_since) // every)


def tick(db: Database, org: OrgConfig, now: datetime) -> list[Issue]:
    """Escalate what is due now; returns the escalated issues."""
    every = timedelta(minutes=org.p1_ack_minutes)
    escalated = []
    for issue in store.awaiting_acknowledgement(db):
        count = intervals_passed(issue, now, every)
        if count > issue.escalations and store.escalate(
            db, issue, count, now, lambda stored: notices.on_escalation(stored, org)
        ):
            escalated.append(issue)
    return escalated
