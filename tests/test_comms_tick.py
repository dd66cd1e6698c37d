"""Scheduled posts: on the right local days and times, in their phases, once, late only within grace."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import ManualClock
from bot.comms.model import Announcement
from bot.store import comms as store
from bot.store import outbox
from bot.store.database import Database
from tests.test_comms_setup import local, org, service


def posts(db: Database) -> list[tuple[str, str | None, str]]:
    """(announcement id, channel, due time) of every queued announcement post."""
    return [(i.ref, i.target, i.payload["due"]) for i in outbox.items_for(db, kind=store.ANNOUNCEMENT_KIND)]


def run_days(
    db: Database, clock: ManualClock, announcements: list[Announcement], days: int, step_minutes: int = 30
):
    comms = service(db, clock)
    store.sync_file_announcements(db, announcements, clock.now())
    for _ in range(days * 24 * 60 // step_minutes):
        clock.advance(minutes=step_minutes)
        comms.tick()
    return comms


def test_a_countdown_posts_on_its_days_before_golive_at_nine_local(db: Database) -> None:
    golive = org().golive.start
    countdown = [
        Announcement(id=f"countdown-{n}", channels=("announcements",), text="{days_to_golive} days to go",
                     at=local(2027, 1, 18 - n, 9, 0), phases=("preliminary",))
        for n in (14, 7, 3, 1)
    ]  # fmt: skip
    clock = ManualClock(local(2027, 1, 1, 0, 0))
    run_days(db, clock, countdown, days=20)
    queued = posts(db)
    assert [ref for ref, _, _ in queued] == ["countdown-14", "countdown-7", "countdown-3", "countdown-1"]
    assert {channel for _, channel, _ in queued} == {"C0ANNOUNCE"}
    dues = [datetime.fromisoformat(due) for _, _, due in queued]
    assert [(golive.date() - d.astimezone(golive.tzinfo).date()).days for d in dues] == [14, 7, 3, 1]
    assert all(d.astimezone(golive.tzinfo).hour == 9 for d in dues)


def test_the_countdown_text_counts_the_days_left(db: Database) -> None:
    clock = ManualClock(local(2027, 1, 4, 9, 0))
    assert (
        service(db, clock).render("{days_to_golive} days to go-live, {phase}")
        == "14 days to go-live, preliminary"
    )


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        ((2027, 3, 27), 9),  # Saturday before the clocks go forward: GMT
        ((2027, 3, 28), 8),  # last Sunday of March: BST from 01:00 UTC
        ((2027, 3, 29), 8),
        ((2027, 10, 30), 8),  # Saturday before the clocks go back: BST
        ((2027, 10, 31), 9),  # last Sunday of October: GMT again
        ((2027, 11, 1), 9),
    ],
)
def test_a_daily_nine_oclock_post_stays_at_nine_on_the_wall_clock(db: Database, day, utc_hour) -> None:
    daily = Announcement(id="daily", channels=("announcements",), text="Morning", cron="0 9 * * *")
    start = datetime(*day, 0, 0, tzinfo=UTC) - timedelta(hours=2)
    clock = ManualClock(start)
    run_days(db, clock, [daily], days=1, step_minutes=15)
    due = [datetime.fromisoformat(d) for ref, _, d in posts(db)]
    assert [d for d in due if d.date() == datetime(*day).date()] == [datetime(*day, utc_hour, 0, tzinfo=UTC)]


def test_weekday_numbers_follow_standard_cron_so_1_to_5_is_monday_to_friday(db: Database) -> None:
    weekdays = Announcement(id="weekdays", channels=("announcements",), text="Huddle", cron="0 9 * * 1-5")
    clock = ManualClock(local(2027, 3, 1, 0, 0))  # a Monday
    run_days(db, clock, [weekdays], days=7)
    due = [datetime.fromisoformat(d).astimezone(org().timezone) for _, _, d in posts(db)]
    assert [d.strftime("%a") for d in due] == ["Mon", "Tue", "Wed", "Thu", "Fri"]


def test_nothing_is_posted_outside_an_announcements_phases(db: Database) -> None:
    briefing = Announcement(
        id="briefing",
        channels=("announcements",),
        text="Day {golive_day}",
        cron="30 7 * * *",
        phases=("go-live",),
    )
    clock = ManualClock(local(2027, 1, 10, 0, 0))
    run_days(db, clock, [briefing], days=40, step_minutes=60)
    due = sorted(datetime.fromisoformat(d).astimezone(org().timezone).date() for _, _, d in posts(db))
    assert due[0] == local(2027, 1, 18, 0, 0).date()  # go-live day: phase starts 07:00, briefing 07:30
    assert due[-1] == local(2027, 2, 12, 0, 0).date()  # intensive support ends 17:00 that day
    assert len(due) == 26


def test_a_post_missed_while_down_is_sent_late_once_within_the_grace(db: Database) -> None:
    once = Announcement(
        id="notice", channels=("announcements", "command_centre"), text="Hi", at=local(2027, 1, 11, 9, 0)
    )
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    store.sync_file_announcements(db, [once], clock.now())
    service(db, clock).tick()
    clock.set(local(2027, 1, 11, 9, 40))  # "restart": a fresh service finds the missed post
    assert service(db, clock).tick().posted == 1
    assert service(db, clock).tick().posted == 0
    assert sorted(channel for _, channel, _ in posts(db)) == ["C0ANNOUNCE", "C0COMMAND"]
    assert store.runs_of(db, "notice") == [(local(2027, 1, 11, 9, 0).astimezone(UTC), store.POSTED)]


def test_a_post_missed_beyond_the_grace_is_skipped_and_logged(db: Database, caplog) -> None:
    once = Announcement(id="notice", channels=("announcements",), text="Hi", at=local(2027, 1, 11, 9, 0))
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    store.sync_file_announcements(db, [once], clock.now())
    service(db, clock).tick()
    clock.set(local(2027, 1, 11, 10, 30))
    with caplog.at_level(logging.WARNING):
        result = service(db, clock).tick()
    assert (result.posted, result.skipped) == (0, 1)
    assert posts(db) == []
    assert store.runs_of(db, "notice") == [(local(2027, 1, 11, 9, 0).astimezone(UTC), store.SKIPPED)]
    assert "notice" in caplog.text and "skipped" in caplog.text and "grace" in caplog.text


def test_several_missed_runs_collapse_into_one_post(db: Database, caplog) -> None:
    hourly = Announcement(id="hourly", channels=("command_centre",), text="Status", cron="0 * * * *")
    clock = ManualClock(local(2027, 1, 11, 7, 30))
    store.sync_file_announcements(db, [hourly], clock.now())
    service(db, clock).tick()
    before = len(posts(db))
    clock.set(local(2027, 1, 11, 11, 20))  # down through 08:00, 09:00, 10:00 and 11:00
    with caplog.at_level(logging.WARNING):
        assert service(db, clock).tick().posted == 1
    assert [d for _, _, d in posts(db)[before:]] == [local(2027, 1, 11, 11, 0).astimezone(UTC).isoformat()]
    assert "3 missed runs collapsed" in caplog.text


def test_a_changed_plan_retires_what_was_removed_from_the_files(db: Database) -> None:
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    keep = Announcement(id="keep", channels=("announcements",), text="a", at=local(2027, 1, 11, 9, 0))
    gone = Announcement(id="gone", channels=("announcements",), text="b", at=local(2027, 1, 11, 9, 0))
    store.sync_file_announcements(db, [keep, gone], clock.now())
    store.sync_file_announcements(db, [keep], clock.now())
    clock.set(local(2027, 1, 11, 9, 1))
    service(db, clock).tick()
    assert [ref for ref, _, _ in posts(db)] == ["keep"]


def test_a_broken_announcement_is_logged_and_the_rest_of_the_plan_still_posts(db: Database, caplog) -> None:
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    good = Announcement(id="good", channels=("announcements",), text="a", at=local(2027, 1, 11, 9, 0))
    broken = Announcement(id="broken", channels=("announcements",), text="b", cron="not a cron")
    store.sync_file_announcements(db, [good, broken], clock.now())  # as if a row were damaged
    clock.set(local(2027, 1, 11, 9, 0, 30))
    with caplog.at_level(logging.ERROR):
        assert service(db, clock).tick().posted == 1
    assert [ref for ref, _, _ in posts(db)] == ["good"]
    assert "announcement broken could not be scheduled" in caplog.text
