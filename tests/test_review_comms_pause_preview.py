"""Review journey, day two of a go-live: from `/golive announcements` a comms lead previews any scheduled
post privately, exactly as staff will read it, and pauses the plan's 'all going well' briefing during an
incident, then resumes it; anyone else is refused and told whom to ask. Over HTTP, signed, against the
fake Slack."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from fake_slack import Call
from slack_harness import RunningBot, org_config

from bot.cli.main import main
from bot.clock import ManualClock
from bot.config import Group
from bot.slack.announcements import MENU
from bot.store import comms as store
from tests.test_comms_setup import local
from tests.test_review_blocks_limits import problems
from tests.test_slack_announce import CHANNELS, GOLIVE, LEAD, schedule_from_slack
from tests.test_slack_failure_paths import database_down

PLAN = """\
announcements:
  - id: briefing
    channels: [announcements]
    cron: "30 7 * * *"
    text: "<!channel> *Go-live day {golive_day}*: all going well"
"""
OPENING = "&lt;!channel&gt; *Go-live day {golive_day}*: all going well"  # as the list shows it: inert


def start(slack_bot, tmp_path: Path, clock: ManualClock, **options: Any) -> RunningBot:
    """A bot whose plan files hold the daily briefing, for an organisation with one comms lead."""
    plan = tmp_path / "schedules"
    plan.mkdir(exist_ok=True)
    (plan / "plan.yaml").write_text(PLAN)
    config = org_config(comms_leads=Group(frozenset({LEAD})), channels=CHANNELS, golive=GOLIVE)
    return slack_bot(org=config, clock=clock, **options)


def replies(bot: RunningBot, count: int) -> list[Call]:
    return bot.fake.wait_for("response_url", count=count)


def listing(bot: RunningBot, user: str = LEAD) -> Call:
    seen = len(bot.fake.calls_to("response_url"))
    bot.command("announcements", user=user)
    return replies(bot, seen + 1)[-1]


def menu(shown: Call, words: str) -> dict[str, str]:
    """The choices beside the line that holds `words`: {label: value}."""
    lines = [b for b in shown.params["blocks"] if "accessory" in b]
    (block,) = [b for b in lines if words in b["text"]["text"]]
    assert block["accessory"]["type"] == "overflow" and block["accessory"]["action_id"] == MENU
    return {o["text"]["text"]: o["value"] for o in block["accessory"]["options"]}


def choose(bot: RunningBot, shown: Call, words: str, label: str, user: str = LEAD) -> Call:
    """Choose `label` from the menu beside `words`; the reply Slack receives for it."""
    seen = len(bot.fake.calls_to("response_url"))
    value = menu(shown, words)[label]
    assert (
        bot.action(MENU, selected=value, user=user, response_url=bot.fake.response_url("list")).status == 200
    )
    return replies(bot, seen + 1)[-1]


def shown_text(call: Call) -> str:
    return json.dumps(call.params.get("blocks"), ensure_ascii=False)


def test_a_comms_lead_previews_a_plan_post_privately_exactly_as_it_then_posts(slack_bot, tmp_path) -> None:
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    bot = start(slack_bot, tmp_path, clock)
    shown = listing(bot)
    assert problems(shown.params["blocks"]) == []
    assert list(menu(shown, OPENING)) == ["Preview", "Pause"]  # a file's post is not cancelled here
    preview = choose(bot, shown, OPENING, "Preview")
    assert preview.params["response_type"] == "ephemeral" and preview.params["replace_original"] is False
    blocks = preview.params["blocks"]
    assert problems(blocks) == []
    heading = blocks[0]["text"]["text"]
    assert "only you can see this" in heading and "Wed 20 Jan 2027 at 07:30" in heading
    assert OPENING in heading and "<!channel>" not in heading  # the heading names it inertly
    post = blocks[2:-1]  # between the rules: the post itself, with the figures of its due time
    assert "*Go-live day 3*: all going well" in json.dumps(post)
    assert bot.fake.calls_to("chat.postMessage") == []  # nothing went to all staff

    clock.set(local(2027, 1, 20, 7, 30, 5))
    bot.services.post_due_announcements()
    (posted,) = bot.fake.wait_for("chat.postMessage")
    assert posted.params["channel"] == "C0ANNOUNCE"
    assert posted.params["blocks"] == post  # the preview was the post, word for word


def test_a_comms_lead_pauses_the_plans_briefing_during_an_incident_and_resumes_it_after(
    slack_bot, tmp_path
) -> None:
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    bot = start(slack_bot, tmp_path, clock)
    paused = choose(bot, listing(bot), OPENING, "Pause")
    assert paused.params["replace_original"] is True  # the list redrawn as it now stands
    assert "Paused “&lt;!channel&gt; *Go-live day {golive_day}*" in shown_text(paused)
    assert "Wednesday 20 January 2027 at 07:30" in paused.params["text"]
    line = shown_text(paused)
    assert f"*Paused* by <@{LEAD}> since Tue 19 Jan 10:00" in line and "Wed 20 Jan 07:30" in line
    assert list(menu(paused, OPENING)) == ["Preview", "Resume"]

    (tmp_path / "schedules" / "plan.yaml").write_text(PLAN.replace("all going well", "all well"))
    for minutes in (1, 1):  # the edit is stored once it has stopped changing for one look
        clock.advance(minutes=minutes)
        bot.services.post_due_announcements()
    assert store.active_announcements(bot.services.db)[0].announcement.text.endswith("all well")
    clock.set(local(2027, 1, 20, 7, 30, 5))
    bot.services.post_due_announcements()
    clock.set(local(2027, 1, 20, 9, 0))  # the incident is over; the 07:30 is within the grace
    shown = listing(bot)
    assert "*Paused* by" in shown_text(shown)  # re-reading the file did not un-pause it
    resumed = choose(bot, shown, "Go-live day", "Resume")
    assert "it posts next on Thursday 21 January 2027 at 07:30" in resumed.params["text"]
    assert "Next: Thu 21 Jan 07:30" in shown_text(resumed) and "*Paused*" not in shown_text(resumed)
    bot.services.post_due_announcements()
    bot.fake.wait_quiet()
    assert bot.fake.calls_to("chat.postMessage") == []  # the 20th's briefing is not posted late

    clock.set(local(2027, 1, 21, 7, 30, 5))
    bot.services.post_due_announcements()
    (posted,) = bot.fake.wait_for("chat.postMessage")
    assert "Go-live day 4" in posted.params["text"]
    assert [outcome for _, outcome in store.runs_of(bot.services.db, "briefing")] == ["paused", "posted"]


def test_a_briefing_waiting_out_a_slack_outage_when_paused_is_not_posted_stale_after_the_resume(
    slack_bot, tmp_path
) -> None:
    """Slack is down at 07:30, so the briefing waits for it; the lead pauses it for an incident and resumes
    it once the incident is over, told that what it missed is not posted: Slack coming back must not
    then post the morning's 'all going well' to every member of staff."""
    clock = ManualClock(local(2027, 1, 19, 7, 0))
    bot = start(slack_bot, tmp_path, clock)
    bot.fake.fail("chat.postMessage", status=500, times=3)
    clock.set(local(2027, 1, 19, 7, 30, 1))
    bot.services.post_due_announcements()
    bot.fake.wait_quiet()
    clock.set(local(2027, 1, 19, 7, 35))
    choose(bot, listing(bot), OPENING, "Pause")
    clock.set(local(2027, 1, 19, 8, 20))
    resumed = choose(bot, listing(bot), "Go-live day", "Resume")
    assert "What it missed while paused is not posted" in resumed.params["text"]
    for _ in range(6):  # Slack answers again; delivery tries whatever is still waiting
        clock.advance(minutes=5)
        bot.services.deliver_soon()
        bot.fake.wait_quiet()
    assert bot.fake.calls_to("chat.postMessage") == []


