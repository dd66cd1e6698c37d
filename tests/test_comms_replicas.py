"""Two replicas on one database: each of 200 due announcements reaches Slack exactly once."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

from fake_slack import FakeSlack
from slack_harness import write_knowledge
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Services, build_services
from bot.slack.announcements import render
from bot.slack.delivery import Delivery
from bot.store import comms as store
from tests.test_comms_setup import local, org

COUNT = 200


def write_plan(folder: Path, count: int, at: str) -> Path:
    folder.mkdir()
    items = "".join(
        f"  - id: notice-{n:03d}\n    channels: [announcements]\n    at: {at}\n    text: Notice {n:03d}\n"
        for n in range(count)
    )
    (folder / "plan.yaml").write_text("announcements:\n" + items)
    return folder


def replica(settings: Settings, clock: ManualClock, fake: FakeSlack) -> tuple[Services, Delivery]:
    services = build_services(settings, clock=clock)
    services.renderers[store.ANNOUNCEMENT_KIND] = lambda item: render(services, item)
    client = WebClient(token="xoxb-test", base_url=fake.url)
    return services, Delivery(services.db, client, clock, services.renderers)


def test_two_schedulers_post_each_of_200_due_announcements_exactly_once(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    settings = Settings(
        org=org(), schedules_dir=write_plan(tmp_path / "schedules", COUNT, "2027-01-11 09:00"),
        knowledge_dir=write_knowledge(tmp_path / "knowledge"), database_url=database_url,
    )  # fmt: skip
    replicas = [replica(settings, clock, fake_slack) for _ in range(2)]
    clock.set(local(2027, 1, 11, 9, 0) + timedelta(seconds=20))
    start = threading.Barrier(len(replicas))

    def run(services: Services, delivery: Delivery) -> None:
        start.wait()
        for _ in range(3):  # ticks and deliveries overlap freely between the two replicas
            services.comms.tick()
            delivery.drain()

    threads = [threading.Thread(target=run, args=pair) for pair in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    posted = [call.params["text"] for call in fake_slack.calls_to("chat.postMessage")]
    assert sorted(posted) == [f"Notice {n:03d}" for n in range(COUNT)]
    assert all(len(store.runs_of(replicas[0][0].db, f"notice-{n:03d}")) == 1 for n in range(0, COUNT, 17))
    for services, _ in replicas:
        services.close()


def test_a_post_slack_refuses_is_retried_until_it_is_posted_once(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    settings = Settings(
        org=org(), schedules_dir=write_plan(tmp_path / "schedules", 1, "2027-01-11 09:00"),
        knowledge_dir=write_knowledge(tmp_path / "knowledge"), database_url=f"sqlite:///{tmp_path}/bot.db",
    )  # fmt: skip
    services, delivery = replica(settings, clock, fake_slack)
    fake_slack.fail("chat.postMessage", status=500, times=2)
    clock.set(local(2027, 1, 11, 9, 0, 10))
    assert services.comms.tick().posted == 1
    for _ in range(4):  # Slack fails twice, then the backoff lets the row through
        delivery.drain()
        clock.advance(minutes=1)
    assert [c.params["text"] for c in fake_slack.calls_to("chat.postMessage")] == ["Notice 000"]
    assert [a.method for a in fake_slack.attempts].count("chat.postMessage") == 3
    services.close()
