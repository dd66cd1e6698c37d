"""A post Slack refuses for its blocks is still delivered: a refused safety post must not be lost."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fake_slack import FakeSlack
from slack_sdk import WebClient
from sqlalchemy import text

from bot.clock import ManualClock
from bot.slack.blocks import actions, button, text_section
from bot.slack.delivery import Delivery, Message
from bot.store import outbox
from bot.store.outbox import Intent, Item

START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
CALL = "<!subteam^S0ONCALL> :rotating_light: *Patient-safety issue GL-0001* needs acknowledging."


def safety_post(item: Item) -> Message:
    return Message(
        "Patient-safety issue GL-0001 P1: drug chart blank",
        [
            text_section(CALL),
            text_section("*GL-0001* drug chart blank"),
            actions(button("Acknowledge", "a", "x")),
        ],
    )


@pytest.fixture
def fake() -> Any:
    slack = FakeSlack()
    yield slack
    slack.close()


def worker(db: Any, fake: FakeSlack) -> Delivery:
    client = WebClient(token="xoxb-t", base_url=fake.url)
    return Delivery(db, client, ManualClock(START), {"safety": safety_post, "safety.update": safety_post})


@pytest.mark.parametrize("error", ["invalid_blocks", "msg_too_long"])
def test_a_post_whose_blocks_slack_refuses_is_sent_at_once_as_text_that_still_calls_on_call(
    db, fake, error: str
) -> None:
    (row_id,) = outbox.enqueue_all(db, [Intent("safety", "GL-0001", "C0SAFETY")], START)
    fake.fail("chat.postMessage", error=error)
    worker(db, fake).tick()
    (post,) = fake.calls_to("chat.postMessage")
    assert CALL in post.params["text"] and "drug chart blank" in post.params["text"]
    assert not post.params.get("blocks")
    assert outbox.get(db, row_id).status == outbox.SENT


def test_an_edit_whose_blocks_slack_refuses_is_made_as_text(db, fake) -> None:
    outbox.enqueue_all(db, [Intent("safety", "GL-0001", "C0SAFETY")], START)
    delivery = worker(db, fake)
    delivery.tick()
    (edit_id,) = outbox.enqueue_all(db, [Intent("safety.update", "GL-0001", updates_kind="safety")], START)
    fake.fail("chat.update", error="invalid_blocks")
    delivery.tick()
    (edit,) = fake.calls_to("chat.update")
    assert CALL in edit.params["text"] and outbox.get(db, edit_id).status == outbox.SENT


def test_other_refusals_are_still_retried_not_turned_into_text(db, fake) -> None:
    (row_id,) = outbox.enqueue_all(db, [Intent("safety", "GL-0001", "C0SAFETY")], START)
    fake.fail("chat.postMessage", error="not_in_channel")
    worker(db, fake).tick()
    assert fake.calls_to("chat.postMessage") == []
    assert outbox.get(db, row_id).status == outbox.PENDING


@pytest.mark.parametrize("payload", ["{not json", "[]", "null"])
def test_a_row_with_a_malformed_payload_is_still_posted_and_blocks_no_other_row(
    db, fake, payload: str
) -> None:
    first, second = outbox.enqueue_all(
        db, [Intent("safety", "GL-0001", "C0SAFETY"), Intent("safety", "GL-0002", "C0SAFETY")], START
    )
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE outbox SET payload = :p WHERE id = :id"), {"p": payload, "id": first})
    assert worker(db, fake).tick() == 2
    assert len(fake.calls_to("chat.postMessage")) == 2
    assert outbox.get(db, first).status == outbox.SENT and outbox.get(db, second).status == outbox.SENT


def test_a_renderer_that_fails_keeps_the_post_and_says_so_loudly_until_it_renders(db, fake, caplog) -> None:
    broken = {"fail": True}

    def flaky(item: Item) -> Message:
        if broken["fail"]:
            raise KeyError("severity")
        return safety_post(item)

    (row_id,) = outbox.enqueue_all(db, [Intent("safety", "GL-0001", "C0SAFETY")], START)
    clock = ManualClock(START)
    delivery = Delivery(db, WebClient(token="xoxb-t", base_url=fake.url), clock, {"safety": flaky})
    delivery.tick()
    assert outbox.get(db, row_id).status == outbox.PENDING
    assert any(r.levelname == "ERROR" and "GL-0001" in r.getMessage() for r in caplog.records)
    broken["fail"] = False
    clock.advance(minutes=1)
    delivery.tick()
    assert outbox.get(db, row_id).status == outbox.SENT and CALL in fake.calls_to("chat.postMessage")[0].text
