"""A question in Slack is answered whatever goes wrong around it: Slack refusing the reply for a while,
the bot's database being down, a private note Slack will not show; and the buttons on an answer act
where the person expects."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from bot.slack import app as slack_app
from bot.slack import blocks
from bot.store import outbox


def buttons(call: Any) -> list[dict[str, Any]]:
    return [e for b in call.params.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


def test_a_reply_slack_refuses_beyond_the_clients_retries_is_posted_once_slack_takes_it(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", status=500, times=4)  # more than the client retries
    bot.mention("what is snomed", channel="C0WARD", thread_ts="1700000000.000500")
    [reply] = bot.fake.wait_for("chat.postMessage", timeout=15)
    assert "SNOMED CT" in reply.params["text"]
    assert reply.params["channel"] == "C0WARD" and reply.params["thread_ts"] == "1700000000.000500"
    assert buttons(reply), "the answer keeps its feedback buttons"
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_a_queued_reply_to_a_question_not_known_keeps_its_pass_it_on_button(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", error="fatal_error")  # the client does not retry this one
    bot.dm("how do I bake sourdough bread")
    [reply] = bot.fake.wait_for("chat.postMessage", timeout=15)
    assert "don't know" in reply.params["text"] and reply.params["channel"] == "D0ASKER"
    [pass_on] = buttons(reply)
    assert pass_on["action_id"] == blocks.PASS_TO_SUPPORT
    assert blocks.decode_value(pass_on["value"]).get("u") is not None  # the recorded question


def test_a_reply_to_a_channel_the_bot_cannot_post_in_goes_to_the_asker(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", error="not_in_channel", times=2)
    bot.mention("what is snomed", user="U0ASKER", channel="C0NOTIN")
    [posted] = bot.fake.wait_for("chat.postMessage", timeout=15)
    assert posted.params["channel"] == "U0ASKER"  # a user id posts to their direct messages
    assert "SNOMED CT" in posted.params["text"] and "where you asked" in posted.params["text"]


def test_a_mention_is_answered_while_the_database_cannot_record_it(slack_bot, monkeypatch):
    bot = slack_bot()

    def down(*_: object) -> bool:
        raise OperationalError("UPDATE once", {}, Exception("database is locked"))

    monkeypatch.setattr(slack_app, "claim", down)
    bot.mention("what is snomed")
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert "SNOMED CT" in reply.params["text"]


def test_an_answer_is_posted_when_slack_will_not_show_the_askers_private_note(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postEphemeral", error="user_not_in_channel")
    bot.mention("what is snomed? patient NHS number 943 476 5919")
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert "SNOMED CT" in reply.params["text"]
    assert "943" not in json.dumps(reply.params)


@pytest.mark.parametrize("broadcast", ["<!channel>", "<!everyone>", "<!here|here>"])
def test_an_at_channel_in_a_question_does_not_change_its_answer(slack_bot, broadcast):
    bot = slack_bot()
    bot.mention(f"{broadcast} what is snomed")
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert reply.params["text"] == "SNOMED CT"


def test_a_slash_me_question_in_a_direct_message_is_answered(slack_bot):
    bot = slack_bot()
    bot.dm("what is snomed", subtype="me_message")
    [reply] = bot.fake.wait_for("chat.postMessage")
    assert reply.params["text"] == "SNOMED CT"


def test_a_question_that_opens_with_status_is_answered_and_status_alone_still_shows_the_status(slack_bot):
    bot = slack_bot()
    bot.command("status of my new login")
    [question] = bot.fake.wait_for("response_url")
    assert "Go-live of" not in question.params["text"]
    bot.command("status?")
    status = bot.fake.wait_for("response_url", count=2)[1]
    assert "Go-live of" in status.params["text"]


def test_feedback_in_a_channel_is_thanked_privately_and_leaves_the_buttons_for_others(slack_bot):
    bot = slack_bot()
    bot.mention("what is snomed?", user="U0ASKER")
    [answer] = bot.fake.wait_for("chat.postMessage")
    no = buttons(answer)[1]
    bot.action(no["action_id"], no["value"], user="U0OTHER", message={"ts": "1700000000.000900"})
    [thanks] = bot.fake.wait_for("response_url")
    assert thanks.params["response_type"] == "ephemeral" and thanks.params["replace_original"] is False


def test_feedback_in_a_direct_message_replaces_the_buttons(slack_bot):
    bot = slack_bot()
    bot.dm("what is snomed?")
    [answer] = bot.fake.wait_for("chat.postMessage")
    yes = buttons(answer)[0]
    bot.action(yes["action_id"], yes["value"], channel="D0ASKER", message={"ts": "1700000000.000901"})
    [thanks] = bot.fake.wait_for("response_url")
    assert thanks.params["replace_original"] is True


def test_a_question_passed_on_from_a_private_answer_links_to_no_thread(slack_bot):
    bot = slack_bot()
    bot.command("how do I bake sourdough bread", channel="C0WARD4")
    [pass_on] = buttons(bot.fake.wait_for("response_url")[0])
    container = {"type": "message", "message_ts": "1700000123.000100", "channel_id": "C0WARD4",
                 "is_ephemeral": True}  # fmt: skip
    bot.interactive({
        "type": "block_actions", "user": {"id": "U0ASKER", "username": "u0asker", "team_id": bot.team_id},
        "trigger_id": "t1", "container": container, "channel": {"id": "C0WARD4", "name": "ward4"},
        "actions": [{"type": "button", "action_id": pass_on["action_id"], "block_id": "b",
                     "value": pass_on["value"], "action_ts": "1"}],
        "response_url": bot.fake.response_url("private"),
    })  # fmt: skip
    [triage] = bot.fake.wait_for("chat.postMessage")
    assert "archives/C0WARD4" not in json.dumps(triage.params)


def test_the_outbox_row_of_a_queued_reply_holds_the_cleaned_question_only(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", error="fatal_error")
    bot.mention("what is snomed for 943 476 5919")
    bot.fake.wait_for("chat.postMessage", timeout=15)
    with bot.services.db.session() as session:
        payloads = session.scalars(select(outbox.OutboxRow.payload)).all()
    # not "943" alone: the row's thread_ts is a wall-clock timestamp, which may hold those digits
    assert payloads and all("943 476 5919" not in p and "9434765919" not in p for p in payloads)


def test_commands_and_buttons_are_acked_in_time_while_slack_rate_limits_the_replies(slack_bot):
    """Replies held up by Slack's rate limits (the client waits out each Retry-After) must not take the
    threads that commands, buttons and forms need to ack within 3 s: Slack shows those people an error."""
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", status=429, retry_after=3, times=8)
    for n in range(8):  # more than Bolt's own five listener threads
        assert bot.mention(f"what is snomed {n}").status == 200
    slowest = 0.0
    for _ in range(3):
        started = time.monotonic()
        assert bot.command("help").status == 200
        slowest = max(slowest, time.monotonic() - started)
    assert slowest < 1.5, f"a command waited {slowest:.1f} s for its ack"
    replies = bot.fake.wait_for("chat.postMessage", count=8, timeout=30)  # delayed, never dropped
    assert len({r.params["thread_ts"] for r in replies}) == 8  # each question answered in its own thread
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 8
