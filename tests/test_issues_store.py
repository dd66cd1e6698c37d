from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.issues.model import Action, Event, Reporter, Severity, Status
from bot.store import issues as store
from bot.store import outbox
from bot.store.database import Base, Database

NOW = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
MY_TABLES = {"issues", "issue_reporters", "issue_events", "outbox"}


def new_issue(**overrides: object) -> store.NewIssue:
    values: dict = dict(
        summary="Wristband printer prints blank labels", details="Every label comes out blank since 8am",
        location="Ward 3 (Elderly Care)", area="Printing and wristbands", severity=Severity.P2,
        patient_safety=False, contact="bleep 1234", reporter_id="U0REPORTER",
    )  # fmt: skip
    values.update(overrides)
    return store.NewIssue(**values)


def triage_post(issue) -> list[outbox.Intent]:
    return [outbox.Intent("issue.triage", issue.reference, "#triage")]


def test_the_orm_models_match_the_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)

    mine = [change for change in diff if any(table in repr(change) for table in MY_TABLES)]
    assert mine == []


def test_an_issue_is_stored_with_its_audit_event_and_post_in_one_go(db: Database) -> None:
    issue, created = store.create(db, new_issue(), "view:V1", NOW, triage_post)
    assert created and issue.reference == f"GL-{issue.id:04d}" and issue.status is Status.NEW
    assert [e.action for e in store.events(db, [issue.id])] == [Action.REPORTED]
    assert [i.ref for i in outbox.items_for(db, "issue.triage")] == [issue.reference]


def test_a_retried_submission_returns_the_first_issue(db: Database) -> None:
    first, _ = store.create(db, new_issue(), "view:V1", NOW, triage_post)
    again, created = store.create(db, new_issue(), "view:V1", NOW, triage_post)
    assert not created and again.id == first.id
    assert len(store.listing(db)) == 1 and len(outbox.items_for(db, "issue.triage")) == 1


def test_concurrent_submissions_get_unique_references(db: Database) -> None:
    def submit(n: int) -> str:
        return store.create(db, new_issue(summary=f"issue {n}"), f"k{n}", NOW, triage_post)[0].reference

    with ThreadPoolExecutor(8) as pool:
        refs = list(pool.map(submit, range(40)))
    assert len(set(refs)) == 40


def test_a_stale_transition_changes_nothing(db: Database) -> None:
    issue, _ = store.create(db, new_issue(), None, NOW, triage_post)
    ack = Event(issue.id, NOW, "U0TEAM", Action.ACKNOWLEDGE, Status.NEW, Status.ACKNOWLEDGED)
    changes = {"status": Status.ACKNOWLEDGED, "acknowledged_at": NOW, "acknowledged_by": "U0TEAM"}
    assert store.transition(db, issue, changes, ack, NOW, lambda _: []) is not None
    assert store.transition(db, issue, changes, ack, NOW, lambda _: []) is None
    assert [e.action for e in store.events(db, [issue.id])] == [Action.REPORTED, Action.ACKNOWLEDGE]


def test_a_plus_one_is_recorded_once_per_person(db: Database) -> None:
    issue, _ = store.create(db, new_issue(), None, NOW, triage_post)
    nurse = Reporter("U0NURSE", "Ward 4 (Surgery)", "ext 2222", NOW)
    assert store.add_reporter(db, issue, nurse, lambda _: []) is True
    assert store.add_reporter(db, issue, nurse, lambda _: []) is False
    assert store.add_reporter(db, issue, Reporter("U0REPORTER", "x", "1", NOW), lambda _: []) is False
    assert store.get(db, issue.id).extra_reporters == (nurse,)


def test_listing_filters_and_counts(db: Database) -> None:
    store.create(db, new_issue(severity=Severity.P1, location="Emergency Department"), None, NOW, triage_post)
    store.create(db, new_issue(area="Login and access"), None, NOW, triage_post)
    mine, _ = store.create(db, new_issue(reporter_id="U0ME", severity=Severity.P4), None, NOW, triage_post)
    assert [i.severity for i in store.listing(db)] == [Severity.P1, Severity.P2, Severity.P4]
    p1 = store.listing(db, store.Filters(severities=frozenset({Severity.P1})))
    assert [i.location for i in p1] == ["Emergency Department"]
    assert len(store.listing(db, store.Filters(words=("emergency",)))) == 1
    assert len(store.listing(db, store.Filters(area="login and access"))) == 1
    assert [i.id for i in store.listing(db, store.Filters(involving="U0ME"))] == [mine.id]
    assert store.open_counts(db) == {Severity.P1: 1, Severity.P2: 1, Severity.P3: 0, Severity.P4: 1}
    assert store.opened_between(db, NOW, NOW + timedelta(hours=1)) == 3
    assert store.opened_between(db, NOW + timedelta(hours=1), NOW + timedelta(hours=2)) == 0


def test_events_and_reporters_of_many_issues_are_read_in_chunks_in_order(db: Database, monkeypatch) -> None:
    """PostgreSQL refuses a statement of over 65,535 parameters; a long go-live's report asks for more."""
    made = [
        store.create(
            db, new_issue(summary=f"Printer {n}"), f"view:C{n}", NOW + timedelta(minutes=n), triage_post
        )[0]
        for n in range(3)
    ]
    for n, issue in enumerate(made):
        store.add_reporter(db, issue, Reporter(f"U0NURSE{n}", "Ward 4", "ext 2222", NOW), lambda _: [])
    whole, listed = store.events(db, [i.id for i in made]), store.listing(db)
    monkeypatch.setattr(store, "_chunks", lambda ids, size=1: [ids[i : i + size] for i in range(len(ids))])
    assert store.events(db, [i.id for i in reversed(made)]) == whole
    assert [e.at for e in whole] == sorted(e.at for e in whole) and len(whole) == 6
    assert store.listing(db) == listed and all(len(i.extra_reporters) == 1 for i in listed)
