"""Scheduled posts leave at their due time, not at the next regular tick: the tick says when it is next
needed and the bot wakes then; the 15-second tick stays as the safety net."""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.background import Background
from bot.clock import ManualClock
from bot.comms.model import Announcement
from bot.config import Channels, OrgConfig, Settings
from bot.runtime import COMMS_TICK_SECONDS, build_services
from bot.store import comms as store
from bot.store import outbox
from bot.store.database import Database
from tests.test_comms_setup import local, service

ROOT = Path(__file__).resolve().parent.parent


def once_at(ident: str, when: datetime, phases: tuple[str, ...] = ("preliminary",)) -> Announcement:
    return Announcement(id=ident, channels=("announcements",), text=ident, at=when, phases=phases)


def test_a_tick_says_when_the_next_post_falls_due_within_its_look_ahead(db: Database) -> None:
    clock = ManualClock(local(2027, 1, 4, 8, 59, 50))
    plan = [
        once_at("later", local(2027, 1, 4, 9, 0, 30)),
        once_at("soon", local(2027, 1, 4, 9, 0, 5)),
        once_at("not-in-its-phase", local(2027, 1, 4, 9, 0, 1), phases=("go-live",)),
        Announcement(id="daily", channels=("announcements",), text="Morning", cron="0 9 * * *"),
    ]
    store.sync_file_announcements(db, plan, clock.now())
    comms = service(db, clock)
    assert comms.tick(look_ahead=timedelta(seconds=30)).next_due == local(2027, 1, 4, 9, 0, 0)
    clock.set(local(2027, 1, 4, 9, 0, 0))
    result = comms.tick(look_ahead=timedelta(seconds=30))
    assert (result.posted, result.next_due) == (1, local(2027, 1, 4, 9, 0, 5))
    clock.set(local(2027, 1, 4, 9, 0, 5))
    assert comms.tick(look_ahead=timedelta(seconds=10)).next_due is None  # 09:00:30 is beyond it
    assert comms.tick().next_due is None  # no look-ahead, no wake-up


def test_a_wake_up_runs_the_job_between_its_interval_runs_and_a_new_one_replaces_it() -> None:
    background = Background()
    runs: list[float] = []
    second_run = threading.Event()

    def job() -> None:
        runs.append(time.time())
        if len(runs) == 2:
            second_run.set()

    background.every(3600, "job", job)  # runs once at start, then not for an hour
    soon = datetime.now(UTC) + timedelta(seconds=0.3)
    background.wake("job", soon)
    background.wake("job", soon + timedelta(seconds=0.3))  # the due time moved: wait for the new one
    background.start()
    try:
        assert second_run.wait(5)
        time.sleep(0.5)
    finally:
        background.stop()
    assert len(runs) == 2 and runs[1] >= (soon + timedelta(seconds=0.3)).timestamp()


def test_the_bot_queues_a_post_at_its_due_time_not_at_the_next_tick(tmp_path: Path) -> None:
    due = (datetime.now(UTC) + timedelta(seconds=2)).replace(microsecond=0) + timedelta(seconds=1)
    org = OrgConfig(channels=Channels(announcements="C0ANNOUNCE"))
    plan = tmp_path / "schedules"
    plan.mkdir()
    at = due.astimezone(org.timezone).replace(tzinfo=None).isoformat()
    (plan / "plan.yaml").write_text(f"announcements:\n  - id: on-time\n    channels: [announcements]\n"
                                    f"    at: {at}\n    text: On time\n")  # fmt: skip
    settings = Settings(org=org, knowledge_dir=ROOT / "knowledge", schedules_dir=plan,
                        database_url=f"sqlite:///{tmp_path / 'bot.db'}")  # fmt: skip
    services = build_services(settings)
    queued = threading.Event()
    services.deliver_soon = queued.set  # called as soon as the tick has queued the post
    services.background.start()
    try:
        assert queued.wait(COMMS_TICK_SECONDS - 5), "the post waited for the next regular tick"
        seen = time.time()
        (post,) = outbox.items_for(services.db, kind=store.ANNOUNCEMENT_KIND)
    finally:
        services.close()
    assert due.timestamp() <= seen < due.timestamp() + 5
    assert post.ref == "on-time" and post.payload["due"] == due.isoformat()


def test_a_job_that_keeps_failing_alike_logs_its_traceback_once_and_says_when_it_works_again(caplog) -> None:
    """With the database down, each job wrote a hundred-line traceback every 10 to 30 s (1,400 lines a
    minute), burying everything else in the log for the length of the outage."""
    caplog.set_level(logging.INFO, logger="bot.background")
    runs = []
    works = threading.Event()

    def tick() -> None:
        runs.append(1)
        if len(runs) <= 4:
            raise ConnectionError("connection to server at 10.0.0.5 failed: Connection refused")
        works.set()

    background = Background()
    background.every(0.05, "delivery", tick)
    background.start()
    try:
        assert works.wait(10)
    finally:
        background.stop()
    failed = [r for r in caplog.records if "background job delivery failed" in r.getMessage()]
    assert len(failed) == 4
    assert [r.exc_info is not None for r in failed] == [True, False, False, False]
    assert "failed again (ConnectionError: connection to server at 10.0.0.5 failed" in failed[1].getMessage()
    assert any(r.getMessage() == "background job delivery works again" for r in caplog.records)
