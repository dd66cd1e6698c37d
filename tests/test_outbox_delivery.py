"""The outbox delivery worker against a fake Slack: posted once, retried until done, updated in place."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fake_slack import Call, FakeSlack
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.slack.delivery import LEASE, METADATA_TYPE, Delivery, Message
from bot.store import outbox
from bot.store.database import Database
from bot.store.outbox import Intent, Item

START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
TOKEN = "xoxb-secret-token"


class SlackWithHistory(FakeSlack):
    """The fake, plus conversations.history and .replies answered from the posts it has accepted: as in
    Slack, a channel's history holds its top-level posts only, and a thread's replies the rest."""

    def _answer(self, call: Call) -> bytes:
        if call.method not in ("conversations.history", "conversations.replies"):
            return super()._answer(call)
        thread = call.params.get("ts") if call.method == "conversations.replies" else None
        posted = [
            (n, c)
            for n, c in enumerate(self.calls_to("chat.postMessage"))
            if c.params.get("channel") == call.params["channel"] and c.params.get("thread_ts") == thread
        ]
        messages = [{"ts": f"1700000000.{n:06d}", "metadata": c.params.get("metadata")} for n, c in posted]
        return json.dumps({"ok": True, "messages": messages}).encode()


@pytest.fixture
def fake() -> Any:
    slack = SlackWithHistory()
    yield slack
    slack.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


def render(item: Item) -> Message | None:
    return Message(f"{item.kind} {item.ref} #{item.attempts}")


def delivery(db: Database, fake: FakeSlack, clock: ManualClock, **renderers: Any) -> Delivery:
    client = WebClient(token=TOKEN, base_url=fake.url)
    table = {"note": render, "note.update": render, **renderers}
    return Delivery(db, client, clock, table)


def queue(db: Database, *intents: Intent) -> list[int | None]:
    return outbox.enqueue_all(db, list(intents), START)


def test_a_due_row_is_posted_once_with_its_id_and_where_it_went_is_recorded(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("note", "GL-0001", "C0TRIAGE"))
    worker = delivery(db, fake, clock)
    assert worker.tick() == 1 and worker.tick() == 0
    (post,) = fake.calls_to("chat.postMessage")
    assert post.params["metadata"] == {"event_type": METADATA_TYPE, "event_payload": {"outbox_id": row_id}}
    item = outbox.get(db, row_id)
    assert (item.status, item.channel, item.ts) == (outbox.SENT, "C0TRIAGE", "1700000000.000001")


def test_a_rate_limited_post_waits_for_retry_after_and_is_then_posted_once(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("note", "GL-0001", "C0TRIAGE"))
    fake.fail("chat.postMessage", status=429, retry_after=30)
    worker = delivery(db, fake, clock)
    worker.tick()
    assert outbox.get(db, row_id).last_error == "Slack HTTP 429: ratelimited"
    clock.advance(seconds=29)
    assert worker.tick() == 0
    clock.advance(seconds=1)
    assert worker.tick() == 1
    assert len(fake.calls_to("chat.postMessage")) == 1 and outbox.get(db, row_id).status == outbox.SENT


def test_slack_down_is_retried_with_growing_backoff_until_it_works(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("note", "GL-0001", "C0TRIAGE"))
    fake.fail("chat.postMessage", status=500, times=3)
    worker = delivery(db, fake, clock)
    waits = []
    for _ in range(3):
        worker.tick()
        row = outbox.get(db, row_id)
        assert row.status == outbox.PENDING and TOKEN not in (row.last_error or "")
        waits.append(_due(db, row_id) - clock.now())
        clock.set(_due(db, row_id))
    assert waits == [timedelta(seconds=5), timedelta(seconds=10), timedelta(seconds=20)]
    worker.tick()
    assert outbox.get(db, row_id).status == outbox.SENT
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_a_post_that_reached_slack_before_a_crash_is_not_posted_again(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("note", "GL-0001", "C0TRIAGE"))
    (claimed,) = outbox.claim_due(db, clock.now(), LEASE)  # this replica posts, then dies before recording
    metadata = {"event_type": METADATA_TYPE, "event_payload": {"outbox_id": claimed.id}}
    WebClient(token=TOKEN, base_url=fake.url).chat_postMessage(
        channel="C0TRIAGE", text="x", metadata=metadata
    )
    worker = delivery(db, fake, clock)
    assert worker.tick() == 0  # the lease still protects the first replica's claim
    clock.advance(seconds=LEASE.total_seconds())
    assert worker.tick() == 1
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert outbox.get(db, row_id).ts == "1700000000.000000"


def _posted_then_crashed(db: Database, fake: FakeSlack, clock: ManualClock, **where: Any) -> None:
    """A replica claims the due row and posts it, then dies before recording that; its lease runs out."""
    (claimed,) = outbox.claim_due(db, clock.now(), LEASE)
    metadata = {"event_type": METADATA_TYPE, "event_payload": {"outbox_id": claimed.id}}
    WebClient(token=TOKEN, base_url=fake.url).chat_postMessage(text="x", metadata=metadata, **where)
    clock.advance(seconds=LEASE.total_seconds())


def test_a_reply_that_reached_its_thread_before_a_crash_is_not_posted_again(db, fake, clock) -> None:
    queue(db, Intent("note", "GL-0001", "C0TRIAGE"))
    _posted_then_crashed(db, fake, clock, channel="C0TRIAGE", thread_ts="1699999999.000100")
    in_thread = lambda item: Message("a note", thread_ts="1699999999.000100")  # noqa: E731
    assert delivery(db, fake, clock, note=in_thread).tick() == 1
    assert len(fake.calls_to("chat.postMessage")) == 1


def test_a_post_that_reached_its_fallback_before_a_crash_is_not_posted_again(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("safety", "GL-0007", "C0SAFETY"))
    _posted_then_crashed(db, fake, clock, channel="C0TRIAGE")  # the safety channel had refused it
    urgent = lambda item: Message("P1 GL-0007", fallback_channel="C0TRIAGE")  # noqa: E731
    fake.fail("chat.postMessage", error="not_in_channel")
    assert delivery(db, fake, clock, safety=urgent).tick() == 1
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert outbox.get(db, row_id).channel == "C0TRIAGE"


def test_an_update_waits_for_the_original_post_then_edits_it_in_place(db, fake, clock) -> None:
    fake.fail("chat.postMessage", status=500)
    queue(db, Intent("note", "GL-0001", "C0TRIAGE"))
    queue(db, Intent("note.update", "GL-0001", updates_kind="note"))
    worker = delivery(db, fake, clock)
    worker.tick()
    assert fake.calls_to("chat.update") == []
    clock.advance(minutes=1)
    worker.tick()
    worker.tick()
    (post,) = fake.calls_to("chat.postMessage")
    (edit,) = fake.calls_to("chat.update")
    assert (edit.params["channel"], edit.params["ts"]) == ("C0TRIAGE", "1700000000.000001")
    assert post.params["text"].startswith("note ") and edit.params["text"].startswith("note.update ")


def test_an_update_to_a_deleted_post_posts_it_again_and_later_updates_edit_the_new_one(
    db, fake, clock
) -> None:
    """Someone tidied the triage channel: the issue must not vanish from it, nor every update fail."""
    (original,) = queue(db, Intent("note", "GL-0001", "C0TRIAGE"))
    worker = delivery(db, fake, clock)
    worker.tick()
    deleted = outbox.get(db, original).ts
    fake.fail("chat.update", error="message_not_found")
    queue(db, Intent("note.update", "GL-0001", updates_kind="note", dedupe_key="first"))
    worker.tick()
    _, again = fake.calls_to("chat.postMessage")
    assert again.params["channel"] == "C0TRIAGE" and again.params["text"].startswith("note.update ")
    reposted = outbox.get(db, original).ts
    assert reposted not in (None, deleted)
    queue(db, Intent("note.update", "GL-0001", updates_kind="note", dedupe_key="second"))
    worker.tick()
    (edit,) = fake.calls_to("chat.update")
    assert (edit.params["channel"], edit.params["ts"]) == ("C0TRIAGE", reposted)
    assert len(fake.calls_to("chat.postMessage")) == 2


def test_a_row_nobody_can_render_is_kept_and_retried_not_lost(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("announcement", "countdown-7", "C0NEWS"))
    worker = delivery(db, fake, clock)
    worker.tick()
    assert outbox.get(db, row_id).status == outbox.PENDING
    assert "no renderer" in outbox.get(db, row_id).last_error
    assert fake.calls_to("chat.postMessage") == []


def test_a_renderer_can_say_there_is_nothing_left_to_post(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("stale", "GL-0001", "C0TRIAGE"))
    delivery(db, fake, clock, stale=lambda item: None).tick()
    assert outbox.get(db, row_id).status == outbox.DROPPED and fake.calls_to("chat.postMessage") == []


def test_two_workers_sharing_the_database_post_each_row_once(db, fake, clock) -> None:
    queue(db, *[Intent("note", f"GL-{n:04d}", "C0TRIAGE") for n in range(30)])
    workers = [delivery(db, fake, clock) for _ in range(3)]
    threads = [threading.Thread(target=w.drain) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refs = [c.params["text"].split()[1] for c in fake.calls_to("chat.postMessage")]
    assert sorted(refs) == [f"GL-{n:04d}" for n in range(30)]


def _due(db: Database, row_id: int) -> datetime:
    with db.session() as session:
        return session.get(outbox.OutboxRow, row_id).due_at


def test_a_channel_configured_by_name_is_searched_by_the_id_learnt_from_earlier_posts(
    db, fake, clock
) -> None:
    (earlier,) = queue(db, Intent("note", "GL-0001", "#golive-triage"))
    outbox.mark_sent(db, earlier, "C0TRIAGE", "1699999999.000001", clock.now())  # Slack answers with the id
    (row_id,) = queue(db, Intent("note", "GL-0002", "#golive-triage"))
    (claimed,) = outbox.claim_due(db, clock.now(), LEASE)
    metadata = {"event_type": METADATA_TYPE, "event_payload": {"outbox_id": claimed.id}}
    WebClient(token=TOKEN, base_url=fake.url).chat_postMessage(
        channel="C0TRIAGE", text="x", metadata=metadata
    )
    clock.advance(seconds=LEASE.total_seconds())
    delivery(db, fake, clock).tick()
    assert len(fake.calls_to("chat.postMessage")) == 1
    assert outbox.get(db, row_id).status == outbox.SENT


def test_a_post_that_must_reach_someone_goes_to_its_fallback_when_its_channel_is_unreachable(
    db, fake, clock
) -> None:
    (row_id,) = queue(db, Intent("safety", "GL-0007", "C0SAFETY"))
    fake.fail("chat.postMessage", error="not_in_channel")
    urgent = lambda item: Message("P1 GL-0007", fallback_channel="C0TRIAGE")  # noqa: E731
    assert delivery(db, fake, clock, safety=urgent).tick() == 1
    tried = [c.params["channel"] for c in fake.attempts if c.method == "chat.postMessage"]
    (posted,) = fake.calls_to("chat.postMessage")
    assert tried == ["C0SAFETY", "C0TRIAGE"] and posted.params["channel"] == "C0TRIAGE"
    assert "not_in_channel" in posted.params["text"] and "P1 GL-0007" in posted.params["text"]
    assert (outbox.get(db, row_id).status, outbox.get(db, row_id).channel) == (outbox.SENT, "C0TRIAGE")


def test_an_ordinary_post_to_an_unreachable_channel_is_retried_not_redirected(db, fake, clock) -> None:
    (row_id,) = queue(db, Intent("note", "GL-0008", "C0GONE"))
    fake.fail("chat.postMessage", error="channel_not_found")
    delivery(db, fake, clock).tick()
    assert [c.params["channel"] for c in fake.attempts if c.method == "chat.postMessage"] == ["C0GONE"]
    assert outbox.get(db, row_id).status != outbox.SENT
