"""Review: plan-file dates and cron fields that read one way to a comms lead and ran another."""

from __future__ import annotations

from pathlib import Path

from bot.clock import ManualClock
from bot.comms.model import Announcement
from bot.comms.schedules import read_schedules
from bot.store.database import Database
from tests.test_comms_schedules import item, problems_in
from tests.test_comms_setup import local, org
from tests.test_comms_tick import posts, run_days


def test_an_at_with_a_date_but_no_time_is_refused_not_posted_at_midnight(tmp_path: Path) -> None:
    [problem] = problems_in(tmp_path, "announcements:\n" + item("launch", "at: 2027-01-18", "text: Hi"))
    assert problem.startswith("plan.yaml:4: at: ") and "time" in problem


def test_an_until_date_includes_that_whole_day(tmp_path: Path) -> None:
    fields = ('cron: "0 9 * * *"', "start: 2027-01-18", "until: 2027-02-12", "text: Hi")
    (tmp_path / "plan.yaml").write_text("announcements:\n" + item("daily", *fields))
    [announcement], problems = read_schedules(tmp_path, org())
    assert problems == []
    assert announcement.start == local(2027, 1, 18, 0, 0)
    assert announcement.until is not None and announcement.until > local(2027, 2, 12, 9, 0)
    assert announcement.until < local(2027, 2, 13, 0, 0)


def test_an_until_before_the_start_is_reported(tmp_path: Path) -> None:
    fields = ('cron: "0 9 * * *"', "start: 2027-02-12", "until: 2027-01-18", "text: Hi")
    [problem] = problems_in(tmp_path, "announcements:\n" + item("daily", *fields))
    assert problem.startswith("plan.yaml:6: until: ") and "start" in problem


def test_a_cron_limiting_both_the_day_of_month_and_the_weekday_is_refused(tmp_path: Path) -> None:
    """Standard cron posts on either (the 1st and 15th, and every Monday); APScheduler only on both."""
    [problem] = problems_in(tmp_path, "announcements:\n" + item("both", 'cron: "0 9 1,15 * 1"', "text: Hi"))
    assert problem.startswith("plan.yaml:4: cron: ") and "day of the week" in problem


def test_a_channel_named_twice_in_two_ways_is_posted_to_once(db: Database) -> None:
    both = Announcement(id="twice", channels=("announcements", "C0ANNOUNCE"), text="Hi", cron="0 9 * * *")
    run_days(db, ManualClock(local(2027, 1, 4, 8, 0)), [both], days=1)
    assert [(ref, channel) for ref, channel, _ in posts(db)] == [("twice", "C0ANNOUNCE")]
