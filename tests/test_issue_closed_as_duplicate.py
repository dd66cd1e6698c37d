"""Closing an issue as a duplicate names the original it repeats: its reporters join the original and
follow it, are told so and not asked whether it is sorted, and the original's thread is told; an issue
can only be closed into one that stays open and at least as urgent."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from bot.config import Channels, Group, OrgConfig
from bot.issues import escalation, notices
from bot.issues.export import Exporter
from bot.issues.model import Action, Draft, Event, Reporter, Resolution, Status
from bot.issues.service import Changed, Invalid, IssueService, Logged, Refused
from bot.roles import ConfiguredMembership
from bot.store import issues as store
from bot.store import outbox
from bot.store.database import Database

START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
TEAM, TEAM2, CSO = "U0TEAM", "U0TEAM2", "U0CSO"
NURSE, OTHER, THIRD, AUTHOR = "U0NURSE", "U0OTHER", "U0THIRD", "U0AUTHOR"
ORG = OrgConfig(
    channels=Channels(triage="C0TRIAGE", safety="C0SAFETY"),
    maintenance_team=Group(frozenset({TEAM, TEAM2})),
    clinical_safety_group=Group(frozenset({CSO})),
    system_areas=("Printing and wristbands", "Login and access"),
)
ROLES = ConfiguredMembership()


def draft(**changes: object) -> Draft:
    values: dict = dict(
        summary="Wristband printer prints blank labels", details="Every label is blank since 8am",
        location="Ward 3", area="Printing and wristbands", severity="P2", contact="bleep 1234",
    )  # fmt: skip
    return Draft(**{**values, **changes})


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def service(db: Database, clock: ManualClock) -> IssueService:
    return IssueService(db, ORG, ORG.redactor(), clock)


def log(service: IssueService, reporter: str = NURSE, **changes: object) -> str:
    result = service.report(draft(**changes), reporter)
    assert isinstance(result, Logged), result
    return result.issue.reference


def as_duplicate(
    service: IssueService, ref: str, original: str, actor: str = TEAM2
) -> Changed | Refused | Invalid:
    return service.resolve(
        ref, actor, ROLES, Resolution.DUPLICATE.value, "Same printer, same fault", original
    )


@pytest.fixture
def pair(service: IssueService, clock: ManualClock) -> tuple[str, str]:
    """GL-0001 from the nurse on Ward 3; GL-0002 from the emergency department, logged from a colleague's
    message, with a '+1' from a third ward and taken on by a team member."""
    original = log(service)
    clock.advance(minutes=10)
    message = "https://trust.slack.com/archives/C0WARD/p1700000000000100"
    duplicate = log(service, OTHER, summary="Labels come out empty", location="Emergency Department",
                    source_link=message, raised_by=AUTHOR)  # fmt: skip
    added = service.plus_one(duplicate, THIRD, draft(location="Ward 9", details="Ours too, since 7am"))
    assert isinstance(added, Changed)
    service.assign_to(duplicate, TEAM, ROLES)
    clock.advance(minutes=5)
    return original, duplicate


def test_closing_as_a_duplicate_moves_every_reporter_onto_the_original(service, db, pair) -> None:
    original, duplicate = pair
    outcome = as_duplicate(service, duplicate, original.lower().replace("gl-000", "gl-"))  # 'gl-1'
    assert isinstance(outcome, Changed)
    closed = service.find(duplicate)
    assert closed.status is Status.RESOLVED and closed.resolution is Resolution.DUPLICATE  # type: ignore[union-attr]
    assert closed.original == original  # type: ignore[union-attr]
    followed = service.find(original)
    assert [(r.user_id, r.location) for r in followed.extra_reporters] == [  # type: ignore[union-attr]
        (OTHER, "Emergency Department"),
        (AUTHOR, "Emergency Department"),
        (THIRD, "Ward 9"),
    ]
    assert followed.is_open and followed.version == 1  # type: ignore[union-attr]  # a triage click on it still applies
    history = service.history(followed)  # type: ignore[arg-type]
    assert [(e.action, e.actor) for e in history[1:]] == [
        (Action.PLUS_ONE, p) for p in (OTHER, AUTHOR, THIRD)
    ]
    assert f"from {duplicate}, closed as its duplicate by {TEAM2}" in history[1].detail
    (resolved,) = [e for e in service.history(closed) if e.action is Action.RESOLVE]  # type: ignore[arg-type]
    assert resolved.detail == f"duplicate of {original}: Same printer, same fault"


def test_its_reporters_are_told_what_they_follow_and_never_asked_if_it_is_sorted(service, db, pair) -> None:
    original, duplicate = pair
    before = {item.id for item in outbox.items_for(db)}
    as_duplicate(service, duplicate, original)
    queued = [item for item in outbox.items_for(db) if item.id not in before]
    following = [item for item in queued if item.kind == notices.FOLLOWING]
    assert {(i.target, i.ref) for i in following} == {(p, original) for p in (OTHER, AUTHOR, THIRD)}
    assert all(i.payload == {"duplicate": duplicate, "by": TEAM2} for i in following)
    notices_sent = [(i.target, i.ref) for i in queued if i.kind == notices.NOTICE]
    assert notices_sent == [(TEAM, duplicate)]  # whoever was working on it hears it was closed
    (thread,) = [i for i in queued if i.kind == notices.DUPLICATE]
    assert (thread.ref, thread.target, thread.payload["duplicate"]) == (original, "C0TRIAGE", duplicate)
    edited = {(i.kind, i.ref) for i in queued if i.kind == notices.TRIAGE_UPDATE}
    assert edited == {(notices.TRIAGE_UPDATE, original), (notices.TRIAGE_UPDATE, duplicate)}


@pytest.mark.parametrize(
    ("original", "told"),
    [
        ("", "Give the reference of the issue it repeats"),
        ("the printer one", "Give the reference of the issue it repeats"),
        ("GL-0002", "GL-0002 cannot be a duplicate of itself"),
        ("GL-9999", "There is no issue GL-9999"),
    ],
)
def test_the_original_must_be_another_issue_that_exists(service, pair, original: str, told: str) -> None:
    outcome = as_duplicate(service, pair[1], original)
    assert isinstance(outcome, Invalid) and told in outcome.errors["original"]
    assert service.find(pair[1]).is_open  # type: ignore[union-attr]


def test_an_original_named_with_another_outcome_is_questioned(service, pair) -> None:
    outcome = service.resolve(pair[1], TEAM, ROLES, "fixed", "Reloaded the labels", pair[0])
    assert isinstance(outcome, Invalid) and "pick 'duplicate'" in outcome.errors["original"]


def test_two_issues_cannot_each_be_closed_as_the_others_duplicate(service, pair) -> None:
    original, duplicate = pair
    assert isinstance(as_duplicate(service, duplicate, original), Changed)
    outcome = as_duplicate(service, original, duplicate)
    assert isinstance(outcome, Invalid)
    assert f"{duplicate} was closed as a duplicate of {original}" in outcome.errors["original"]
    assert service.find(original).is_open  # type: ignore[union-attr]


def test_a_chain_names_the_issue_at_its_end_and_a_closed_original_is_refused(service, pair) -> None:
    original, duplicate = pair
    third = log(service, NURSE, summary="Blank wristbands")
    as_duplicate(service, duplicate, original)
    chained = as_duplicate(service, third, duplicate)
    assert isinstance(chained, Invalid) and f"give {original}" in chained.errors["original"]
    service.resolve(original, TEAM, ROLES, "fixed", "New label stock")
    closed = as_duplicate(service, third, original)
    assert isinstance(closed, Invalid) and f"reopen {original} first" in closed.errors["original"]


@pytest.mark.parametrize(
    ("severity", "safety", "urgency"), [("P1", False, "P1"), ("P2", True, "patient safety")]
)
def test_an_urgent_issue_is_never_closed_into_a_lesser_one(service, severity, safety, urgency) -> None:
    lesser = log(service, severity="P3")
    urgent = log(
        service, OTHER, severity=severity, patient_safety=safety, summary="Labels print blank on the ICU"
    )
    outcome = as_duplicate(service, urgent, lesser, actor=CSO)
    assert isinstance(outcome, Invalid)
    said = outcome.errors["original"]
    assert urgency in said and f"Close {lesser} as a duplicate of {urgent} instead" in said
    assert f"raise {lesser} with Change severity" in said  # the other way to keep the urgency
    assert service.find(urgent).is_open and not service.find(lesser).extra_reporters  # type: ignore[union-attr]
    # The other way round keeps the urgent one, its call-outs and its hazard-log entry.
    assert isinstance(as_duplicate(service, lesser, urgent), Changed)
    assert [r.user_id for r in service.find(urgent).extra_reporters] == [NURSE]  # type: ignore[union-attr]


def test_a_p1_closed_into_another_p1_has_its_call_outs_edited(service, db, clock) -> None:
    """Its call-outs asked the on-call group to take it on; closed, they must stop asking."""
    original = log(service, severity="P1", summary="Allergies missing from the drug chart")
    duplicate = log(service, OTHER, severity="P1", summary="No allergy banner on ward 7")
    assert escalation.tick(db, ORG, clock.advance(minutes=16))  # both called out again, unanswered
    before = {item.id for item in outbox.items_for(db)}
    assert isinstance(as_duplicate(service, duplicate, original, actor=CSO), Changed)
    edits = [i for i in outbox.items_for(db, notices.CALLOUT_UPDATE) if i.id not in before]
    assert [i.ref for i in edits] == [duplicate] and not service.find(duplicate).is_open  # type: ignore[union-attr]


def test_only_those_who_may_resolve_it_close_it_as_a_duplicate(service, pair) -> None:
    outcome = as_duplicate(service, pair[1], pair[0], actor=OTHER)
    assert isinstance(outcome, Refused) and "Only the support team" in outcome.reason


def test_someone_who_reported_both_is_not_added_twice(service, clock) -> None:
    original = log(service)
    duplicate = log(service, summary="Blank labels again")
    as_duplicate(service, duplicate, original)
    assert service.find(original).extra_reporters == ()  # type: ignore[union-attr]


def test_an_original_closed_meanwhile_undoes_the_whole_close(service, db, pair) -> None:
    """Another replica resolved the original between the check and the write: nothing is half done."""
    original, duplicate = pair
    read = service.find(original)
    service.resolve(original, TEAM, ROLES, "fixed", "New label stock")
    rows = len(outbox.items_for(db))
    closing = service.find(duplicate)
    joining = [Reporter(OTHER, "Emergency Department", "bleep 1", START)]
    event = Event(closing.id, START, TEAM2, Action.RESOLVE, closing.status, Status.RESOLVED)  # type: ignore[union-attr]
    done = store.close_as_duplicate(
        db,
        closing,
        read,
        ({"status": Status.RESOLVED}, event),
        joining,
        "x",
        lambda *_: [],  # type: ignore[arg-type]
    )
    assert done is None
    assert service.find(duplicate).is_open and len(outbox.items_for(db)) == rows  # type: ignore[union-attr]
    assert [r.user_id for r in service.find(original).extra_reporters] == []  # type: ignore[union-attr]


def test_the_service_says_why_when_the_original_closed_meanwhile(service, pair, monkeypatch) -> None:
    original, duplicate = pair
    real = store.close_as_duplicate

    def colleague_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        service.resolve(original, TEAM, ROLES, "fixed", "New label stock")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "close_as_duplicate", colleague_first)
    outcome = as_duplicate(service, duplicate, original)
    assert isinstance(outcome, Invalid) and f"{original} is resolved" in outcome.errors["original"]


def test_two_replicas_closing_each_into_the_other_leave_one_open(database_url: str, clock) -> None:
    """Both check, both find the other open: the rows are locked in id order, so one wins and the
    other finds its original closed, whichever replica runs first."""
    replicas = [Database(database_url) for _ in range(2)]
    replicas[0].migrate()
    try:
        services = [IssueService(db, ORG, ORG.redactor(), clock) for db in replicas]
        first, second = log(services[0]), log(services[0], OTHER, summary="Blank labels")
        start = threading.Barrier(2)
        outcomes: dict[str, object] = {}

        def close(service: IssueService, ref: str, into: str) -> None:
            start.wait()
            outcomes[ref] = as_duplicate(service, ref, into)

        threads = [threading.Thread(target=close, args=(services[0], first, second)),
                   threading.Thread(target=close, args=(services[1], second, first))]  # fmt: skip
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        assert sorted(type(o).__name__ for o in outcomes.values()) in (
            ["Changed", "Invalid"],
            ["Changed", "Refused"],
        )
        still_open = [ref for ref in (first, second) if services[0].find(ref).is_open]  # type: ignore[union-attr]
        assert len(still_open) == 1
    finally:
        for db in replicas:
            db.dispose()


def test_reopening_the_duplicate_unlinks_it_and_its_reporters_stay_on_the_original(service, pair) -> None:
    original, duplicate = pair
    as_duplicate(service, duplicate, original)
    reopened = service.reopen(duplicate, OTHER, ROLES)
    assert isinstance(reopened, Changed) and reopened.issue.original is None
    assert len(service.find(original).extra_reporters) == 3  # type: ignore[union-attr]


def test_what_is_added_to_a_closed_duplicate_goes_to_the_original(service, db, pair) -> None:
    original, duplicate = pair
    as_duplicate(service, duplicate, original)
    outcome = service.add_note(duplicate, OTHER, "Now on the second printer too")
    assert isinstance(outcome, Changed) and outcome.issue.reference == original
    note = outbox.items_for(db, notices.NOTE)[-1]
    assert note.ref == original and note.payload["text"] == "Now on the second printer too"


def test_a_new_report_worded_like_a_closed_duplicate_is_offered_its_original(service, pair) -> None:
    original, duplicate = pair
    as_duplicate(service, duplicate, original)
    likely = service.duplicates(draft(summary="Labels come out empty", details="In resus"))
    assert [found.issue.reference for found in likely] == [original]
    # From the same message as the closed one: the original, though worded quite differently.
    message = "https://trust.slack.com/archives/C0WARD/p1700000000000100"
    linked = service.duplicates(draft(summary="Help", details="see message", area="Login and access",
                                      source_link=message))  # fmt: skip
    assert [found.issue.reference for found in linked] == [original]
    # Never onto an original less urgent than the report.
    assert service.duplicates(draft(summary="Labels come out empty", severity="P1")) == []


def test_the_export_and_the_hazard_log_name_the_original(service, pair) -> None:
    original, duplicate = pair
    as_duplicate(service, duplicate, original)
    closed = service.find(duplicate)
    exporter = Exporter(ORG.redactor(), ORG.timezone)
    assert exporter.record(closed, [])["duplicate_of"] == original  # type: ignore[arg-type]
    assert exporter.hazard(closed)["Resolution"] == f"duplicate of {original}: Same printer, same fault"  # type: ignore[arg-type]


def test_a_raise_sent_after_the_issue_was_closed_as_a_duplicate_names_the_original(service, pair) -> None:
    """A colleague closed it into the original while the form was open: raising the closed one is
    refused, and the refusal sends the raise to the original, not to reopening the duplicate, which
    would split its reporters from the issue the team works on."""
    original, duplicate = pair
    as_duplicate(service, duplicate, original)
    refused = service.change_severity(duplicate, TEAM, ROLES, "P1", True, "A patient got the wrong label")
    assert isinstance(refused, Refused)
    assert f"duplicate of {original}" in refused.reason
    assert f"change the severity of {original} instead" in refused.reason and "Reopen" not in refused.reason
    late = service.acknowledge(duplicate, TEAM, ROLES)  # a click on a post from before the close
    assert isinstance(late, Refused) and f"acknowledge {original} instead" in late.reason


def test_an_original_raised_meanwhile_still_takes_the_duplicate(service, pair, monkeypatch) -> None:
    """A colleague raised the original to patient safety between the check and the write: it is more
    urgent than before, so the close still stands, rather than being refused as if the duplicate itself
    had been changed."""
    original, duplicate = pair
    real = store.close_as_duplicate

    def colleague_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        service.change_severity(original, TEAM, ROLES, "P1", True, "Wrong labels on two patients")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "close_as_duplicate", colleague_first)
    outcome = as_duplicate(service, duplicate, original)
    assert isinstance(outcome, Changed), outcome
    assert outcome.issue.original == original
    assert len(service.find(original).extra_reporters) == 3  # type: ignore[union-attr]
