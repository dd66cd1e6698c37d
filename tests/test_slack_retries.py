"""Slack's retries never double a reply, and Slack's rate limits delay a reply without losing it."""

from __future__ import annotations

import time

from sqlalchemy import select

from bot.store.answers import UnansweredRow
from bot.store.once import OnceKey


def mention_event(text: str, ts: str = "1700000000.000200") -> dict:
    return {
        "type": "app_mention",
        "user": "U0ASKER",
        "channel": "C0WARD",
        "text": f"<@U0BOT> {text}",
        "ts": ts,
    }


def test_a_retried_event_gets_exactly_one_reply(slack_bot):
    bot = slack_bot()
    event = mention_event("what is snomed")
    assert bot.send_event(event, event_id="Ev0RETRY").status == 200
    assert bot.send_event(event, event_id="Ev0RETRY", retry_num=1).status == 200
    assert bot.send_event(event, event_id="Ev0RETRY", retry_num=2).status == 200
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1


def test_two_replicas_on_one_database_reply_once_to_each_event(slack_bot, database_url):
    first = slack_bot(database_url=database_url)
    second = slack_bot(database_url=database_url)
    for n in range(10):
        event = mention_event("what is snomed", ts=f"1700000000.{n:06d}")
        first.send_event(event, event_id=f"Ev0TWICE{n}")
        second.send_event(event, event_id=f"Ev0TWICE{n}", retry_num=1)
    first.fake.wait_for("chat.postMessage", count=10)
    first.fake.wait_quiet()
    threads = sorted(c.params["thread_ts"] for c in first.fake.calls_to("chat.postMessage"))
    assert threads == [f"1700000000.{n:06d}" for n in range(10)]


def test_a_rate_limited_reply_is_delayed_not_dropped(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", status=429, retry_after=1)
    started = time.monotonic()
    bot.mention("what is BAU")
    [reply] = bot.fake.wait_for("chat.postMessage", timeout=10)
    assert time.monotonic() - started >= 1  # Retry-After was honoured
    assert "BAU" in reply.params["text"]
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    assert len([a for a in bot.fake.attempts if a.method == "chat.postMessage"]) == 2


def test_a_slack_server_error_is_retried(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", status=500)
    bot.dm("what is a floorwalker")
    assert "Floorwalker" in bot.fake.wait_for("chat.postMessage", timeout=10)[0].params["text"]


def claimed(bot, event: dict) -> bool:
    """Whether the message the event brings is claimed (by its channel and ts, whatever the event id)."""
    with bot.services.db.session() as session:
        return session.get(OnceKey, f"event:{event['channel']}:{event['ts']}") is not None


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_reply_slack_refused_is_posted_from_the_outbox_and_a_retry_of_the_event_adds_nothing(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", error="fatal_error")  # not retried by the client: the reply fails
    event = mention_event("what is snomed")
    bot.send_event(event, event_id="Ev0LOST")
    [reply] = bot.fake.wait_for("chat.postMessage", timeout=15)
    assert "SNOMED CT" in reply.params["text"] and reply.params["thread_ts"] == event["ts"]
    assert bot.send_event(event, event_id="Ev0LOST", retry_num=1).status == 200
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    assert claimed(bot, event)


def test_a_retry_that_arrives_while_the_first_reply_is_still_being_sent_is_ignored(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", status=429, retry_after=1)  # the first reply takes a second
    event = mention_event("what is BAU")
    bot.send_event(event, event_id="Ev0SLOW")
    wait_until(lambda: any(a.method == "chat.postMessage" for a in bot.fake.attempts))
    assert bot.send_event(event, event_id="Ev0SLOW", retry_num=1).status == 200
    bot.fake.wait_for("chat.postMessage", timeout=10)
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    assert claimed(bot, event)


def test_a_question_redelivered_after_a_failed_reply_is_recorded_as_unanswered_once(slack_bot):
    bot = slack_bot()
    bot.fake.fail("chat.postMessage", error="fatal_error")
    event = mention_event("how do I bake sourdough bread")
    bot.send_event(event, event_id="Ev0AGAIN")
    [reply] = bot.fake.wait_for("chat.postMessage", timeout=15)
    bot.send_event(event, event_id="Ev0AGAIN", retry_num=1)
    bot.fake.wait_quiet()
    assert "don't know" in reply.params["text"]
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    with bot.services.db.session() as session:
        assert session.scalars(select(UnansweredRow.question)).all() == ["how do I bake sourdough bread"]


def test_a_direct_message_that_mentions_the_bot_comes_as_two_events_and_gets_one_reply(slack_bot):
    bot = slack_bot()
    said = {"user": "U0ASKER", "channel": "D0ASKER", "text": "<@U0BOT> how do I bake sourdough bread",
            "ts": "1700000000.000300"}  # fmt: skip
    assert bot.send_event({"type": "message", "channel_type": "im", **said}, event_id="Ev0DM").status == 200
    assert bot.send_event({"type": "app_mention", **said}, event_id="Ev0MENTION").status == 200
    bot.fake.wait_for("chat.postMessage")
    bot.fake.wait_quiet()
    assert len(bot.fake.calls_to("chat.postMessage")) == 1
    with bot.services.db.session() as session:
        assert len(session.scalars(select(UnansweredRow)).all()) == 1  # counted once in the gaps report
