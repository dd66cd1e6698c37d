"""Changing an issue's severity or patient-safety flag after it was logged, in the domain: who may, what
a raise to patient safety sets going (call-out, escalation, a fresh acknowledgement), what a lowering
stops, and the audit trail of it all. Time comes from a ManualClock."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC

import pytest

from bot.clock import ManualClock
from bot.config import Group
from bot.issues import escalation, notices
from bot.issues.export import Exporter, as_hazard_log
from bot.issues.model import Action, Rating, Severity, Status, rating_change
from bot.issues.service import Changed, Invalid, IssueService, Refused
from bot.privacy import NHS_NUMBER_MARKER, Redactor
from bot.store import issues as store
from bot.store import outbox
from bot.store.database import Database
from tests.test_issues_service import CSO, NURSE, ORG, OTHER, ROLES, START, TEAM, logged

ON_CALL = "U0ONCALL"
ORG_ON_CALL = replace(ORG, on_call_usergroup="S0ONCALL")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def service(db: Database, clock: ManualClock) -> IssueService:
    return IssueService(db, ORG, Redactor(ORG.identifier_patterns), clock)


class Roles:
    """The config's user ids, and the on-call Slack user group as Slack would list it."""

    def is_member(self, user_id: str, group: Group) -> bool:
        return user_id in group.users or (group.usergroup == "S0ONCALL" and user_id == ON_CALL)


def _raise(service: IssueService, ref: str, who: str = TEAM, severity: str = "P1", safety: bool = False,
           reason: str = "The allergy banner is missing for some patients") -> Changed:  # fmt: skip
    outcome = service.change_severity(ref, who, Roles(), severity, safety, reason)
    assert isinstance(outcome, Changed), outcome
    return outcome


def _severity_events(service: IssueService, ref: str) -> list:
    issue = service.find(ref)
    assert issue is not None
    return [e for e in service.history(issue) if e.action is Action.SEVERITY]


def test_a_p3_raised_to_p1_is_called_out_and_escalated_from_the_raise(service, clock, db) -> None:
    ref = logged(service, severity="P3").issue.reference
    clock.advance(hours=3)
    raised = _raise(service, ref)
    assert raised.issue.severity is Severity.P1 and raised.issue.raised_at == clock.now()
    (callout,) = outbox.items_for(db, notices.RAISED, ref)
    assert callout.target == "C0SAFETY"
    assert callout.payload == {"by": TEAM, "from": "P3", "to": "P1", "reason": "The allergy banner is missing"
                               " for some patients"}  # fmt: skip
    assert [i.target for i in outbox.items_for(db, notices.NOTICE, ref)][-1] == NURSE  # the reporter is told
    assert outbox.items_for(db, notices.RATED, ref)[0].target == "C0TRIAGE"

    assert escalation.tick(db, ORG, clock.advance(minutes=14)) == []  # a full interval from the raise
    assert len(escalation.tick(db, ORG, clock.advance(minutes=1))) == 1
    assert escalation.tick(db, ORG, clock.now()) == []  # a second replica's tick
    assert len(escalation.tick(db, ORG, clock.advance(minutes=15))) == 1
    service.acknowledge(ref, TEAM, ROLES)
    assert escalation.tick(db, ORG, clock.advance(hours=1)) == []
    assert [p.payload["count"] for p in outbox.items_for(db, notices.ESCALATION, ref)] == [1, 2]


def test_the_audit_trail_says_who_when_from_what_to_what_and_why(service, clock) -> None:
    ref = logged(service, severity="P3").issue.reference
    _raise(service, ref, severity="P3", safety=True, reason="Patient 943 476 5919 had the wrong allergies")
    (event,) = _severity_events(service, ref)
    assert (event.actor, event.at, event.from_status, event.to_status) == (TEAM, clock.now(), Status.NEW,
                                                                          Status.NEW)  # fmt: skip
    before, after, why = rating_change(event.detail) or (None, None, "")
    assert before == Rating(Severity.P3, False) and after == Rating(Severity.P3, True)
    assert "9434765919" not in why.replace(" ", "") and NHS_NUMBER_MARKER in why


