"""Review journey: a nurse tries `/golive status`, `contact`, `help`, `issues` and App Home on a fresh
install whose config names only a triage channel (no dates, contacts or teams yet)."""

from __future__ import annotations

import json

import pytest
from slack_harness import RunningBot

from bot.config import Channels, OrgConfig

NURSE = "U0NURSE"


@pytest.fixture
def bot(slack_bot) -> RunningBot:
    return slack_bot(org=OrgConfig(channels=Channels(triage="C0TRIAGE")))


def private_reply(bot: RunningBot, words: str) -> str:
    before = len(bot.fake.calls_to("response_url"))
    assert bot.command(words, user=NURSE).status == 200
    reply = bot.fake.wait_for("response_url", count=before + 1)[-1]
    assert reply.params["response_type"] == "ephemeral"
    return reply.text


@pytest.mark.parametrize("words", ["contact", "contact ward 3"])
def test_contact_with_none_listed_says_where_to_get_help_instead(bot, words: str) -> None:
    """A nurse looking for who to ring is not the one to edit the config: tell her where help is."""
    text = private_reply(bot, words)
    assert "config" not in text
    assert "<#C0TRIAGE>" in text and "/golive issue" in text and "patient" in text


def test_status_help_issues_and_home_make_sense_with_nothing_set_up(bot) -> None:
    status = private_reply(bot, "status")
    assert "No go-live date is set" in status and "Open issues: 0" in status
    shown = private_reply(bot, "help")
    assert all(f"/golive {name}" in shown for name in ("issue", "issues", "status", "contact"))
    assert "No open issues" in private_reply(bot, "issues")
    bot.send_event({"type": "app_home_opened", "user": NURSE, "channel": "D0NURSE", "tab": "home"})
    (home,) = bot.fake.wait_for("views.publish")
    assert "You have not reported" in json.dumps(home.params["view"])
