"""A patient-safety call-out reaches someone whatever Slack refuses, and a report whose duplicate offer
came too late to show is kept: the gaps an audit found, end to end through the real app."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fake_slack import FakeSlack
from slack_harness import RunningBot
from slack_sdk import WebClient
from test_slack_issues import NURSE, ORG, OTHER, START, log_issue, submit

from bot.clock import ManualClock
from bot.slack.delivery import Delivery, Message, as_plain_text
from bot.store import issues as store
from bot.store import outbox
from bot.store.database import Database
from bot.store.outbox import Intent

ONCALL = "<!subteam^S0ONCALL>"
# Slack's answers that the bot may never post (or reply) in a channel, from chat.postMessage's list.
REFUSALS = (
    "restricted_action",
    "restricted_action_read_only_channel",
    "restricted_action_thread_only_channel",
    "restricted_action_non_threadable_channel",
    "cannot_reply_to_message",
    "team_access_not_granted",
)


@pytest.fixture
def bot(slack_bot, database_url: str) -> RunningBot:
    return slack_bot(org=ORG, database_url=database_url, clock=ManualClock(START))


def _posts_to(bot: RunningBot, channel: str) -> list[Any]:
    return [c for c in bot.fake.calls_to("chat.postMessage") if c.params["channel"] == channel]


def _safety_row(bot: RunningBot, ref: str) -> outbox.Item:
    (row,) = outbox.items_for(bot.services.db, "issue.safety", ref)
    return row


@pytest.mark.parametrize("error", REFUSALS)
def test_a_safety_call_out_the_safety_channel_refuses_goes_to_triage_and_calls_on_call(bot, error) -> None:
    bot.fake.fail("chat.postMessage", error=error)  # the first post out is the urgent safety one
    ref = log_issue(bot, severity="P1", safety=True)
    bot.fake.wait_for("chat.postMessage", count=3)
    bot.fake.wait_quiet()
    assert _posts_to(bot, "C0SAFETY") == []
    (redirected,) = [c for c in _posts_to(bot, "C0TRIAGE") if "should have gone to" in c.text]
    assert ONCALL in redirected.text and ref in redirected.text and error in redirected.text
    row = _safety_row(bot, ref)
    assert (row.status, row.channel) == (outbox.SENT, "C0TRIAGE")


def test_refused_blocks_then_an_unreachable_channel_still_reach_triage_as_plain_text(bot) -> None:
    bot.fake.fail("chat.postMessage", error="invalid_blocks")  # the safety post's blocks are refused
    bot.fake.fail("chat.postMessage", error="not_in_channel")  # and its plain text cannot reach #safety
    ref = log_issue(bot, severity="P1", safety=True)
    bot.fake.wait_for("chat.postMessage", count=3)
    bot.fake.wait_quiet()
    (redirected,) = [c for c in _posts_to(bot, "C0TRIAGE") if "should have gone to" in c.text]
    assert ONCALL in redirected.text and "not_in_channel" in redirected.text
    assert _safety_row(bot, ref).status == outbox.SENT


def test_plain_text_keeps_where_the_message_goes() -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": f"{ONCALL} GL-0001"}}]
    message = Message("P1", blocks, channel="C0X", fallback_channel="C0TRIAGE", thread_ts="1.000001")
    plain = as_plain_text(message)
    assert (plain.blocks, plain.channel, plain.fallback_channel, plain.thread_ts) == (
        [], "C0X", "C0TRIAGE", "1.000001"
    )  # fmt: skip
    assert ONCALL in plain.text


def test_a_reply_that_cannot_be_threaded_goes_to_its_fallback_outside_the_thread(db: Database) -> None:
    fake, clock = FakeSlack(), ManualClock(START)
    try:
        (row_id,) = outbox.enqueue_all(db, [Intent("answer", "Q1", "C0WARD")], START)
        fake.fail("chat.postMessage", error="cannot_reply_to_message")
        reply = Message("The answer", thread_ts="1700000000.000001", fallback_channel=NURSE)
        worker = Delivery(
            db, WebClient(token="xoxb-t", base_url=fake.url), clock, {"answer": lambda _: reply}
        )
        assert worker.tick() == 1
        (posted,) = fake.calls_to("chat.postMessage")
        assert posted.params["channel"] == NURSE and "thread_ts" not in posted.params
        assert "The answer" in posted.text and outbox.get(db, row_id).status == outbox.SENT
    finally:
        fake.close()


def test_a_duplicate_offer_that_comes_after_still_saving_is_logged_not_lost(
    bot, monkeypatch, slow_forms
) -> None:
    first = log_issue(bot, "V1", severity="P1", safety=True, summary="Wristband printer prints wrong labels")
    bot.fake.wait_for("chat.postMessage", count=3)
    bot.fake.wait_quiet()
    go, duplicates = slow_forms(), bot.services.issues.duplicates

    def slow_duplicates(*args: Any, **kwargs: Any) -> Any:
        found = duplicates(*args, **kwargs)
        go.wait(5)  # the offer is ready only after Slack's wait (scaled down here) is over
        return found

    monkeypatch.setattr(bot.services.issues, "duplicates", slow_duplicates)
    typed = {"severity": "P1", "safety": True, "summary": "Wristband printer prints wrong labels",
             "location": "Emergency Department", "details": "ED labels show another patient"}  # fmt: skip
    answer = submit(bot, "V2", user=OTHER, **typed)
    assert "Still saving" in answer["errors"]["summary"]
    go.set()
    bot.fake.wait_for("chat.postMessage", count=7)  # the reporter told, and the new issue's three posts
    bot.fake.wait_quiet()
    (second,) = [i for i in store.listing(bot.services.db) if i.reference != first]
    assert second.location == "Emergency Department" and second.reporter_id == OTHER
    told = [c.text for c in _posts_to(bot, OTHER) if "looks like" in c.text]
    assert len(told) == 1 and first in told[0] and second.reference in told[0]
    assert any(second.reference in c.text and ONCALL in c.text for c in _posts_to(bot, "C0SAFETY"))
    again = submit(bot, "V2", user=OTHER, **typed)  # pressed again, as the form said
    assert f"Already logged as {second.reference}" in json.dumps(again["view"])
    assert len(store.listing(bot.services.db)) == 2


def test_a_late_duplicate_offer_that_cannot_be_logged_is_sent_back(bot, monkeypatch, slow_forms) -> None:
    log_issue(bot, "V1", summary="Wristband printer prints wrong labels")
    bot.fake.wait_for("chat.postMessage", count=2)
    bot.fake.wait_quiet()
    go, duplicates = slow_forms(), bot.services.issues.duplicates

    def slow_duplicates(*args: Any, **kwargs: Any) -> Any:
        found = duplicates(*args, **kwargs)
        go.wait(5)
        return found

    def unreachable(*_: object, **__: object) -> None:
        raise OSError("database gone")

    monkeypatch.setattr(bot.services.issues, "duplicates", slow_duplicates)
    monkeypatch.setattr(bot.services.issues, "report", unreachable)
    seen = len(bot.fake.calls_to("chat.postMessage"))
    answer = submit(
        bot, "V2", user=OTHER, summary="Wristband printer prints wrong labels", details="In ED too"
    )
    assert "Still saving" in answer["errors"]["summary"]
    go.set()
    [told] = bot.fake.wait_for("chat.postMessage", count=seen + 1)[seen:]
    assert told.params["channel"] == OTHER and "Not saved" in told.text and "In ED too" in told.text
