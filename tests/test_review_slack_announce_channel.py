"""Review: a comms lead schedules a post from Slack in a channel the bot has not been invited to, and is
told so when it is scheduled, days before the post would come back to them instead."""

from __future__ import annotations

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
