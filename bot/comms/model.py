"""An announcement of the communications plan, however it was written (file or Slack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import PHASES

FROM_FILE, FROM_SLACK = "file", "slack"


@dataclass(frozen=True)
class Announcement:
    """What to post, where, and when: `cron` (standard five fields, local time) or a single `at`.

    A time relative to the go-live date is resolved to `at` when the file is read, so a change of
    go-live date in the config moves it at the next start-up.
    """

    id: str
    channels: tuple[str, ...]
    text: str
    cron: str | None = None
    at: datetime | None = None
    start: datetime | None = None
    until: datetime | None = None
    phases: tuple[str, ...] = PHASES
    origin: str = FROM_FILE
    source: str = ""
    created_by: str | None = None

    def describe_when(self) -> str:
        return f"cron {self.cron}" if self.cron else "once"
