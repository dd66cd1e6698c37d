"""Review: a comms lead schedules a post from Slack in a channel the bot has not been invited to, and is
told so when it is scheduled, days before the post would come back to them instead."""

from __future__ import annotations

import logging
import subprocess
import time

from slack_harness import GOLIVE_BOT, bot_env, org_config

from bot.comms.model import Announcement
from bot.config import Channels
from bot.slack.invited import check_invited
from tests.test_slack_announce import LEAD, form, start


def _schedule_in(bot, channel: str) -> str:
    """Schedule a post in `channel` through the form and its preview; the lead's confirmation."""
    bot.command("announce", user=LEAD, channel="C0ANNOUNCE")
    view = bot.fake.wait_for("views.open")[0].params["view"]
    preview = bot.view_submission(view, user=LEAD, values=form("Huddle at 9", channel=channel)).json()
    assert bot.view_submission(preview["view"], user=LEAD).json() == {"response_action": "clear"}
    (confirmation,) = bot.fake.wait_for("chat.postMessage")
    assert confirmation.params["channel"] == LEAD
    return confirmation.params["text"]


def test_scheduling_in_a_channel_the_bot_is_not_in_says_to_invite_it(slack_bot) -> None:
    bot = start(slack_bot)
    bot.fake.leave("C0WARD3")
    said = _schedule_in(bot, "C0WARD3")
    assert said.startswith("Scheduled for <#C0WARD3>")
    assert "The bot is not in <#C0WARD3>: invite it there (`/invite @golive`) before it is due" in said


def test_scheduling_in_a_channel_the_bot_is_in_says_nothing_more(slack_bot) -> None:
    said = _schedule_in(start(slack_bot), "C0ANNOUNCE")
    assert "invite" not in said


def test_a_channel_of_the_config_or_the_plan_the_bot_is_not_in_is_logged(slack_bot, caplog) -> None:
    """README step 4 forgotten: before, the operator learnt of it when the first P1 went to triage
    instead of the safety channel, or the countdown came to the command centre with a note."""
    channels = Channels(triage="C0TRIAGE", safety="C0SAFETY", announcements="#golive-announcements")
    bot = slack_bot(org=org_config(channels=channels))
    bot.services.comms.add(Announcement(id="ward-3", channels=("C0WARD3",), text="Hi", cron="0 9 * * *"))
    bot.fake.leave("C0SAFETY")
    bot.fake.leave("C0WARD3")
    with caplog.at_level(logging.WARNING):
        check_invited(bot.services, bot.app.client)
    told = [r.getMessage() for r in caplog.records if "the bot is not in channel" in r.getMessage()]
    assert [m.split()[6].rstrip(",") for m in told] == ["C0SAFETY", "C0WARD3"]
    assert "invite it there (/invite @golive)" in told[0]
    read = {c.params["channel"] for c in bot.fake.calls_to("conversations.history")}
    assert read == {"C0TRIAGE"}  # a #name cannot be read by name, so it is not asked about


def test_serve_logs_a_channel_the_bot_was_never_invited_to(tmp_path, fake_slack) -> None:
    fake_slack.leave("C0SAFETY")
    environment = bot_env(
        tmp_path, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="s", SLACK_API_URL=fake_slack.url
    )
    with subprocess.Popen([*GOLIVE_BOT, "serve", "--host", "127.0.0.1", "--port", "0"], env=environment,
                          cwd=tmp_path, stderr=subprocess.PIPE, text=True) as serving:  # fmt: skip
        deadline, seen = time.monotonic() + 30, ""
        try:
            while "not in channel" not in seen and time.monotonic() < deadline and serving.stderr:
                seen += serving.stderr.readline()
        finally:
            serving.terminate()
    assert "the bot is not in channel C0SAFETY" in seen, seen
