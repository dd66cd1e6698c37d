"""Wiring: builds the domain services from Settings once, for every entry point (Slack, CLI, tests)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.answering.service import AnsweringService
from bot.background import Background
from bot.clock import Clock, SystemClock
from bot.comms.facts import FactSource
from bot.comms.service import CommsService
from bot.config import Settings
from bot.issues.service import IssueService
from bot.privacy import RedactingLogFilter, Redactor
from bot.roles import ConfiguredMembership, Membership
from bot.store import once
from bot.store.database import Database

COMMS_TICK_SECONDS = 15  # the safety net: each tick also wakes the bot at the next due time
COMMS_JOB = "comms-schedule"
FORGET_EVENTS_SECONDS = 3600
EVENT_KEYS_KEPT = timedelta(days=1)  # Slack gives up retrying an event within the hour


@dataclass(frozen=True)
class PostReply:
    """A person's reply in the thread of one of the bot's posts."""

    channel: str
    post_ts: str  # the bot's post
    ts: str  # the reply itself: a redelivery of it has the same
    user: str
    text: str


@dataclass(frozen=True)
class DirectMessage:
    """A person's direct message to the bot that no post's surface took (most are sent at the top of
    the conversation, not in a thread)."""

    channel: str
    ts: str  # a redelivery of it has the same
    user: str
    text: str


@dataclass
class Services:
    settings: Settings
    clock: Clock
    db: Database
    redactor: Redactor
    answering: AnsweringService
    issues: IssueService
    comms: CommsService
    # The Slack app swaps in Slack user groups; surfaces pass this to role checks in the domain.
    membership: Membership = field(default_factory=ConfiguredMembership)
    # Periodic work: surfaces call `background.every(...)` at register time; `serve` starts it.
    background: Background = field(default_factory=Background)
    # Outbox renderers by kind ("issue.triage", "announcement"...): surfaces add theirs at register
    # time; delivery looks them up when it posts. `deliver_soon` is set by the Slack delivery worker.
    renderers: dict[str, Callable[..., Any]] = field(default_factory=dict)
    deliver_soon: Callable[[], None] = lambda: None
    # How a reply to an event runs once its wait for a burst is over: here and now, unless the Slack app
    # gives it threads of its own (see bot/slack/app.py).
    run_reply: Callable[[Callable[[], None]], object] = lambda reply: reply()
    # Who takes a reply in the thread of one of the bot's own posts: the first to return what to
    # answer has it; a reply nobody takes is read as a question.
    post_replies: list[Callable[[PostReply], str | None]] = field(default_factory=list)
    # Then who takes a direct message that names something of theirs (an issue's reference) before it
    # is read as a question, in the same way.
    direct_messages: list[Callable[[DirectMessage], str | None]] = field(default_factory=list)
    # Stops for work that outlives a request (delivery threads): run first on close, before the
    # database goes, so nothing started by the bot is still talking to Slack afterwards.
    on_close: list[Callable[[], None]] = field(default_factory=list)

    def post_due_announcements(self) -> None:
        """Queue what has fallen due, deliver it at once, and wake again at the next due time, so a
        post is on time rather than up to a tick late. Also called when the plan changes; an edit to the
        plan's files is stored first."""
        self.comms.reload_if_changed()
        result = self.comms.tick(look_ahead=timedelta(seconds=2 * COMMS_TICK_SECONDS))
        if result.posted or result.skipped:  # a skipped post is told to the command centre or its lead
            self.deliver_soon()
        if result.next_due:
            self.background.wake(COMMS_JOB, result.next_due)

    def close(self) -> None:
        for stop in self.on_close:
            stop()
        self.background.stop()
        self.answering.close()
        self.db.dispose()


def build_services(settings: Settings, clock: Clock | None = None, watch: bool = False) -> Services:
    """Open the database (migrating it), load the knowledge base; raises InvalidFile if it is invalid."""
    clock = clock or SystemClock()
    redactor = settings.org.redactor()
    db = Database(settings.database_url)
    db.migrate()
    answering = AnsweringService.from_directory(
        settings.knowledge_dir, db=db, redactor=redactor, clock=clock, watch=watch
    )
    issues = IssueService(db, settings.org, redactor, clock)
    comms = CommsService(settings.org, db, clock, FactSource(settings.org, redactor, db))
    comms.sync_files(settings.schedules_dir)
    services = Services(settings, clock, db, redactor, answering, issues, comms)
    services.background.every(COMMS_TICK_SECONDS, COMMS_JOB, services.post_due_announcements)
    services.background.every(FORGET_EVENTS_SECONDS, "forget-events", lambda: forget_handled_events(services))
    return services


def forget_handled_events(services: Services) -> int:
    """Keep the de-duplication table small; only Slack event ids expire, other claims guard for good."""
    return once.forget_older_than(services.db, services.clock.now(), EVENT_KEYS_KEPT, prefix="event:")


def configure_logging(level: str, redactor: Redactor, secrets: tuple[str, ...] = ()) -> None:
    """Plain logs on stderr; every record passes the privacy guard first, and loses `secrets`."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingLogFilter(redactor, secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # APScheduler logs every run of every job at INFO: several lines every 10 s that bury the bot's own
    # warnings. Its warnings (a job missed, an error) still show; DEBUG shows everything.
    quiet = root.level > logging.DEBUG
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level) if quiet else logging.NOTSET)
