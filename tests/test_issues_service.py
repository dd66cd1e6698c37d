import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.config import Channels, Group, OrgConfig
from bot.issues import escalation, notices
from bot.issues.filters import parse
from bot.issues.model import Action, Draft, Resolution, Severity, Status
from bot.issues.service import Changed, Invalid, IssueService, Logged, Refused
from bot.privacy import NHS_NUMBER_MARKER, IdentifierPattern, Redactor
from bot.roles import ConfiguredMembership
from bot.store import issues as store
from bot.store import outbox
from bot.store.database import Database

START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
TEAM, CSO, NURSE, OTHER = "U0TEAM", "U0CSO", "U0NURSE", "U0OTHER"
ORG = OrgConfig(
    channels=Channels(triage="C0TRIAGE", safety="C0SAFETY"),
    maintenance_team=Group(frozenset({TEAM})),
    clinical_safety_group=Group(frozenset({CSO})),
    locations=("Ward 3 (Elderly Care)", "Emergency Department"),
    system_areas=("Printing and wristbands", "Login and access", "Other"),
    p1_ack_minutes=15,
    identifier_patterns=(IdentifierPattern("hospital number", re.compile(r"\b[A-Z]\d{7}\b")),),
)
ROLES = ConfiguredMembership()


def draft(**overrides: object) -> Draft:
    values: dict = dict(
        summary="Wristband printer prints blank labels", details="Every label is blank since 8am",
        location="Ward 3 (Elderly Care)", area="Printing and wristbands", severity="P2", contact="bleep 1234",
    )  # fmt: skip
    values.update(overrides)
    return Draft(**values)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def service(db: Database, clock: ManualClock) -> IssueService:
    return IssueService(db, ORG, Redactor(ORG.identifier_patterns), clock)


def logged(service: IssueService, **overrides: object) -> Logged:
    result = service.report(draft(**overrides), NURSE)
    assert isinstance(result, Logged), result
    return result


def test_every_missing_field_gets_a_message_saying_what_to_do(service: IssueService) -> None:
    result = service.report(Draft("", "", "", "Nonsense", "P9", "none"), NURSE)
    assert isinstance(result, Invalid)
    assert set(result.errors) == {"summary", "details", "location", "area", "severity", "contact"}
    assert "bleep or extension" in result.errors["contact"]
    assert store.listing(service.db) == []


def test_an_nhs_number_in_any_field_is_removed_before_it_is_stored(service, db: Database) -> None:
    result = logged(
        service,
        summary="Cannot print wristband for 999 000 0018",
        details="Patient 9999999999, hospital number A1234567, in bed 4",
        location="Ward 3 bay 999-000-0018",
    )
    assert result.redaction.removed == {"NHS number": 3, "hospital number": 1}
    issue = store.get(db, result.issue.id)
    stored = f"{issue.summary} {issue.details} {issue.location}"
    assert "9990000018" not in stored.replace(" ", "").replace("-", "") and "9999999999" not in stored
    assert "A1234567" not in stored and NHS_NUMBER_MARKER in issue.summary


def test_a_new_issue_queues_triage_and_reporter_posts_and_p1_adds_the_safety_channel(service, db) -> None:
    p2 = logged(service).issue
    p1 = logged(service, severity="P1").issue
    flagged = logged(service, severity="P3", patient_safety=True).issue
    kinds = {ref: [i.kind for i in outbox.items_for(db, ref=ref)] for ref in (p2.reference, p1.reference)}
    assert kinds[p2.reference] == [notices.TRIAGE, notices.NOTICE]
    assert kinds[p1.reference] == [notices.TRIAGE, notices.SAFETY, notices.NOTICE]
    assert notices.SAFETY in [i.kind for i in outbox.items_for(db, ref=flagged.reference)]


def test_the_team_moves_an_issue_through_its_lifecycle_with_an_audit_trail(service, clock) -> None:
    ref = logged(service).issue.reference
    clock.advance(minutes=3)
    assert isinstance(service.acknowledge(ref, TEAM, ROLES), Changed)
    clock.advance(minutes=2)
    assigned = service.assign_to(ref, TEAM, ROLES)
    assert isinstance(assigned, Changed) and assigned.issue.assignee_id == TEAM
    resolved = service.resolve(ref, TEAM, ROLES, "workaround given", "Use the ward 4 printer for now")
    assert isinstance(resolved, Changed) and resolved.issue.resolution is Resolution.WORKAROUND
    assert isinstance(service.reopen(ref, NURSE, ROLES, "still blank"), Changed)
    confirm_too_early = service.confirm(ref, NURSE, ROLES)
    assert isinstance(confirm_too_early, Refused)
    trail = service.history(service.find(ref))
    assert [(e.action, e.from_status, e.to_status, e.actor) for e in trail] == [
        (Action.REPORTED, None, Status.NEW, NURSE),
        (Action.ACKNOWLEDGE, Status.NEW, Status.ACKNOWLEDGED, TEAM),
        (Action.ASSIGN, Status.ACKNOWLEDGED, Status.ASSIGNED, TEAM),
        (Action.RESOLVE, Status.ASSIGNED, Status.RESOLVED, TEAM),
        (Action.REOPEN, Status.RESOLVED, Status.REOPENED, NURSE),
    ]
    assert trail[1].at == START + timedelta(minutes=3)


