"""Shared set-up for the communications tests: an organisation going live in January 2027."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import ManualClock
from bot.comms.facts import FactSource
from bot.comms.service import CommsService
from bot.config import Channels, GoLive, OrgConfig
from bot.store.database import Database

LONDON = ZoneInfo("Europe/London")


def org(**changes: object) -> OrgConfig:
    base = dict(
        golive=GoLive(
            datetime(2027, 1, 18, 7, 0, tzinfo=LONDON), datetime(2027, 2, 12, 17, 0, tzinfo=LONDON)
        ),
        channels=Channels(announcements="C0ANNOUNCE", command_centre="C0COMMAND", triage="C0TRIAGE"),
    )
    base.update(changes)
    return OrgConfig(**base)  # type: ignore[arg-type]


def service(db: Database, clock: ManualClock, config: OrgConfig | None = None) -> CommsService:
    config = config or org()
    return CommsService(config, db, clock, FactSource(config, config.redactor(), db))


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]
