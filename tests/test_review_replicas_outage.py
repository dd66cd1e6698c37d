"""Slack down for an hour while a P1 waits: when it comes back, everything is posted once, soon, and
the call-outs are not a burst. The bot's ticks run on a ManualClock; Slack is a fake that fails
every chat call while it is 'down'."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_slack import FakeSlack, _Failure
from slack_harness import write_knowledge
from slack_sdk import WebClient

from bot.clock import ManualClock
from bot.config import Channels, Settings
from bot.issues import escalation, notices
from bot.issues.model import Draft
from bot.runtime import Services, build_services
from bot.slack.delivery import Delivery
from bot.slack.issues import renderers
from bot.store import outbox
from tests.test_comms_setup import local, org

TICK = timedelta(seconds=10)


class FlakySlack(FakeSlack):
    """Answers every chat.* call with HTTP 500 while `down`."""

    down = False

    def _take_failure(self, method: str) -> _Failure | None:
        if self.down and method.startswith("chat."):
            return _Failure(1, 500, None, None)
        return super()._take_failure(method)


@pytest.fixture
def slack() -> Iterator[FlakySlack]:
    fake = FlakySlack()
    yield fake
    fake.close()


@pytest.fixture
def bot(database_url: str, tmp_path: Path, slack: FlakySlack) -> Iterator[tuple[Services, Delivery]]:
    channels = Channels(announcements="C0NEWS", command_centre="C0CC", triage="C0TRIAGE", safety="C0SAFE")
    (tmp_path / "schedules").mkdir()
    settings = Settings(
        org=org(channels=channels), schedules_dir=tmp_path / "schedules",
        knowledge_dir=write_knowledge(tmp_path / "knowledge"), database_url=database_url,
    )  # fmt: skip
    services = build_services(settings, clock=ManualClock(local(2027, 1, 20, 9, 0)))
    services.renderers.update(renderers(services))
    client = WebClient(token="xoxb-test", base_url=slack.url)
    yield services, Delivery(services.db, client, services.clock, services.renderers)
    services.close()


def run_for(services: Services, delivery: Delivery, span: timedelta) -> None:
    """The background jobs: delivery every 10 s, escalation every 30 s."""
    clock: Any = services.clock
    end = clock.now() + span
    while clock.now() < end:
        clock.advance(seconds=TICK.total_seconds())
        delivery.drain()
        if int(clock.now().timestamp()) % 30 == 0:
            escalation.tick(services.db, services.settings.org, clock.now())


def report_p1(services: Services) -> str:
    draft = Draft("Drug chart blank", "The chart shows no doses", "Ward 7", "ePrescribing", "P1", "x1234")
    return services.issues.report(draft, "U1REPORTER").issue.reference  # type: ignore[union-attr]


def test_escalations_queued_while_slack_was_down_are_posted_as_one_call_out_not_a_burst(
    bot: tuple[Services, Delivery], slack: FlakySlack
) -> None:
    """Before: one 'still not acknowledged' post per interval of the outage, all at once on recovery."""
    services, delivery = bot
    slack.down = True
    reference = report_p1(services)
    run_for(services, delivery, timedelta(minutes=62))  # four escalation intervals of 15 minutes
    slack.down = False
    run_for(services, delivery, timedelta(minutes=20))
    escalations = [i for i in outbox.items_for(services.db, notices.ESCALATION, reference)]
    assert [i.payload["count"] for i in escalations if i.status == outbox.SENT] == [4, 5]
    called = [c for c in slack.calls_to("chat.postMessage") if c.params["text"].startswith("Still not")]
    assert len(called) == 2 and "60 minutes after" in str(called[0].params["blocks"])


def test_after_an_hour_without_slack_the_backlog_is_posted_at_once_call_outs_first_each_once(
    bot: tuple[Services, Delivery], slack: FlakySlack
) -> None:
    """Before: rows backed off to 15 minutes kept waiting after Slack returned, and the latest
    escalation reached the safety channel minutes before the safety post it follows up."""
    services, delivery = bot
    slack.down = True
    minor = Draft("Label printer slow", "Takes a minute", "Ward 2", "Printing", "P3", "x1")
    services.issues.report(minor, "U2REPORTER")
    reference = report_p1(services)
    run_for(services, delivery, timedelta(minutes=62))
    slack.down = False
    run_for(services, delivery, TICK)
    kinds = [i.kind for i in outbox.items_for(services.db) if i.status == outbox.SENT]
    assert sorted(kinds) == sorted(
        [notices.TRIAGE, notices.NOTICE] * 2 + [notices.SAFETY, notices.ESCALATION]
    )
    texts = [c.params["text"] for c in slack.calls_to("chat.postMessage")]
    assert len(texts) == 6 and texts[0].startswith("Patient-safety issue") and reference in texts[0]
    assert texts[1].startswith("Still not acknowledged")
