"""Signed but hostile payloads over HTTP: refused with a 4xx or answered clearly, and the bot serves on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_harness import RunningBot
from sqlalchemy import select

from bot.slack import blocks
from bot.store.answers import FeedbackRow, UnansweredRow

LONG = "E" * 300


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(database_url=database_url)


def still_answers(bot: RunningBot) -> None:
    assert bot.mention("what is snomed?").status == 200
    assert "SNOMED" in bot.fake.wait_for("chat.postMessage")[-1].text


def test_an_event_id_longer_than_any_slack_id_is_refused_and_nothing_is_posted(bot) -> None:
    event = {"type": "app_mention", "user": "U0ASKER", "channel": "C0GENERAL", "text": "<@U0BOT> what is bau",
             "ts": "1.000001", "event_ts": "1.000001"}  # fmt: skip
    response = bot.send_event(event, event_id="Ev" + LONG)
    assert response.status == 400 and "event_id" in response.json()["error"]
    assert bot.fake.calls_to("chat.postMessage") == []
    still_answers(bot)


@pytest.mark.parametrize("field", ["user", "channel", "ts"])
def test_an_event_id_field_of_absurd_length_is_refused(bot, field: str) -> None:
    event: dict[str, Any] = {"type": "app_mention", "user": "U0ASKER", "channel": "C0GENERAL",
                             "text": "<@U0BOT> what is bau", "ts": "1.000001"}  # fmt: skip
    event[field] = LONG
    assert bot.send_event(event).status == 400
    still_answers(bot)


def test_a_slash_command_from_an_absurd_user_id_is_refused(bot) -> None:
    response = bot.command("what is snomed", user="U" + LONG)
    assert response.status == 400
    still_answers(bot)


def test_a_pass_to_support_button_with_an_id_no_database_holds_is_answered_not_crashed(bot) -> None:
    value = json.dumps({"u": 10**30, "q": "how do I reset the printer"})
    bot.action(blocks.PASS_TO_SUPPORT, value)
    reply = bot.fake.wait_for("response_url")[0]
    assert "no longer works" in reply.text or "could not find" in reply.text
    still_answers(bot)


def test_a_button_value_nested_past_the_json_parsers_limit_is_answered_not_crashed(bot) -> None:
    bot.action(blocks.HELPFUL, "[" * 3000)  # json.loads raises RecursionError, not ValueError
    assert "no longer works" in bot.fake.wait_for("response_url")[0].text
    still_answers(bot)


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "block_actions", "user": {"id": "U0ASKER"}, "actions": []},
        {"type": "block_actions", "user": {"id": "U0ASKER"}, "actions": [{"value": "x"}]},
        {"type": "view_submission", "user": {"id": "U0ASKER"}, "view": {"id": "V1", "callback_id": "x"}},
        {"type": "view_closed", "user": {"id": "U0ASKER"}, "view": {"id": "V1", "type": "modal"}},
        {"type": "shortcut", "user": {"id": "U0ASKER"}, "trigger_id": "t1"},
    ],
    ids=["no actions", "action without id", "view without type", "view without callback", "no callback"],
)
def test_a_payload_missing_what_bolt_reads_is_refused_with_400_not_500(bot, payload: dict[str, Any]) -> None:
    response = bot.interactive(payload)
    assert response.status == 400, response.body
    still_answers(bot)


@pytest.mark.parametrize("field", ["user", "channel"])
@pytest.mark.parametrize("value", [-1, 10**40, 1.5e308, True])
def test_an_event_whose_user_or_channel_is_a_number_is_refused_with_400_not_500(
    bot, field: str, value: object
) -> None:
    event = {"type": "app_mention", "user": "U0ASKER", "channel": "C0GENERAL", "text": "<@U0BOT> what is bau",
             "ts": "1.000001", field: value}  # fmt: skip
    assert bot.send_event(event).status == 400
    assert bot.fake.calls_to("chat.postMessage") == []
    still_answers(bot)


@pytest.mark.parametrize("field", ["ts", "text"])
def test_a_lone_surrogate_in_an_event_is_made_storable_and_the_question_answered(bot, field: str) -> None:
    """JSON can spell half a character ('\\ud800'); UTF-8, and so every database, cannot store it."""
    event = {"type": "message", "channel_type": "im", "user": "U0ASKER", "channel": "D0ASKER",
             "text": "what is bau", "ts": "1.000001"}  # fmt: skip
    event[field] += "\ud800"
    assert bot.send_event(event).status == 200
    assert "BAU" in bot.fake.wait_for("chat.postMessage")[0].text


def test_a_payload_with_a_null_view_is_refused_with_a_4xx_not_500(bot) -> None:
    """Slack writes absent objects as null ('enterprise': null); Bolt reads a present 'view' as one."""
    assert bot.interactive({"type": "unknown_kind", "trigger_id": "t1", "view": None}).status == 404
    still_answers(bot)


NUL_QUESTION = "when does\x00 the canteen\x1b[31m open"


def test_control_characters_typed_or_forged_are_answered_stored_and_never_echoed(bot) -> None:
    # PostgreSQL refuses NUL in text: the question was neither answered nor recorded there.
    bot.mention(NUL_QUESTION)
    bot.command(NUL_QUESTION)
    offer = bot.fake.wait_for("chat.postMessage")[0]
    assert "when does  the canteen [31m open" in offer.text
    forged = json.dumps({"e": "snomed-ct", "q": "what is\x00 snomed"})  # JSON spells it \u0000
    bot.action(blocks.HELPFUL, forged)
    replies = bot.fake.wait_for("response_url", count=2)
    assert any("glad it helped" in c.text for c in replies)
    bot.fake.wait_quiet()
    assert "\\u0000" not in bot.fake.everything() and "\\u001b" not in bot.fake.everything()
    with bot.services.db.session() as session:
        stored = [r.question for r in session.scalars(select(UnansweredRow))]
        stored += [r.question for r in session.scalars(select(FeedbackRow))]
    assert len(stored) == 3 and not any("\x00" in q or "\x1b" in q for q in stored)
