"""Review of the communications plan: the skipped March hour, late posts' figures, repeating posts from
Slack with nothing left to post or made after today's time, and the cost of listing announcements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fake_slack import FakeSlack
from slack_harness import write_knowledge

from bot.cli.main import main
from bot.clock import ManualClock
from bot.comms.drafts import DAILY, WEEKLY, Draft
from bot.comms.model import Announcement
from bot.comms.phases import within_phases
from bot.comms.timing import cron_trigger, due_times
from bot.config import Settings
from bot.store.database import Database
from tests.test_comms_replicas import replica
from tests.test_comms_setup import LONDON, local, org, service
from tests.test_comms_tick import posts, run_days

ROOT = Path(__file__).resolve().parent.parent
EVERY_20_MINUTES_AT_1 = Announcement(id="quarter", channels=("announcements",), text="q", cron="*/20 1 * * *")


def _local_times(times: list[datetime]) -> list[str]:
    return [f"{t.astimezone(LONDON):%d %H:%M %Z}" for t in times]


def test_every_time_in_the_skipped_march_hour_posts_an_hour_on() -> None:
    """Before: only 01:00 (as 02:00 BST) was found; 01:20 and 01:40 were never posted nor logged."""
    after = datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    due = list(due_times(cron_trigger("*/20 1 * * *", LONDON), after, after + timedelta(days=1)))
    assert _local_times(due) == ["28 02:00 BST", "28 02:20 BST", "28 02:40 BST"]


def test_a_skipped_time_and_the_real_time_an_hour_on_are_one_post_in_order() -> None:
    after = datetime(2027, 3, 27, 23, 0, tzinfo=UTC)
    due = list(due_times(cron_trigger("10,40 1-2 * * *", LONDON), after, after + timedelta(hours=4)))
    assert _local_times(due) == ["28 02:10 BST", "28 02:40 BST"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((2027, 3, 27), ["28 02:00 BST", "28 02:20 BST", "28 02:40 BST"]),
        ((2027, 10, 30), ["31 01:00 BST", "31 01:20 BST", "31 01:40 BST"]),  # the repeated hour, once
    ],
)
def test_ticks_post_each_time_of_the_changing_hour_once(db: Database, day, expected) -> None:
    clock = ManualClock(datetime(*day, 22, 0, tzinfo=UTC))
    run_days(db, clock, [EVERY_20_MINUTES_AT_1], days=1, step_minutes=5)
    assert _local_times([datetime.fromisoformat(d) for _, _, d in posts(db)]) == expected


def test_the_schedule_command_lists_the_skipped_hours_posts(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)
    plan = tmp_path / "plan"
    plan.mkdir()
    entry = '  - id: quarter\n    channels: [announcements]\n    cron: "*/20 1 * * *"\n    text: q\n'
    (plan / "a.yaml").write_text("announcements:\n" + entry)
    argv = ["--config", str(ROOT / "golive.yaml"), "--schedules", str(plan), "schedule"]
    assert main([*argv, "--from", "2027-03-27", "--days", "3"]) == 0
    sunday = [line[:21] for line in capsys.readouterr().out.splitlines() if line.startswith("Sun 28 Mar")]
    assert sunday == ["Sun 28 Mar 2027 02:00", "Sun 28 Mar 2027 02:20", "Sun 28 Mar 2027 02:40"]


def test_a_briefing_held_up_by_a_slack_outage_reads_as_it_would_have_on_its_day(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Before: 20 January's 07:30 briefing, sent on the 21st, said 'Go-live day 4', as the 21st's did."""
    settings = Settings(
        org=org(), schedules_dir=tmp_path / "none", knowledge_dir=write_knowledge(tmp_path / "knowledge"),
        database_url=f"sqlite:///{tmp_path}/bot.db",
    )  # fmt: skip
    clock = ManualClock(local(2027, 1, 20, 7, 0))
    services, delivery = replica(settings, clock, fake_slack)
    briefing = Announcement(
        id="briefing",
        channels=("announcements",),
        text="Go-live day {golive_day}, {today}",
        cron="30 7 * * *",
    )
    services.comms.add(briefing)
    for day in (20, 21):  # Slack is down: nothing is delivered until the 21st's briefing is queued
        clock.set(local(2027, 1, day, 7, 30, 10))
        assert services.comms.tick().posted == 1
    delivery.drain()
    texts = [c.params["text"] for c in fake_slack.calls_to("chat.postMessage")]
    assert texts == [
        "Go-live day 3, Wednesday 20 January 2027",
        "Go-live day 4, Thursday 21 January 2027",
    ]
    services.close()


