"""Review: an announcement Slack will not take in its channel is brought to someone who can fix it."""

from __future__ import annotations

from pathlib import Path

from fake_slack import FakeSlack
from slack_harness import write_knowledge

from bot.clock import ManualClock
from bot.comms.model import FROM_SLACK, Announcement
from bot.config import Settings
from tests.test_comms_replicas import replica, write_plan
from tests.test_comms_setup import local, org


def _settings(tmp_path: Path, plan: int) -> Settings:
    return Settings(
        org=org(), schedules_dir=write_plan(tmp_path / "schedules", plan, "2027-01-11 09:00"),
        knowledge_dir=write_knowledge(tmp_path / "knowledge"), database_url=f"sqlite:///{tmp_path}/bot.db",
    )  # fmt: skip


def test_a_plan_post_to_a_channel_the_bot_is_not_in_goes_to_the_command_centre_with_a_note(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    services, delivery = replica(_settings(tmp_path, 1), clock, fake_slack)
    fake_slack.fail("chat.postMessage", error="not_in_channel")
    clock.set(local(2027, 1, 11, 9, 0, 10))
    assert services.comms.tick().posted == 1
    delivery.drain()
    (posted,) = fake_slack.calls_to("chat.postMessage")
    assert posted.params["channel"] == "C0COMMAND"
    assert "not_in_channel" in posted.params["text"] and "Notice 000" in posted.params["text"]
    services.close()


def test_a_slack_announcement_to_a_channel_the_bot_is_not_in_is_sent_to_the_lead_who_made_it(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    services, delivery = replica(_settings(tmp_path, 0), clock, fake_slack)
    services.comms.add(
        Announcement(id="slack-abc", channels=("C0PRIVATE",), text="Drop-in at 2",
                     at=local(2027, 1, 11, 9, 0), origin=FROM_SLACK, created_by="U0LEAD")
    )  # fmt: skip
    fake_slack.fail("chat.postMessage", error="channel_not_found")
    clock.set(local(2027, 1, 11, 9, 0, 10))
    assert services.comms.tick().posted == 1
    delivery.drain()
    (posted,) = fake_slack.calls_to("chat.postMessage")
    assert posted.params["channel"] == "U0LEAD"
    assert "channel_not_found" in posted.params["text"] and "Drop-in at 2" in posted.params["text"]
    services.close()


def test_a_post_still_waiting_for_slack_is_not_sent_after_its_announcement_is_cancelled(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    clock = ManualClock(local(2027, 1, 11, 8, 0))
    services, delivery = replica(_settings(tmp_path, 0), clock, fake_slack)
    services.comms.add(
        Announcement(id="slack-cancel", channels=("C0ANNOUNCE",), text="Training moved to 3pm",
                     at=local(2027, 1, 11, 9, 0), origin=FROM_SLACK, created_by="U0LEAD")
    )  # fmt: skip
    fake_slack.fail("chat.postMessage", status=500)  # Slack is down: the post waits in the outbox
    clock.set(local(2027, 1, 11, 9, 0, 10))
    assert services.comms.tick().posted == 1
    delivery.drain()
    assert services.comms.cancel("slack-cancel", "U0LEAD").startswith("Cancelled")
    assert [a.method for a in fake_slack.attempts] == ["chat.postMessage"]
    for _ in range(3):
        clock.advance(minutes=20)
        delivery.drain()
    assert fake_slack.calls_to("chat.postMessage") == []
    services.close()