def test_a_nurse_can_neither_pause_nor_preview_and_is_told_whom_to_ask(slack_bot, tmp_path) -> None:
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    bot = start(slack_bot, tmp_path, clock)
    shown = listing(bot)  # a lead's list, pressed by someone else (the list is the lead's alone)
    refused = choose(bot, shown, OPENING, "Pause", user="U0NURSE")
    assert refused.params["response_type"] == "ephemeral" and refused.params["replace_original"] is False
    assert refused.params["text"].startswith("Only comms leads can pause or resume posts")
    assert "people: comms_leads" in refused.params["text"]
    assert not store.active_announcements(bot.services.db)[0].hold.paused
    previewed = choose(bot, shown, OPENING, "Preview", user="U0NURSE")
    assert (
        previewed.params["text"].startswith("Only comms leads can preview")
        and "blocks" not in previewed.params
    )


def test_a_post_made_in_slack_is_previewed_paused_and_cancelled_from_its_menu(slack_bot, tmp_path) -> None:
    clock = ManualClock(local(2027, 1, 4, 8, 0))
    bot = start(slack_bot, tmp_path, clock)
    schedule_from_slack(bot, "<!here> Huddle, {days_to_golive} days to go", repeat="daily")
    bot.fake.wait_for("chat.postMessage")  # the lead's confirmation
    shown = listing(bot)
    words = "&lt;!here&gt; Huddle"
    assert list(menu(shown, words)) == ["Preview", "Pause", "Cancel"]
    preview = choose(bot, shown, words, "Preview")
    assert preview.params["text"] == "Preview of “&lt;!here&gt; Huddle, {days_to_golive} days to go”"
    assert "&lt;!here&gt; Huddle, 13 days to go" in shown_text(preview)  # as typed, inert, as it posts
    assert "<!here>" not in shown_text(preview)
    paused = choose(bot, shown, words, "Pause")
    assert "Edits to its file" not in paused.params["text"]  # it has no file
    cancelled = choose(bot, paused, words, "Cancel")
    assert cancelled.params["text"].startswith("Cancelled “&lt;!here&gt; Huddle")  # inert, even unread
    still = cancelled.params["blocks"][1:]  # the list as it now stands, under what happened
    assert [b for b in still if "Huddle" in json.dumps(b)] == [] and "Go-live day" in json.dumps(still)
    assert store.active_announcements(bot.services.db, "slack") == []


