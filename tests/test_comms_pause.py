"""A comms lead pauses a scheduled post during an incident and resumes it after: the times it misses are
recorded as skipped while paused, never posted late, and the pause outlives plan reloads and restarts.
A preview shows a post as delivery will render it at its next time."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import text

from bot.clock import ManualClock
from bot.comms.model import FROM_SLACK, Announcement
from bot.comms.service import PAUSE_LEADS_ONLY, CommsService
from bot.config import Group
from bot.roles import ConfiguredMembership
from bot.store import comms as store
from bot.store import outbox
from bot.store.database import MIGRATIONS, Base, Database
from tests.test_comms_setup import local, org, service

LEAD, OTHER_LEAD = "U0LEAD", "U0DEPUTY"
BRIEFING = Announcement(
    id="briefing",
    channels=("announcements",),
    text="Go-live day {golive_day}: all going well",
    cron="30 7 * * *",
)


def queued(db: Database) -> list[tuple[str, datetime]]:
    """(announcement id, due time) of every post queued for Slack."""
    return [
        (i.ref, datetime.fromisoformat(i.payload["due"]))
        for i in outbox.items_for(db, kind=store.ANNOUNCEMENT_KIND)
    ]


def plan(db: Database, clock: ManualClock, *announcements: Announcement) -> CommsService:
    store.sync_file_announcements(db, list(announcements) or [BRIEFING], clock.now())
    return service(db, clock)


def ticks(comms: CommsService, clock: ManualClock, until: datetime, minutes: int = 15) -> int:
    """Tick as the scheduler does until `until`; how many due times were held by a pause."""
    held = 0
    while clock.now() < until:
        clock.advance(minutes=minutes)
        held += comms.tick().paused
    return held


def test_a_paused_daily_briefing_skips_its_times_and_resumes_at_the_next_one(db: Database) -> None:
    clock = ManualClock(local(2027, 1, 19, 6, 0))
    comms = plan(db, clock)
    assert comms.pause("briefing", LEAD).startswith("Paused “Go-live day {golive_day}: all going well”")
    assert ticks(comms, clock, local(2027, 1, 21, 6, 0)) == 2
    assert queued(db) == []  # nothing posted while paused
    assert store.runs_of(db, "briefing") == [
        (local(2027, 1, 19, 7, 30), store.PAUSED),
        (local(2027, 1, 20, 7, 30), store.PAUSED),
    ]
    told = comms.resume("briefing", LEAD)
    assert "it posts next on Thursday 21 January 2027 at 07:30" in told and "not posted" in told
    ticks(comms, clock, local(2027, 1, 21, 8, 0))
    assert queued(db) == [("briefing", local(2027, 1, 21, 7, 30))]  # the next time only, nothing late


def test_a_time_that_passed_while_paused_is_not_posted_late_when_no_tick_recorded_it(db: Database) -> None:
    """The bot was down, or the lead resumed seconds after the time: within the grace a post missed
    while running is sent late, but one missed while paused must not be (a stale 'all going well')."""
    clock = ManualClock(local(2027, 1, 19, 7, 0))
    comms = plan(db, clock)
    comms.pause("briefing", LEAD)
    clock.set(local(2027, 1, 19, 7, 40))  # no tick ran meanwhile; 10 minutes is well within the grace
    comms.resume("briefing", LEAD)
    assert comms.tick().paused == 1
    assert queued(db) == []
    assert store.runs_of(db, "briefing") == [(local(2027, 1, 19, 7, 30), store.PAUSED)]


def test_a_pause_outlives_a_reload_of_the_plan_files_and_a_restart(db: Database) -> None:
    clock = ManualClock(local(2027, 1, 19, 6, 0))
    comms = plan(db, clock)
    comms.pause("briefing", LEAD)
    edited = Announcement(**{**BRIEFING.__dict__, "text": "Go-live day {golive_day}: edited"})
    store.sync_file_announcements(db, [edited], clock.now())  # the file edited and stored again
    store.sync_file_announcements(db, [], clock.now())  # taken out of the files...
    store.sync_file_announcements(db, [edited], clock.now())  # ...and put back
    restarted = service(db, clock)
    [stored] = store.active_announcements(db)
    assert stored.announcement.text.endswith("edited") and stored.hold.paused
    assert (stored.hold.paused_by, stored.hold.paused_at) == (LEAD, local(2027, 1, 19, 6, 0))
    ticks(restarted, clock, local(2027, 1, 19, 8, 0))
    assert queued(db) == []


def test_who_paused_and_who_resumed_are_both_kept(db: Database) -> None:
    clock = ManualClock(local(2027, 1, 19, 6, 0))
    comms = plan(db, clock)
    comms.pause("briefing", LEAD)
    clock.set(local(2027, 1, 19, 9, 15))
    comms.resume("briefing", OTHER_LEAD)
    hold = store.active_announcements(db)[0].hold
    assert not hold.paused
    assert (hold.paused_by, hold.paused_at) == (LEAD, local(2027, 1, 19, 6, 0))
    assert (hold.resumed_by, hold.resumed_at) == (OTHER_LEAD, local(2027, 1, 19, 9, 15))


def test_pausing_twice_resuming_a_running_post_or_a_cancelled_one_changes_nothing_and_says_why(
    db: Database,
) -> None:
    clock = ManualClock(local(2027, 1, 19, 6, 0))
    huddle = Announcement(id="slack-huddle", channels=("C0WARD",), text="Ward huddle at 8",
                          at=local(2027, 1, 19, 7, 45), origin=FROM_SLACK, created_by=LEAD)  # fmt: skip
    comms = plan(db, clock)
    comms.add(huddle)
    comms.pause("briefing", LEAD)
    clock.advance(minutes=5)
    again = comms.pause("briefing", OTHER_LEAD)
    assert again.endswith("is paused already, since Tuesday 19 January 2027 at 06:00: nothing changed.")
    assert store.active_announcements(db)[0].hold.paused_by == LEAD  # the first pause stands
    assert comms.resume("slack-huddle", LEAD) == "“Ward huddle at 8” is not paused: nothing changed."
    comms.pause("slack-huddle", LEAD)
    comms.cancel("slack-huddle", LEAD)
    assert "is not scheduled any more" in comms.resume("slack-huddle", LEAD)  # never 'it posts next'
    assert "is not scheduled any more" in comms.pause("slack-huddle", LEAD)
    assert comms.pause("no-such-post", LEAD).startswith("`no-such-post` is not scheduled any more")


def test_a_post_queued_before_the_pause_is_not_sent_while_paused(db: Database) -> None:
    """Slack was down at 07:30: the briefing waits in the outbox, and the incident comes first."""
    clock = ManualClock(local(2027, 1, 19, 7, 30, 5))
    comms = plan(db, clock)
    assert comms.tick().posted == 1
    comms.pause("briefing", LEAD)
    assert comms.render_announcement("briefing", local(2027, 1, 19, 7, 30)) is None  # delivery drops it
    comms.resume("briefing", LEAD)
    assert comms.render_announcement("briefing", local(2027, 1, 19, 7, 30)) is not None


def test_a_pause_that_lands_between_a_replicas_look_and_its_claim_queues_nothing(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A replica reads the plan, then a lead pauses the post on another replica: the claim sees it."""
    clock = ManualClock(local(2027, 1, 19, 7, 30, 5))
    comms = plan(db, clock)
    read = store.active_announcements

    def read_then_paused(database: Database, origin: str | None = None) -> list[store.Stored]:
        plan_as_read = read(database, origin)
        store.pause(database, "briefing", LEAD, clock.now())
        return plan_as_read

    monkeypatch.setattr(store, "active_announcements", read_then_paused)
    result = comms.tick()
    assert (result.posted, result.paused) == (0, 1)
    assert queued(db) == []
    assert store.runs_of(db, "briefing") == [(local(2027, 1, 19, 7, 30), store.PAUSED)]


