"""Signed but hostile payloads over HTTP: refused with a 4xx or answered clearly, and the bot serves on."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_harness import RunningBot

from bot.slack import blocks

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
