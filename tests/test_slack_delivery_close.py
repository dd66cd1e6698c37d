"""Stopping the bot: deliveries in flight finish (for a bounded time), and nothing new starts after."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fake_slack import FakeSlack
from slack_harness import BOT_TOKEN, org_config, write_knowledge
from slack_sdk import WebClient

from bot.clock import SystemClock
from bot.config import Settings
from bot.runtime import Services, build_services
from bot.slack.app import build_app
from bot.slack.delivery import Delivery, Message
from bot.store import outbox
from bot.store.database import Database
from bot.store.outbox import Intent, Item

SLOW = "test.slow"


@pytest.fixture
def services(tmp_path: Path, database_url: str, fake_slack: FakeSlack) -> Services:
    """The bot's services with every Slack surface registered, as `serve` wires them, but no server."""
    settings = Settings(
        org=org_config(), knowledge_dir=write_knowledge(tmp_path / "knowledge"),
        schedules_dir=tmp_path / "schedules", database_url=database_url, slack_bot_token=BOT_TOKEN,
    )  # fmt: skip
    built = build_services(settings)
    build_app(built, client=WebClient(token=BOT_TOKEN, base_url=fake_slack.url))
    return built


def queue_post(services: Services, ref: str) -> None:
    outbox.enqueue_all(services.db, [Intent(SLOW, ref, "C0TRIAGE")], services.clock.now())


def slow_renderer(started: threading.Event, seconds: float):  # type: ignore[no-untyped-def]
    def render(item: Item) -> Message:
        started.set()
        time.sleep(seconds)
        return Message(f"post {item.ref}")

    return render


def kick_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "outbox-kick" and t.is_alive()]


def test_close_waits_for_a_delivery_in_flight_so_it_is_posted_before_the_bot_stops(
    services: Services, fake_slack: FakeSlack
) -> None:
    started = threading.Event()
    services.renderers[SLOW] = slow_renderer(started, 0.5)
    queue_post(services, "in-flight")
    services.deliver_soon()
    assert started.wait(5)
    services.close()
    assert [c.params["text"] for c in fake_slack.calls_to("chat.postMessage")] == ["post in-flight"]
    assert kick_threads() == []


def test_a_delivery_asked_for_after_close_does_nothing(services: Services, fake_slack: FakeSlack) -> None:
    services.renderers[SLOW] = slow_renderer(threading.Event(), 0)
    queue_post(services, "late")
    services.close()
    services.deliver_soon()
    fake_slack.wait_quiet(0.5)
    assert fake_slack.calls_to("chat.postMessage") == []
    assert kick_threads() == []
    assert [i.status for i in outbox.items_for(services.db, SLOW)] == [outbox.PENDING]  # kept for next start


def test_close_waits_only_a_bounded_time_for_a_delivery_that_hangs(database_url: str, fake_slack: FakeSlack):
    db = Database(database_url)
    db.migrate()
    release = threading.Event()
    started = threading.Event()

    def hang(item: Item) -> Message:
        started.set()
        release.wait(10)
        return Message("too late")

    worker = Delivery(db, WebClient(base_url=fake_slack.url), SystemClock(), {SLOW: hang})
    outbox.enqueue_all(db, [Intent(SLOW, "hung", "C0TRIAGE")], SystemClock().now())
    worker.kick()
    assert started.wait(5)
    began = time.monotonic()
    worker.close(timeout=0.3)
    assert time.monotonic() - began < 2
    release.set()
    for thread in kick_threads():
        thread.join(5)
    db.dispose()
