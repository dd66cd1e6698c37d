"""Review of the communications plan as a comms lead runs it through a go-live: proofreading the plan
with `golive-bot schedule --text`, posts that go out late, and posts the bot missed while it was down."""

from __future__ import annotations

import json
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fake_slack import FakeSlack
from slack_harness import write_knowledge

from bot.cli.main import main
from bot.clock import ManualClock
from bot.comms.model import FROM_SLACK, Announcement
from bot.config import Settings
from bot.runtime import build_services
from bot.store import outbox
from bot.store.comms import ANNOUNCEMENT_KIND
from tests.test_comms_replicas import replica
from tests.test_comms_setup import local, org

ROOT = Path(__file__).resolve().parent.parent
CONFIG = str(ROOT / "golive.yaml")


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.delenv("GOLIVE_CONFIG", raising=False)


def test_schedule_text_names_who_is_on_call_when_each_post_goes_out(cli_database, capsys) -> None:
    """Before: the go-live morning briefing's 'who to call now' was read at midnight before go-live, so
    the lead proofread a briefing naming only the service desk, not the command centre it will name."""
    argv = ["--config", CONFIG, "--schedules", str(ROOT / "schedules"), "schedule", "--text"]
    assert main([*argv, "--from", "2027-01-18", "--days", "1"]) == 0
    briefing = capsys.readouterr().out.split("golive-morning-briefing")[1].split("top-10-at-10")[0]
    assert "*Go-live command centre*: ext 4444" in briefing
    assert "Night floorwalker" not in briefing


def _announcement_posts(fake: FakeSlack) -> list[str]:
    """What staff see of each announcement posted, blocks and all."""
    return [json.dumps(c.params.get("blocks")) for c in fake.calls_to("chat.postMessage")]


