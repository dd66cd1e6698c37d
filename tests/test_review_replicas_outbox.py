"""Outbox delivery with several replicas on one database: a slow or stale replica posts nothing twice.

Each replica is its own Database and Delivery on the same URL (PostgreSQL when TEST_DATABASE_URL is
set); a slow Slack call is simulated by a renderer that moves the shared ManualClock on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fake_slack import FakeSlack
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.slack.delivery import LEASE, Delivery, Message
from bot.store import outbox
from bot.store.database import Database
from bot.store.outbox import Intent, Item

START = datetime(2027, 1, 18, 9, 0, tzinfo=UTC)
SLOW = LEASE + timedelta(seconds=10)  # one Slack call that takes longer than the lease


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def replicas(database_url: str) -> Iterator[list[Database]]:
    """Two processes' connections to one database."""
    first = Database(database_url)
    first.migrate()
    second = Database(database_url)
    yield [first, second]
    first.dispose()
    second.dispose()


def plain(item: Item) -> Message:
    return Message(f"{item.kind} {item.ref}")


def worker(db: Database, fake: FakeSlack, clock: ManualClock, render: Callable[[Item], Any]) -> Delivery:
    return Delivery(db, WebClient(token="xoxb-test", base_url=fake.url), clock, {"note": render})


def posted(fake: FakeSlack) -> list[str]:
    return sorted(c.params["text"] for c in fake.calls_to("chat.postMessage"))


def test_a_replica_whose_slow_post_failed_after_its_lease_ran_out_does_not_put_back_a_posted_row(
    replicas: list[Database], fake_slack: FakeSlack, clock: ManualClock
) -> None:
    """Before: the stale replica's retry set the posted row back to pending, and it was posted again."""
    a_db, b_db = replicas
    (row_id,) = outbox.enqueue_all(a_db, [Intent("note", "GL-0001", "C0TRIAGE")], START)
    b = worker(b_db, fake_slack, clock, plain)

    def slow_then_timeout(item: Item) -> Message:
        clock.advance(seconds=SLOW.total_seconds())
        assert b.tick() == 1  # the lease ran out: the other replica posts the row
        raise TimeoutError("the read timed out")  # and the first replica's call gives up

    worker(a_db, fake_slack, clock, slow_then_timeout).tick()
    assert outbox.get(a_db, row_id).status == outbox.SENT
    clock.advance(minutes=30)
    assert b.tick() == 0
    assert posted(fake_slack) == ["note GL-0001"]


def test_rows_claimed_together_are_not_posted_by_the_first_replica_once_another_took_them_over(
    replicas: list[Database], fake_slack: FakeSlack, clock: ManualClock
) -> None:
    """Before: a batch's later rows were posted by both replicas when an early row's post was slow."""
    a_db, b_db = replicas
    outbox.enqueue_all(a_db, [Intent("note", f"GL-000{n}", "C0TRIAGE") for n in range(1, 4)], START)
    b = worker(b_db, fake_slack, clock, plain)
    slowed = []

    def first_is_slow(item: Item) -> Message:
        if not slowed:
            slowed.append(item.id)
            clock.advance(seconds=SLOW.total_seconds())
            assert b.tick() == 3  # every lease ran out: the other replica takes the whole batch over
        return plain(item)

    worker(a_db, fake_slack, clock, first_is_slow).tick()
    assert posted(fake_slack) == ["note GL-0001", "note GL-0002", "note GL-0003"]
    assert {i.status for i in outbox.items_for(a_db, "note")} == {outbox.SENT}