def test_the_preview_is_the_post_delivery_renders_at_its_next_time(db: Database) -> None:
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    comms = plan(db, clock)
    preview = comms.preview("briefing")
    assert preview is not None and preview.due == local(2027, 1, 20, 7, 30)
    assert preview.text == "Go-live day 3: all going well"  # the figures of its due time, not today's
    clock.set(preview.due)
    assert comms.render_announcement("briefing", preview.due) == preview.text
    comms.pause("briefing", LEAD)
    paused = comms.preview("briefing")
    assert paused is not None and paused.hold.paused and paused.text is not None
    store.sync_file_announcements(db, [], clock.now())
    assert comms.preview("briefing") is None  # not scheduled any more


def test_only_comms_leads_may_pause_and_the_refusal_says_whom_to_ask(db: Database) -> None:
    config = org(comms_leads=Group(frozenset({LEAD})))
    comms = service(db, ManualClock(local(2027, 1, 19, 6, 0)), config)
    refused = comms.refusal("U0NURSE", ConfiguredMembership(), PAUSE_LEADS_ONLY)
    assert refused is not None and refused.startswith("Only comms leads can pause or resume posts")
    assert "people: comms_leads" in refused
    assert comms.refusal(LEAD, ConfiguredMembership(), PAUSE_LEADS_ONLY) is None


def test_the_orm_models_match_the_migrations(db: Database) -> None:
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [change for change in diff if "comms_" in repr(change)] == []


def test_a_database_from_before_pausing_is_upgraded_with_its_posts_running(database_url: str) -> None:
    db = Database(database_url)
    try:
        with db.engine.begin() as conn:  # the schema as the previous version left it
            cfg = Config()
            cfg.set_main_option("script_location", str(MIGRATIONS))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, ["a0002", "i0003", "c0001"])
        now = local(2027, 1, 19, 6, 0)
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO comms_announcements (id, origin, source, channels, text, cron, phases,"
                    " created_at) VALUES ('briefing', 'file', 'plan.yaml:1', '[\"announcements\"]',"
                    " 'Morning', '30 7 * * *', 'go-live', :now)"
                ),
                {"now": now},
            )
        db.migrate()
        [stored] = store.active_announcements(db)
        assert not stored.hold.paused and stored.hold.paused_at is None
        assert store.pause(db, "briefing", LEAD, now)
    finally:
        db.dispose()
