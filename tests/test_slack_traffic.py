"""Unusual but real Slack traffic, end to end: every request is acked with a 2xx, and a person who did
something the bot cannot do is told so, privately."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_harness import RunningBot

from bot.slack.issues import SHORTCUT


def dm_event(text: str = "what is snomed", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "user": "U0ASKER", "channel": "D0ASKER", "text": text,
            "ts": f"{time.time():.6f}", **extra}  # fmt: skip


def posted_texts(bot: RunningBot) -> list[str]:
    bot.fake.wait_quiet()
    return [c.params["text"] for c in bot.fake.calls_to("chat.postMessage")]


def test_a_question_sent_with_a_file_or_to_the_channel_too_is_answered_but_housekeeping_is_not(slack_bot):
    bot = slack_bot()
    for subtype in ("message_deleted", "channel_join", "bot_message", "message_replied"):
        assert bot.send_event(dm_event(subtype=subtype)).status == 200
    assert bot.send_event(dm_event("what is BAU", subtype="file_share", files=[{"id": "F1"}])).status == 200
    broadcast = dm_event("what is a floorwalker", subtype="thread_broadcast", thread_ts="1700000000.000001")
    assert bot.send_event(broadcast).status == 200
    assert sorted(posted_texts(bot)) == ["BAU", "Floorwalker"]
    [in_thread] = [c for c in bot.fake.calls_to("chat.postMessage") if c.params["text"] == "Floorwalker"]
    assert in_thread.params["thread_ts"] == "1700000000.000001"


def test_events_and_notices_nothing_listens_for_are_acked_so_slack_does_not_retry_them(slack_bot):
    bot = slack_bot()
    channel_message = {"type": "message", "channel_type": "channel", "user": "U0ASKER", "channel": "C0WARD",
                       "text": "what is snomed", "ts": "1700000000.000002"}  # fmt: skip
    assert bot.send_event(channel_message).status == 200
    assert bot.send_event({"type": "reaction_added", "user": "U0ASKER", "reaction": "+1"}).status == 200
    rate_limited = {"type": "app_rate_limited", "token": "t", "team_id": "T0TEST", "minute_rate_limited": 1,
                    "api_app_id": "A0TEST"}  # fmt: skip
    assert bot.post(json.dumps(rate_limited).encode()).status == 200
    assert posted_texts(bot) == []


def test_a_button_from_an_older_version_of_the_bot_is_acked_and_the_clicker_told(slack_bot):
    bot = slack_bot()
    assert bot.action("retired_button", "anything").status == 200
    reply = bot.fake.wait_for("response_url")[0]
    assert reply.params["response_type"] == "ephemeral" and "no longer works" in reply.params["text"]
    assert "/golive help" in reply.params["text"]


def test_a_form_the_bot_no_longer_knows_is_answered_with_a_notice_and_closing_one_is_acked(slack_bot):
    bot = slack_bot()
    answer = bot.view_submission({"id": "V0OLD", "callback_id": "retired_form"})
    assert answer.status == 200 and answer.json()["response_action"] == "update"
    assert "no longer works" in json.dumps(answer.json()["view"])
    closed = {"type": "view_closed", "user": {"id": "U0ASKER"},
              "view": {"id": "V0OLD", "type": "modal", "callback_id": "retired_form"}}  # fmt: skip
    assert bot.interactive(closed).status == 200


def test_an_unknown_shortcut_or_command_name_is_acked_and_explained(slack_bot):
    bot = slack_bot()
    assert bot.shortcut("retired_shortcut", user="U0NURSE").status == 200
    dm = bot.fake.wait_for("chat.postMessage")[0]  # a global shortcut has no response_url
    assert dm.params["channel"] == "U0NURSE" and "no longer works" in dm.params["text"]
    assert bot.message_action("retired_message_shortcut", {"text": "hi"}).status == 200
    assert "no longer works" in bot.fake.wait_for("response_url")[0].params["text"]
    renamed = bot.command("what is snomed", command="/golive-ward")
    assert renamed.status == 200 and "I answer `/golive` only" in renamed.body.decode()  # shown to them alone


def test_a_global_shortcut_whose_form_cannot_open_is_explained_by_direct_message(slack_bot):
    bot = slack_bot()
    no_trigger = {"type": "shortcut", "callback_id": SHORTCUT, "user": {"id": "U0NURSE"}}
    assert bot.interactive(no_trigger).status == 200
    bot.fake.fail("views.open", error="expired_trigger_id")
    assert bot.shortcut(SHORTCUT, user="U0NURSE").status == 200
    told = bot.fake.wait_for("chat.postMessage", count=2)
    assert all(c.params["channel"] == "U0NURSE" and "try again" in c.params["text"] for c in told)


def test_a_slash_command_without_a_user_is_told_to_try_again_not_answered_as_nobody(slack_bot):
    bot = slack_bot()
    form = {"command": "/golive", "text": "issues mine", "team_id": "T0TEST", "channel_id": "C0GENERAL",
            "response_url": bot.fake.response_url("no-user"), "trigger_id": "trigger-x"}  # fmt: skip
    assert bot.post(urlencode(form).encode(), content_type="application/x-www-form-urlencoded").status == 200
    reply = bot.fake.wait_for("response_url")[0]
    assert reply.params["response_type"] == "ephemeral" and "did not say who you are" in reply.params["text"]


def test_a_forty_thousand_character_mention_is_acked_at_once_and_answered_within_slack_limits(slack_bot):
    bot = slack_bot()
    started = time.monotonic()
    assert bot.mention("<!channel> canteen " * 2200).status == 200
    assert time.monotonic() - started < 3
    reply = bot.fake.wait_for("chat.postMessage")[0]
    assert "<!channel>" not in reply.text
    texts = [b["text"]["text"] for b in reply.params["blocks"] if b["type"] == "section"]
    texts += [e["text"] for b in reply.params["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert all(len(t) <= 3000 for t in texts)
    values = [e["value"] for b in reply.params["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert all(len(v) <= 2000 for v in values)


def test_stopping_the_server_after_its_wake_up_pipe_closed_still_stops_it(slack_bot):
    bot = slack_bot()
    bot.server._server.trigger.close()  # its descriptor closed under it, as a flaky teardown once showed
    bot.server.stop(timeout=5)
    assert not bot.server._thread.is_alive()