def test_a_non_member_is_refused_and_nothing_changes(service) -> None:
    ref = logged(service).issue.reference
    for attempt in (
        service.acknowledge(ref, OTHER, ROLES),
        service.assign_to(ref, OTHER, ROLES),
        service.resolve(ref, OTHER, ROLES, "fixed", "done"),
    ):
        assert isinstance(attempt, Refused) and "Only the support team can" in attempt.reason
    assert service.find(ref).status is Status.NEW
    assert len(service.history(service.find(ref))) == 1


def test_a_double_click_makes_one_transition(service) -> None:
    ref = logged(service).issue.reference
    assert isinstance(service.acknowledge(ref, TEAM, ROLES), Changed)
    again = service.acknowledge(ref, TEAM, ROLES)
    assert isinstance(again, Refused) and "already acknowledged" in again.reason
    assert len(service.history(service.find(ref))) == 2


def test_resolving_needs_a_category_and_a_note(service) -> None:
    ref = logged(service).issue.reference
    result = service.resolve(ref, TEAM, ROLES, "sorted", " ")
    assert isinstance(result, Invalid) and set(result.errors) == {"category", "note"}
    assert service.find(ref).status is Status.NEW


def test_only_the_clinical_safety_group_can_close_a_patient_safety_issue(service) -> None:
    ref = logged(service, severity="P3", patient_safety=True).issue.reference
    refused = service.resolve(ref, TEAM, ROLES, "fixed", "Printer replaced")
    assert isinstance(refused, Refused) and "clinical safety group" in refused.reason
    closed = service.resolve(ref, CSO, ROLES, "fixed", "Printer replaced; checked with ward manager")
    assert isinstance(closed, Changed) and closed.issue.resolved_by == CSO


def test_the_reporter_is_told_of_every_change_and_asked_to_confirm(service, db) -> None:
    ref = logged(service).issue.reference
    service.resolve(ref, TEAM, ROLES, "fixed", "Driver reinstalled")
    notes = [(i.target, i.payload["action"]) for i in outbox.items_for(db, notices.NOTICE, ref)]
    assert notes == [(NURSE, "reported"), (NURSE, "resolve")]
    assert isinstance(service.confirm(ref, NURSE, ROLES), Changed)
    assert service.find(ref).confirmed_at == START


def test_a_reopened_issue_carries_no_confirmation_of_the_fix_that_failed(service) -> None:
    ref = logged(service).issue.reference
    service.resolve(ref, TEAM, ROLES, "fixed", "Driver reinstalled")
    service.confirm(ref, NURSE, ROLES)
    service.reopen(ref, NURSE, ROLES, "blank again")
    assert service.find(ref).confirmed_at is None


def test_likely_duplicates_are_open_issues_in_the_same_area(service) -> None:
    first = logged(service).issue
    logged(service, summary="Cannot log in on ward PCs", details="Bad password", area="Login and access")
    likely = service.duplicates(draft(summary="wristband printer printing blank labels", details="ward 3"))
    assert [d.issue.id for d in likely] == [first.id]
    assert service.duplicates(draft(summary="Label printer jammed with paper", area="Login and access")) == []
    service.resolve(first.reference, TEAM, ROLES, "fixed", "new printer")
    assert service.duplicates(draft(summary="wristband printer prints blank labels")) == []


def test_a_plus_one_records_the_extra_reporter_and_where_they_are(service) -> None:
    ref = logged(service).issue.reference
    result = service.plus_one(ref, OTHER, draft(location="Emergency Department", contact="ext 999 000 0018"))
    assert isinstance(result, Changed)
    (extra,) = result.issue.extra_reporters
    assert (extra.user_id, extra.location) == (OTHER, "Emergency Department")
    assert result.redaction.removed == {"NHS number": 1} and "0018" not in extra.contact
    assert isinstance(
        service.plus_one(ref, OTHER, draft(location="Emergency Department", contact="ext 1")), Refused
    )
    assert isinstance(service.plus_one("GL-9999", OTHER, draft()), Refused)


def test_a_retried_submission_makes_one_issue(service) -> None:
    first = service.report(draft(), NURSE, key="view:V1:U0NURSE")
    again = service.report(draft(), NURSE, key="view:V1:U0NURSE")
    assert isinstance(again, Logged) and not again.created and again.issue.id == first.issue.id
    assert len(service.listing()) == 1