def test_an_acknowledged_issue_raised_to_patient_safety_is_to_be_acknowledged_afresh(
    service, clock, db
) -> None:
    ref = logged(service, severity="P3").issue.reference
    service.acknowledge(ref, TEAM, ROLES)
    raised = _raise(service, ref, severity="P3", safety=True).issue
    assert raised.status is Status.NEW and raised.acknowledged_at is None  # someone must own it now
    (event,) = _severity_events(service, ref)
    assert event.from_status is Status.ACKNOWLEDGED and event.to_status is Status.NEW
    assert event.detail.endswith(f"acknowledgement by {TEAM} cleared: escalated until acknowledged again")
    assert len(escalation.tick(db, ORG, clock.advance(minutes=15))) == 1


def test_an_assigned_issue_raised_stays_assigned_until_its_assignee_acknowledges_the_raised_risk(
    service, clock, db
) -> None:
    ref = logged(service, severity="P2").issue.reference
    service.assign_to(ref, TEAM, ROLES)
    raised = _raise(service, ref, who=CSO).issue
    assert (raised.status, raised.assignee_id, raised.acknowledged_at) == (Status.ASSIGNED, TEAM, None)
    assert TEAM in [i.target for i in outbox.items_for(db, notices.NOTICE, ref)]  # the assignee hears
    again = service.assign_to(ref, TEAM, ROLES)
    assert isinstance(again, Refused) and "press Acknowledge" in again.reason
    taken = service.acknowledge(ref, TEAM, ROLES)
    assert isinstance(taken, Changed) and taken.issue.status is Status.ASSIGNED
    assert taken.issue.acknowledged_by == TEAM
    assert escalation.tick(db, ORG, clock.advance(hours=1)) == []
    assert isinstance(service.acknowledge(ref, TEAM, ROLES), Refused)  # once is enough


def test_an_assigned_issue_raised_then_lowered_before_anyone_acknowledged_is_its_assignees_again(
    service,
) -> None:
    """Its status said 'raised since: needs acknowledging' and it showed Acknowledge for ever, though
    nothing was left to call anyone to."""
    ref = logged(service, severity="P2").issue.reference
    service.assign_to(ref, TEAM, ROLES)
    _raise(service, ref, who=CSO)
    lowered = service.change_severity(ref, CSO, Roles(), "P2", False, "Display only; the record is right")
    assert isinstance(lowered, Changed)
    assert (lowered.issue.status, lowered.issue.acknowledged_by) == (Status.ASSIGNED, TEAM)
    assert isinstance(service.acknowledge(ref, TEAM, ROLES), Refused)  # nothing left to acknowledge
    assert service.listing(store.Filters(unacknowledged=True)) == []


@pytest.mark.parametrize("who", [TEAM, ON_CALL, CSO])
def test_the_team_on_call_and_safety_group_may_raise_to_patient_safety(service, who) -> None:
    service.org = ORG_ON_CALL
    ref = logged(service, severity="P4").issue.reference
    assert _raise(service, ref, who=who, severity="P4", safety=True).issue.patient_safety


def test_only_the_team_raises_short_of_patient_safety_and_others_are_told_who_can(service) -> None:
    service.org = ORG_ON_CALL
    ref = logged(service, severity="P4").issue.reference
    for who in (ON_CALL, OTHER):
        refused = service.change_severity(ref, who, Roles(), "P3", False, "more wards affected")
        assert isinstance(refused, Refused) and "Only the support team can change" in refused.reason
    refused = service.change_severity(ref, OTHER, Roles(), "P1", False, "harm")
    assert isinstance(refused, Refused) and "on-call and clinical safety groups" in refused.reason
    assert service.find(ref).severity is Severity.P4  # type: ignore[union-attr]
    assert _raise(service, ref, severity="P3").issue.severity is Severity.P3


def test_only_the_clinical_safety_group_lowers_a_patient_safety_issue_and_the_call_outs_stop(
    service, clock, db
) -> None:
    ref = logged(service, severity="P2", patient_safety=True).issue.reference
    assert len(escalation.tick(db, ORG, clock.advance(minutes=15))) == 1
    for change in (("P2", False), ("P3", True)):
        refused = service.change_severity(ref, TEAM, Roles(), *change, "not a safety risk after all")
        assert isinstance(refused, Refused) and "clinical safety group" in refused.reason
    lowered = service.change_severity(ref, CSO, Roles(), "P3", False, "Display only; the record is right")
    assert isinstance(lowered, Changed) and not lowered.issue.needs_safety_escalation
    assert escalation.tick(db, ORG, clock.advance(hours=2)) == []
    edits = outbox.items_for(db, notices.CALLOUT_UPDATE, ref)
    assert edits and all(e.payload[outbox.ONLY_EDIT] for e in edits)  # the call-out stops asking
    assert outbox.items_for(db, notices.SAFETY_UPDATE, ref)  # the safety post says it is no longer one
    assert outbox.items_for(db, notices.RATED, ref)[-1].payload["to"] == "P3"