def test_a_pause_the_database_fails_on_says_the_post_is_still_scheduled(
    slack_bot, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = start(slack_bot, tmp_path, ManualClock(local(2027, 1, 19, 10, 0)))
    shown = listing(bot)
    database_down(bot, monkeypatch)
    failed = choose(bot, shown, OPENING, "Pause")
    assert failed.params["text"].startswith("Not paused") and "still scheduled" in failed.params["text"]
    assert failed.params["replace_original"] is False  # the list and its menus stay
    preview = choose(bot, shown, OPENING, "Preview")
    assert "could not show that preview" in preview.params["text"]
    monkeypatch.undo()
    assert not store.active_announcements(bot.services.db)[0].hold.paused


def test_a_choice_from_a_menu_the_bot_no_longer_knows_is_answered(slack_bot, tmp_path) -> None:
    bot = start(slack_bot, tmp_path, ManualClock(local(2027, 1, 19, 10, 0)))
    bot.action(MENU, selected="announcement_archive:briefing", user=LEAD)
    (told,) = replies(bot, 1)
    assert "older version" in told.params["text"]
    gone = bot.action(MENU, selected="announcement_preview:no-such-post", user=LEAD)
    assert gone.status == 200 and "not scheduled any more" in replies(bot, 2)[-1].params["text"]


def test_a_post_paused_on_one_replica_is_posted_by_neither_and_once_after_the_resume_on_the_other(
    slack_bot, tmp_path, database_url: str
) -> None:
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    first = start(slack_bot, tmp_path, clock, database_url=database_url)
    second = start(slack_bot, tmp_path, clock, database_url=database_url)
    choose(first, listing(first), OPENING, "Pause")

    def due_on_both() -> None:
        go = threading.Barrier(2)

        def run(bot: RunningBot) -> None:
            go.wait()
            for _ in range(3):
                bot.services.post_due_announcements()

        threads = [threading.Thread(target=run, args=(bot,)) for bot in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    clock.set(local(2027, 1, 20, 7, 30, 5))
    due_on_both()
    first.fake.wait_quiet()
    assert first.fake.calls_to("chat.postMessage") == []
    shown = listing(second)
    assert "*Paused* by" in shown_text(
        shown
    )  # the other replica lists it paused: the pause is the database's
    clock.set(local(2027, 1, 20, 7, 50))
    choose(second, shown, OPENING, "Resume")
    due_on_both()
    clock.set(local(2027, 1, 21, 7, 30, 5))
    due_on_both()
    (posted,) = first.fake.wait_for("chat.postMessage")
    first.fake.wait_quiet()
    assert len(first.fake.calls_to("chat.postMessage")) == 1 and "Go-live day 4" in posted.params["text"]


def test_golive_bot_schedule_shows_a_paused_post_as_paused(
    slack_bot, tmp_path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    clock = ManualClock(local(2027, 1, 19, 10, 0))
    bot = start(slack_bot, tmp_path, clock)
    choose(bot, listing(bot), OPENING, "Pause")
    config = tmp_path / "golive.yaml"
    config.write_text(
        "golive:\n  start: 2027-01-18 07:00\n  intensive_support_ends: 2027-02-12 17:00\n"
        "channels:\n  announcements: C0ANNOUNCE\n  triage: C0TRIAGE\n"
    )
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'bot.db'}")
    argv = ["--config", str(config), "--schedules", str(tmp_path / "schedules"), "schedule"]
    assert main([*argv, "--from", "2027-01-20", "--days", "2"]) == 0
    out = capsys.readouterr().out
    assert [line.endswith("PAUSED") for line in out.splitlines() if "briefing" in line][:2] == [True, True]
    assert "2 posts in the next 2 days, 2 of them paused." in out
    assert f"PAUSED briefing by Slack user {LEAD} since Tue 19 Jan 2027 10:00" in out
