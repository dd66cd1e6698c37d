"""Review: posts at a time the clocks skip or repeat (last Sundays of March and October) go out once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from itertools import islice

from bot.clock import ManualClock
from bot.comms.drafts import ONCE, Draft, check_draft, describe_repeat
from bot.comms.model import Announcement
from bot.comms.timing import cron_trigger, due_times
from bot.store.database import Database
from tests.test_comms_setup import LONDON, org
from tests.test_comms_tick import posts, run_days


def _finishes(work, seconds: float = 60) -> bool:
    """Run `work` on a thread: a scheduler stuck in a loop fails the test instead of hanging it."""
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(seconds)
    return not thread.is_alive()


def test_a_time_that_happens_twice_in_october_falls_due_once() -> None:
    trigger = cron_trigger("30 1 * * *", LONDON)
    after = datetime(2027, 10, 30, 0, 0, tzinfo=UTC)
    due = list(islice(due_times(trigger, after, after + timedelta(days=2)), 5))
    assert [d.astimezone(UTC) for d in due] == [
        datetime(2027, 10, 30, 0, 30, tzinfo=UTC),  # 01:30 BST
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # the first 01:30 of the day, still BST
    ]


def test_an_hourly_post_across_the_october_change_never_stalls() -> None:
    trigger = cron_trigger("0 * * * *", LONDON)
    after = datetime(2027, 10, 30, 23, 30, tzinfo=UTC)
    due = list(islice(due_times(trigger, after, after + timedelta(hours=5)), 10))
    local = [f"{d.astimezone(LONDON):%H:%M %Z}" for d in due]
    assert local == ["01:00 BST", "02:00 GMT", "03:00 GMT", "04:00 GMT"]  # 01:00 again (GMT) is not repeated


def test_a_daily_0130_post_is_posted_once_on_the_autumn_change(db: Database) -> None:
    daily = Announcement(id="night", channels=("announcements",), text="Night shift", cron="30 1 * * *")
    clock = ManualClock(datetime(2027, 10, 30, 12, 0, tzinfo=UTC))
    assert _finishes(lambda: run_days(db, clock, [daily], days=2, step_minutes=15))
    due = [datetime.fromisoformat(d) for _, _, d in posts(db)]
    assert due == [datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 11, 1, 1, 30, tzinfo=UTC)]


def test_a_daily_0130_post_is_posted_once_when_the_clocks_skip_it_in_march(db: Database) -> None:
    daily = Announcement(id="night", channels=("announcements",), text="Night shift", cron="30 1 * * *")
    clock = ManualClock(datetime(2027, 3, 27, 12, 0, tzinfo=UTC))
    run_days(db, clock, [daily], days=2, step_minutes=15)
    due = [datetime.fromisoformat(d) for _, _, d in posts(db)]
    # 01:30 does not exist on 28 March: it goes out an hour on, at 02:30 BST, and once
    assert due == [datetime(2027, 3, 28, 1, 30, tzinfo=UTC), datetime(2027, 3, 29, 0, 30, tzinfo=UTC)]


def test_a_skipped_time_is_shown_as_the_local_time_it_is_posted_at() -> None:
    trigger = cron_trigger("30 1 * * *", LONDON)
    after = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    (due,) = due_times(trigger, after, after + timedelta(days=1))
    assert f"{due.astimezone(LONDON):%H:%M %Z}" == "02:30 BST"


def test_a_slack_announcement_at_a_skipped_time_says_when_it_will_really_post() -> None:
    config = org()
    draft = Draft(message="Clocks forward", channel="C0ANNOUNCE", repeat=ONCE, at="01:30", start="2027-03-28")
    checked = check_draft(draft, config, config.redactor(), "U0LEAD", datetime(2027, 3, 1, tzinfo=UTC))
    assert checked.announcement is not None
    assert describe_repeat(checked.announcement, config) == "once, Sun 28 Mar 2027 02:30"


def test_a_slack_announcement_with_a_brace_that_is_no_placeholder_is_sent_back_with_the_one_meant() -> None:
    """The form's message is posted to a channel as written: '{golive_date' would reach all staff."""
    config = org()
    for message, meant in (
        ("Live on {golive_date!", "{golive_date}"),
        ("Day {golive-day} of go-live", "{golive_day}"),
    ):
        draft = Draft(message=message, channel="C0ANNOUNCE", repeat=ONCE, at="09:00", start="2027-03-28")
        checked = check_draft(draft, config, config.redactor(), "U0LEAD", datetime(2027, 3, 1, tzinfo=UTC))
        assert checked.announcement is None and f"did you mean {meant}?" in checked.errors["message"], message


def test_a_comms_leads_on_call_number_stays_in_the_announcement() -> None:
    config = org()
    draft = Draft(message="Tonight ring 07700 900456", channel="C0ANNOUNCE", repeat=ONCE, at="09:00",
                  start="2027-03-28")  # fmt: skip
    checked = check_draft(draft, config, config.redactor(), "U0LEAD", datetime(2027, 3, 1, tzinfo=UTC))
    assert checked.announcement is not None and "07700 900456" in checked.announcement.text
    assert not checked.redaction.changed