def test_an_unacknowledged_p1_is_escalated_again_and_again_until_acknowledged(service, clock, db) -> None:
    ref = logged(service, severity="P1").issue.reference
    logged(service, severity="P2")
    assert escalation.tick(db, ORG, clock.advance(minutes=14)) == []
    assert len(escalation.tick(db, ORG, clock.advance(minutes=1))) == 1
    assert escalation.tick(db, ORG, clock.now()) == []  # running again, or on a second replica, is a no-op
    assert len(escalation.tick(db, ORG, clock.advance(minutes=15))) == 1
    service.acknowledge(ref, TEAM, ROLES)
    assert escalation.tick(db, ORG, clock.advance(hours=2)) == []
    posts = outbox.items_for(db, notices.ESCALATION, ref)
    assert [(p.target, p.payload["count"]) for p in posts] == [("C0SAFETY", 1), ("C0SAFETY", 2)]


def test_after_downtime_escalation_catches_up_in_one_post(service, clock, db) -> None:
    ref = logged(service, severity="P1").issue.reference
    escalation.tick(db, ORG, clock.advance(hours=1))
    escalation.tick(db, ORG, clock.advance(seconds=30))
    assert [p.payload["count"] for p in outbox.items_for(db, notices.ESCALATION, ref)] == [4]


def test_a_reopened_p1_is_escalated_again_until_the_reopened_issue_is_acknowledged(
    service, clock, db
) -> None:
    ref = logged(service, severity="P1").issue.reference
    assert len(escalation.tick(db, ORG, clock.advance(minutes=15))) == 1
    service.acknowledge(ref, TEAM, ROLES)
    service.resolve(ref, CSO, ROLES, "fixed", "Printer driver replaced")
    assert escalation.tick(db, ORG, clock.advance(hours=1)) == []
    reopened = service.reopen(ref, NURSE, ROLES, "blank again")
    assert isinstance(reopened, Changed) and reopened.issue.acknowledged_at is None
    assert escalation.tick(db, ORG, clock.advance(minutes=14)) == []  # a full interval from the reopening
    assert len(escalation.tick(db, ORG, clock.advance(minutes=1))) == 1
    assert len(escalation.tick(db, ORG, clock.advance(minutes=15))) == 1
    service.assign_to(ref, TEAM, ROLES)  # taking it on acknowledges it, as for a new issue
    assert escalation.tick(db, ORG, clock.advance(hours=2)) == []
    posts = outbox.items_for(db, notices.ESCALATION, ref)
    assert [p.payload["count"] for p in posts] == [1, 1, 2]
    reopening = [e for e in service.history(reopened.issue) if e.action is Action.REOPEN]
    assert [(e.actor, e.from_status, e.to_status) for e in reopening] == [
        (NURSE, Status.RESOLVED, Status.REOPENED)
    ]
    assert (
        reopening[0].detail
        == f"blank again; acknowledgement by {TEAM} cleared: escalated until acknowledged again"
    )
    assert service.find(ref).acknowledged_by == TEAM


def test_counts_for_app_home_and_briefings(service, clock) -> None:
    logged(service, severity="P1")
    ref = logged(service).issue.reference
    clock.advance(hours=1)
    service.resolve(ref, TEAM, ROLES, "fixed", "done")
    assert service.open_counts() == {Severity.P1: 1, Severity.P2: 0, Severity.P3: 0, Severity.P4: 0}
    assert service.opened_and_resolved(START, START + timedelta(hours=2)) == (2, 1)
    assert service.opened_and_resolved(START + timedelta(minutes=30), START + timedelta(hours=2)) == (0, 1)


def test_list_filters_read_severity_area_location_and_mine() -> None:
    filters = parse("P1 p2 ward 3 printing mine", ORG, NURSE)
    assert filters.severities == frozenset({Severity.P1, Severity.P2})
    assert (filters.area, filters.involving, filters.words) == (
        "Printing and wristbands",
        NURSE,
        ("ward", "3"),
    )
    assert parse("login and access", ORG, NURSE).area == "Login and access"
    assert parse("emergency department", ORG, NURSE) == store.Filters(words=("emergency", "department"))


def test_without_a_safety_channel_the_safety_call_out_goes_to_triage(
    db: Database, clock: ManualClock
) -> None:
    org = OrgConfig(channels=Channels(triage="C0TRIAGE"), maintenance_team=Group(frozenset({TEAM})))
    issue = logged(IssueService(db, org, Redactor(), clock), severity="P1").issue
    [safety] = [i for i in outbox.items_for(db, ref=issue.reference) if i.kind == notices.SAFETY]
    assert safety.target == "C0TRIAGE"


def test_a_more_urgent_report_is_never_offered_or_added_as_a_plus_one_to_a_lesser_issue(service) -> None:
    ref = logged(service, severity="P3").issue.reference
    assert [d.issue.reference for d in service.duplicates(draft(severity="P3"))] == [ref]
    for urgent in (draft(severity="P1"), draft(severity="P3", patient_safety=True)):
        assert service.duplicates(urgent) == []
        refused = service.plus_one(ref, OTHER, urgent)
        assert isinstance(refused, Refused) and "more urgent" in refused.reason
    assert isinstance(service.plus_one(ref, OTHER, draft(severity="P4")), Changed)  # less urgent: welcome