def _check(db: Database, now: datetime, **fields: str):
    draft = Draft(message="Huddle", channel="C0ANNOUNCE", at="09:00", **fields)  # type: ignore[arg-type]
    return service(db, ManualClock(now)).check(draft, "U0LEAD")


@pytest.mark.parametrize(
    ("repeat", "start", "end"),
    [
        (DAILY, "2027-01-05", "2027-01-05"),  # today only, and 09:00 has passed
        (WEEKLY, "2027-01-05", "2027-01-11"),  # Tuesdays: today's has passed, the next is after the end
    ],
)
def test_a_repeating_post_with_nothing_left_to_post_is_refused(db: Database, repeat, start, end) -> None:
    """Before: it was 'Scheduled', never posted, and vanished from `/golive announcements`."""
    checked = _check(db, local(2027, 1, 5, 10, 0), repeat=repeat, start=start, end=end)
    assert checked.announcement is None
    assert checked.errors == {
        "at": f"Every time up to the last day ({end[8:]} Jan) has passed; pick a later time or day."
    }


def test_a_repeating_post_with_a_time_left_before_its_last_day_is_accepted(db: Database) -> None:
    checked = _check(db, local(2027, 1, 5, 8, 0), repeat=DAILY, start="2027-01-05", end="2027-01-05")
    assert checked.errors == {} and checked.announcement is not None


def test_a_daily_post_made_after_todays_time_first_posts_tomorrow(db: Database) -> None:
    """Before: made at 09:05 for 09:00 from today, it posted at once, five minutes late, while a 'once'
    at 09:00 was refused as passed."""
    clock = ManualClock(local(2027, 1, 5, 9, 5))
    comms = service(db, clock)
    checked = comms.check(
        Draft(message="Huddle", channel="C0ANNOUNCE", repeat=DAILY, at="09:00", start="2027-01-05"), "U0LEAD"
    )
    assert checked.announcement is not None
    comms.add(checked.announcement)
    assert comms.next_due(checked.announcement) == local(2027, 1, 6, 9, 0)
    for _ in range(25 * 4):  # a day and an hour of ticks
        comms.tick()
        clock.advance(minutes=15)
    assert [datetime.fromisoformat(d) for _, _, d in posts(db)] == [local(2027, 1, 6, 9, 0)]


def test_no_due_time_is_sought_in_a_phase_that_is_over(db: Database) -> None:
    """Before: `/golive announcements` walked a year of five-minute times (seconds) for each such post."""
    during = Announcement(
        id="pulse", channels=("announcements",), text="Pulse", cron="*/5 * * * *", phases=("go-live",)
    )
    now = local(2027, 3, 1, 9, 0)  # intensive support ended 12 February
    comms = service(db, ManualClock(now))
    assert comms.next_due(during) is None
    assert within_phases(comms.org.golive, during.phases, now, now + timedelta(days=366)) == []


def test_cutting_the_search_to_the_phases_gives_the_same_due_times(db: Database) -> None:
    edges = Announcement(
        id="edges", channels=("announcements",), text="e", cron="0 7,17 * * *",
        phases=("preliminary", "maintenance"),
    )  # fmt: skip
    comms = service(db, ManualClock(local(2027, 1, 17, 0, 0)))
    due = [u.when for u in comms.upcoming(28, [edges])]
    # go-live starts 18 Jan 07:00 (go-live, not preliminary) and support ends 12 Feb 17:00 (maintenance)
    assert _local_times(due) == [
        "17 07:00 GMT",
        "17 17:00 GMT",
        "12 17:00 GMT",
        "13 07:00 GMT",
        "13 17:00 GMT",
    ]
