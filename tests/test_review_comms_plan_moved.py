"""Review: a post moved in its file to a time that has just passed is sent late, as a new post at that
time is, instead of never."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from bot.clock import ManualClock
from bot.comms.model import Announcement
from bot.config import GoLive
from bot.store import comms as store
from bot.store.database import Database
from tests.test_comms_setup import local, org, service
from tests.test_comms_tick import posts

HUDDLE = Announcement(id="huddle", channels=("command_centre",), text="Huddle", at=local(2027, 1, 19, 11, 0))


def _written_at(db: Database, first: list[Announcement], then: Announcement, at: datetime) -> list[tuple]:
    """The posts made when the plan holds `first` from 08:00, ticked as the bot does, and `then` is
    written into it at `at`: what each test below changes is only what was written, and when."""
    clock = ManualClock(local(2027, 1, 19, 8, 0))
    comms = service(db, clock)
    store.sync_file_announcements(db, first, clock.now())
    while clock.now() < at:
        clock.advance(seconds=15)
        comms.tick()
    store.sync_file_announcements(db, [then], clock.now())
    clock.advance(seconds=15)
    comms.tick()
    return [(ref, due) for ref, _, due in posts(db)]


def test_a_post_moved_to_a_time_that_has_just_passed_is_sent_late_as_a_new_one_would_be(db: Database) -> None:
    """At 09:30 the lead brings the 11:00 huddle forward to 09:15 (validate: fine, within the grace a
    late post is sent in). Before: a new post so written went out at once, but the moved one never did,
    and nothing said so, as the scheduler had already looked past 09:15."""
    moved = replace(HUDDLE, at=local(2027, 1, 19, 9, 15))
    assert _written_at(db, [HUDDLE], moved, local(2027, 1, 19, 9, 30)) == [("huddle", moved.at.isoformat())]


def test_a_post_moved_after_it_went_out_is_not_sent_again_for_a_time_already_passed(db: Database) -> None:
    """Only a time the post has not been due at before counts: moving the 09:00 post that went out to
    08:45 does not send it twice."""
    early, moved = replace(HUDDLE, at=local(2027, 1, 19, 9, 0)), replace(HUDDLE, at=local(2027, 1, 19, 8, 45))
    assert _written_at(db, [early], moved, local(2027, 1, 19, 9, 10)) == [("huddle", early.at.isoformat())]


def test_a_post_added_while_the_bot_runs_for_a_time_just_passed_is_sent_late(db: Database) -> None:
    """Added at 09:30 for 09:15: sent, as it would be by a bot restarted at 09:30 with the same file."""
    added = replace(HUDDLE, at=local(2027, 1, 19, 9, 15))
    assert _written_at(db, [], added, local(2027, 1, 19, 9, 30)) == [("huddle", added.at.isoformat())]


def test_a_plan_stored_again_unchanged_keeps_when_each_post_took_its_times(db: Database) -> None:
    """A restart stores the files again: were that taken for a move, a post missed while the bot was down
    for longer than the grace would no longer be found, and nobody told it was skipped."""
    daily = Announcement(
        id="briefing", channels=("announcements",), text="Hi", cron="30 7 * * *", phases=("go-live",),
        start=local(2027, 1, 18, 0, 0), until=local(2027, 2, 12, 23, 59, 59, 999999),
    )  # fmt: skip
    store.sync_file_announcements(db, [daily, HUDDLE], local(2027, 1, 1, 8, 0))
    store.sync_file_announcements(db, [daily, HUDDLE], local(2027, 1, 19, 8, 0))
    assert {s.created_at for s in store.active_announcements(db)} == {local(2027, 1, 1, 8, 0)}


def test_a_running_bot_logs_what_validate_warns_of_in_the_plan_it_stores(
    tmp_path: Path, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """For a trust that never runs validate: 'until (not set)' and a post at a time the clocks skip are in
    the log when the plan is stored, at start-up and after each edit."""
    config = org(golive=GoLive(start=local(2027, 1, 18, 7, 0)))  # intensive_support_ends left out
    (tmp_path / "plan.yaml").write_text(
        "announcements:\n"
        "  - id: countdown-7\n    channels: [announcements]\n    relative: {days_before: 7}\n"
        "    text: Support runs until {support_ends_date}\n"
        "  - id: clocks\n    channels: [announcements]\n    at: 2027-03-28 01:30\n    text: Clocks\n"
    )
    with caplog.at_level(logging.WARNING):
        assert service(db, ManualClock(local(2027, 1, 1, 9, 0)), config).sync_files(tmp_path)
    assert "countdown-7: warning: {support_ends_date} would read '(not set)'" in caplog.text
    assert "clocks: warning: 2027-03-28 01:30 does not happen in Europe/London" in caplog.text