def test_an_issue_that_is_not_a_patient_safety_one_is_lowered_by_the_team(service) -> None:
    ref = logged(service, severity="P2").issue.reference
    assert _raise(service, ref, severity="P4", reason="a question, not a fault").issue.severity is Severity.P4


def test_a_raise_after_a_lowering_calls_and_escalates_again(service, clock, db) -> None:
    ref = logged(service, severity="P1").issue.reference
    assert len(escalation.tick(db, ORG, clock.advance(minutes=30))) == 1
    _raise(service, ref, who=CSO, severity="P3", reason="workaround on the ward")
    _raise(service, ref, severity="P1", reason="a second ward has harm")
    assert len(outbox.items_for(db, notices.RAISED, ref)) == 1
    assert escalation.tick(db, ORG, clock.advance(minutes=14)) == []
    assert len(escalation.tick(db, ORG, clock.advance(minutes=1))) == 1
    assert [p.payload["count"] for p in outbox.items_for(db, notices.ESCALATION, ref)] == [2, 1]


def test_a_change_of_nothing_without_a_reason_or_of_a_closed_issue_is_refused_saying_what_to_do(
    service,
) -> None:
    ref = logged(service, severity="P3").issue.reference
    same = service.change_severity(ref, TEAM, Roles(), "P3", False, "why not")
    assert isinstance(same, Refused) and "already P3, so nothing changed: choose another" in same.reason
    bare = service.change_severity(ref, TEAM, Roles(), "P1", False, "  ")
    assert isinstance(bare, Invalid) and "Say why" in bare.errors["reason"]
    service.resolve(ref, TEAM, ROLES, "fixed", "Driver replaced")
    closed = service.change_severity(ref, TEAM, Roles(), "P1", False, "harm found")
    assert isinstance(closed, Refused) and "Reopen it first" in closed.reason
    assert _severity_events(service, ref) == []


def test_two_raises_at_once_make_one_change_one_call_out_and_say_who_won(service, db, monkeypatch) -> None:
    ref = logged(service, severity="P3").issue.reference
    stale = service.find(ref)
    _raise(service, ref, who=CSO)
    found = iter([stale])
    real = service.find
    monkeypatch.setattr(service, "find", lambda r: next(found, None) or real(r))
    late = service.change_severity(ref, TEAM, Roles(), "P1", False, "the allergy banner")
    assert isinstance(late, Refused) and "already P1" in late.reason
    assert len(_severity_events(service, ref)) == 1
    assert len(outbox.items_for(db, notices.RAISED, ref)) == 1


def test_the_hazard_log_says_who_raised_or_lowered_a_hazard_when_and_why(service, clock, db) -> None:
    flagged = logged(service, severity="P3").issue.reference
    service.acknowledge(flagged, TEAM, ROLES)
    _raise(service, flagged, severity="P3", safety=True)
    lowered = logged(service, severity="P1", summary="Drug chart blank").issue.reference
    _raise(service, lowered, who=CSO, severity="P3", reason="Display only: the record is right")
    logged(service, severity="P2", summary="Printer slow")
    issues = service.listing(store.Filters(open_only=False))
    rows = list(
        csv.DictReader(io.StringIO(as_hazard_log(issues, Exporter(Redactor(), UTC), store.events(db))))
    )
    by_ref = {row["Reference"]: row for row in rows}
    assert set(by_ref) == {flagged, lowered}  # a hazard judged no hazard stays in the log, with why
    assert "support team flagged a patient-safety risk" in by_ref[flagged]["Effect"]
    assert f"P3 -> P3 patient safety by {TEAM}" in by_ref[flagged]["Effect"]
    assert by_ref[flagged]["Owner"] == f"{TEAM} (before it was raised)"
    assert f"P1 -> P3 by {CSO}" in by_ref[lowered]["Effect"] and "Display only" in by_ref[lowered]["Effect"]
