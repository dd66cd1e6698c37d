"""Review of Slack traffic around answers: button clicks the bot fails on, events it does not
listen to, and events missing what a reply needs."""

from __future__ import annotations

import json

from bot.slack import blocks


def buttons(call) -> list[dict]:
    return [e for b in call.params["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_a_button_the_bot_fails_on_tells_the_clicker_instead_of_doing_nothing(slack_bot, monkeypatch):
    bot = slack_bot()
    bot.mention("when does the canteen open")
    [pass_on] = buttons(bot.fake.wait_for("chat.postMessage")[0])

    def broken(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(bot.services.answering, "pass_to_support", broken)
    monkeypatch.setattr(bot.services.answering, "record_feedback", broken)
    assert bot.action(pass_on["action_id"], pass_on["value"]).status == 200
    value = json.dumps({"e": "snomed-ct", "q": "what is snomed"})
    assert bot.action(blocks.HELPFUL, value).status == 200
    replies = bot.fake.wait_for("response_url", count=2)
    assert all("something went wrong on my side" in r.params["text"] for r in replies)
    assert all(r.params.get("replace_original") is False for r in replies)  # the buttons stay to try again


def test_a_mention_or_message_whose_user_or_channel_is_an_object_gets_no_reply(slack_bot):
    bot = slack_bot()
    bot.send_event(
        {"type": "app_mention", "user": {"id": "U0A"}, "channel": "C0A", "text": "what is bau", "ts": "1.1"}
    )
    bot.send_event(
        {"type": "app_mention", "user": "U0A", "channel": {"id": "C0A"}, "text": "what is bau", "ts": "1.2"}
    )
    bot.send_event({"type": "app_mention", "user": "U0A", "text": "<@U0BOT> what is bau", "ts": "1.3"})
    bot.send_event(
        {
            "type": "message",
            "channel_type": "im",
            "user": "U0A",
            "channel": {"id": "D0A"},
            "text": "bau",
            "ts": "1.4",
        }
    )
    bot.fake.wait_quiet()
    assert bot.fake.calls_to("chat.postMessage") == []


def test_a_double_click_on_a_feedback_button_is_recorded_once(slack_bot):
    from sqlalchemy import select

    from bot.store.answers import FeedbackRow

    bot = slack_bot()
    bot.mention("what is snomed?")
    yes = buttons(bot.fake.wait_for("chat.postMessage")[0])[0]
    message = {"type": "message", "ts": "1700000000.000500", "text": "", "blocks": []}
    for _ in range(2):  # the same person, the same message, twice before Slack replaced it
        assert bot.action(yes["action_id"], yes["value"], user="U0NURSE", message=message).status == 200
    bot.action(yes["action_id"], yes["value"], user="U0PORTER", message=message)  # someone else counts
    bot.fake.wait_for("response_url", count=2)
    bot.fake.wait_quiet()
    with bot.services.db.session() as session:
        voters = sorted(r.user_id for r in session.scalars(select(FeedbackRow)))
    assert voters == ["U0NURSE", "U0PORTER"]