def test_a_countdown_slack_held_until_the_next_day_says_when_it_was_due(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    """Before: '3 days to go-live', held by a Slack outage from Friday 09:00 to Saturday, was posted on
    Saturday (2 days to go) reading as Saturday's post, with nothing to say it was a day late."""
    settings = Settings(
        org=org(), schedules_dir=tmp_path / "none", knowledge_dir=write_knowledge(tmp_path / "knowledge"),
        database_url=f"sqlite:///{tmp_path}/bot.db",
    )  # fmt: skip
    clock = ManualClock(local(2027, 1, 15, 8, 0))
    services, delivery = replica(settings, clock, fake_slack)
    countdown = Announcement(
        id="countdown-3", channels=("announcements",), text="{days_to_golive} days to go-live",
        at=local(2027, 1, 15, 9, 0),
    )  # fmt: skip
    on_time = Announcement(
        id="on-time", channels=("announcements",), text="Huddle", at=local(2027, 1, 16, 10, 0)
    )
    for announcement in (countdown, on_time):
        services.comms.add(announcement)
    clock.set(local(2027, 1, 15, 9, 0, 10))
    assert services.comms.tick().posted == 1  # Slack is down: nothing is delivered until it is back
    clock.set(local(2027, 1, 16, 10, 0, 10))  # Slack is back the next morning
    assert services.comms.tick().posted == 1
    delivery.drain()
    late, fresh = _announcement_posts(fake_slack)
    assert "3 days to go-live" in late
    assert "due on Friday 15 January 2027 at 09:00" in late  # staff know it is yesterday's
    assert "due on" not in fresh  # a post on time carries no such line
    services.close()


def test_a_post_skipped_while_the_bot_was_down_is_told_to_whoever_would_fix_its_channel(slack_bot) -> None:
    """Before: a briefing missed beyond the grace was only logged; no comms lead knew to post it by hand."""
    clock = ManualClock(local(2027, 1, 19, 6, 0))
    bot = slack_bot(org=org(), clock=clock)
    comms = bot.services.comms
    briefing = Announcement(
        id="briefing", channels=("announcements",), text="Go-live day {golive_day}", cron="30 7 * * *"
    )
    from_slack = Announcement(
        id="slack-huddle", channels=("C0WARD",), text="Ward huddle at 8", at=local(2027, 1, 19, 7, 45),
        origin=FROM_SLACK, created_by="U0LEAD",
    )  # fmt: skip
    for announcement in (briefing, from_slack):
        comms.add(announcement)
    comms.tick()
    clock.set(local(2027, 1, 19, 9, 0))  # the bot was down from 06:00 to 09:00
    bot.services.post_due_announcements()
    told = {c.params["channel"]: c.params["text"] for c in bot.fake.wait_for("chat.postMessage", count=2)}
    assert set(told) == {"C0COMMAND", "U0LEAD"}  # nothing late to all staff
    assert "“Go-live day {golive_day}”" in told["C0COMMAND"]
    assert "Tuesday 19 January 2027 at 07:30" in told["C0COMMAND"]
    assert "“Ward huddle at 8” was not posted" in told["U0LEAD"]
    bot.services.post_due_announcements()
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 2  # told once


def test_an_editors_lock_file_or_a_macs_copy_marker_beside_the_plan_is_not_read(
    cli_database, tmp_path: Path, capsys
) -> None:
    """Before: with 2-golive.yaml open in emacs (its lock '.#2-golive.yaml', a link to nowhere) or the plan
    copied from a Mac ('._1-preliminary.yaml'), the whole plan was invalid: not loaded at start-up, and
    `schedule` and `validate` refused it. They are skipped, as the knowledge base skips them."""
    plan = tmp_path / "schedules"
    plan.mkdir()
    for name in ("1-preliminary.yaml", "2-golive.yaml"):
        (plan / name).write_text((ROOT / "schedules" / name).read_text())
    (plan / ".#2-golive.yaml").symlink_to("lead@ward-pc.4242:1700000000")
    (plan / "._1-preliminary.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ")
    argv = ["--config", CONFIG, "--schedules", str(plan), "schedule", "--from", "2027-01-17", "--days", "2"]
    assert main(argv) == 0
    assert "3 posts in the next 2 days." in capsys.readouterr().out


def _write_plan(plan: Path, entry: str, stamp: int) -> None:
    """The comms lead saves the file; each save gets its own modification time."""
    path = plan / "day.yaml"
    path.write_text("announcements:\n" + entry)
    os.utime(path, ns=(stamp * 10**9, stamp * 10**9))


def test_a_plan_edited_while_the_bot_runs_is_applied_and_a_broken_edit_keeps_the_last_good_plan(
    tmp_path: Path, caplog
) -> None:
    """Before: an edit to the plan's files waited for the next restart: a post moved to 11:00 still went
    at 10:00, and one removed still posted."""
    plan = tmp_path / "schedules"
    plan.mkdir()
    huddle = '  - id: huddle\n    channels: [command_centre]\n    at: "2027-01-19 {at}"\n    text: Huddle\n'
    _write_plan(plan, huddle.format(at="10:00"), 1)
    settings = Settings(
        org=org(), schedules_dir=plan, knowledge_dir=write_knowledge(tmp_path / "knowledge"),
        database_url=f"sqlite:///{tmp_path}/bot.db",
    )  # fmt: skip
    clock = ManualClock(local(2027, 1, 19, 8, 0))
    services = build_services(settings, clock=clock)

    def ticks(until: datetime) -> None:
        while clock.now() < until:
            clock.advance(seconds=15)
            services.post_due_announcements()

    _write_plan(plan, huddle.format(at="11:00"), 2)  # moved
    ticks(local(2027, 1, 19, 8, 1))
    assert [a.at for a in services.comms.active()] == [local(2027, 1, 19, 11, 0)]
    with caplog.at_level(logging.ERROR):
        _write_plan(plan, huddle.format(at="11:00").replace("command_centre", "comand_centre"), 3)  # typo
        ticks(local(2027, 1, 19, 8, 2))
    assert "comand_centre" in caplog.text and "unchanged until the files are fixed" in caplog.text
    ticks(local(2027, 1, 19, 11, 1))  # the last good plan still posts, at its new time
    assert [(i.ref, i.payload["due"]) for i in outbox.items_for(services.db, kind=ANNOUNCEMENT_KIND)] == [
        ("huddle", local(2027, 1, 19, 11, 0).astimezone(UTC).isoformat())
    ]
    (plan / "day.yaml").write_text("announcements: []\n")  # removed
    ticks(local(2027, 1, 19, 11, 2))
    assert services.comms.active() == []
    services.close()
