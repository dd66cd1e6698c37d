"""Review: when a reporter reopens an issue, whoever resolved it or was assigned it is told by DM; an
edit of the triage post hours up the channel notifies nobody, so it would sit reopened unseen."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_harness import org_config

from bot.clock import ManualClock
from bot.config import Group
from bot.issues import notices
from bot.issues.model import Draft
from bot.issues.service import IssueService
from bot.privacy import Redactor
from bot.roles import ConfiguredMembership
from bot.store import outbox
from bot.store.database import Database

TEAM, OTHER_TEAM, NURSE = "U0TEAM", "U0TEAM2", "U0NURSE"
ORG = org_config(maintenance_team=Group(frozenset({TEAM, OTHER_TEAM})))


def test_the_assignee_and_the_resolver_are_told_when_the_reporter_reopens(db: Database) -> None:
    service = IssueService(db, ORG, Redactor(), ManualClock(datetime(2027, 1, 18, 9, 0, tzinfo=UTC)))
    roles = ConfiguredMembership()
    draft = Draft("Printer prints blank labels", "All blank", "Ward 3", "Printing", "P2", "bleep 1234")
    ref = service.report(draft, NURSE).issue.reference
    service.assign_to(ref, TEAM, roles)
    service.resolve(ref, OTHER_TEAM, roles, "fixed", "Reloaded the stock")
    before = {i.id for i in outbox.items_for(db, notices.NOTICE)}
    service.reopen(ref, NURSE, roles)
    told = [i.target for i in outbox.items_for(db, notices.NOTICE) if i.id not in before]
    assert sorted(told) == [TEAM, OTHER_TEAM]  # the reporter who reopened it is not told of her own click
