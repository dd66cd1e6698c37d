"""Review journey: a ward nurse mentions the bot with a question it answers, one it half-knows, one it
does not know (passed to support), then thanks it; the support team is told how to answer her."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_harness import RunningBot

from bot.slack import blocks as b

NURSE, WARD = "U0NURSE", "C0WARD3"


@pytest.fixture
def bot(slack_bot) -> RunningBot:
    return slack_bot()


def ask(bot: RunningBot, words: str) -> Any:
    before = len(bot.fake.calls_to("chat.postMessage"))
    bot.mention(words, user=NURSE, channel=WARD)
    return bot.fake.wait_for("chat.postMessage", count=before + 1)[-1]


def buttons(post: Any) -> list[dict[str, Any]]:
    return [e for block in post.params["blocks"] if block["type"] == "actions" for e in block["elements"]]


def test_a_nurse_asks_three_questions_thanks_the_bot_and_support_knows_where_to_answer(bot) -> None:
    known = ask(bot, "what is snomed?")
    assert known.params["channel"] == WARD and known.params["thread_ts"]
    assert "structured clinical vocabulary" in known.text

    half = ask(bot, "snomed login")
    assert "Did you mean" in half.text
    assert [b["text"]["text"] for b in buttons(half)] == [
        "SNOMED CT",
        "How do I get a login?",
        "None of these",
    ]

    unknown = ask(bot, "how do I print a wristband for a baby")
    assert "I don't know that one yet" in unknown.text
    (pass_on,) = buttons(unknown)
    message = {"ts": "1700000100.000200", "thread_ts": unknown.params["thread_ts"], "text": "", "blocks": []}
    bot.action(pass_on["action_id"], pass_on["value"], user=NURSE, channel=WARD, message=message)
    (told,) = bot.fake.wait_for("response_url")
    assert "Passed to the support team" in told.text
    triage = next(
        c for c in bot.fake.wait_for("chat.postMessage", count=4) if c.params["channel"] == "C0TRIAGE"
    )
    assert "print a wristband for a baby" in triage.text and "<@U0NURSE>" in triage.text
    # The bot does not relay the triage thread: the team is sent to where she asked, not told to reply there.
    assert "Reply in this thread" not in triage.text
    link = f"https://test-trust.slack.com/archives/{WARD}/p1700000100000200"
    assert f"<{link}?thread_ts={unknown.params['thread_ts']}&cid={WARD}|their thread>" in json.dumps(
        triage.params["blocks"]
    )

    thanks = ask(bot, "thanks!")
    assert thanks.params["text"].startswith("You're welcome") and thanks.params["thread_ts"]


def test_a_question_passed_on_from_a_direct_message_sends_the_team_to_her_direct_messages(bot) -> None:
    bot.dm("how do I print a wristband for a baby", user=NURSE, channel="D0NURSE")
    (unknown,) = bot.fake.wait_for("chat.postMessage")
    (pass_on,) = buttons(unknown)
    message = {"ts": "1700000100.000300", "text": "", "blocks": []}
    bot.action(pass_on["action_id"], pass_on["value"], user=NURSE, channel="D0NURSE", message=message)
    triage = bot.fake.wait_for("chat.postMessage", count=2)[-1]
    assert triage.params["channel"] == "C0TRIAGE" and "answer them by direct message" in triage.text
    assert "slack.com/archives" not in triage.text


def test_an_old_row_without_a_place_still_renders() -> None:
    shown = json.dumps(b.triage_question_blocks("q", "U0NURSE", None))
    assert "<@U0NURSE> does not see replies here" in shown
