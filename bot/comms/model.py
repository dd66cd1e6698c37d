"""An announcement of the communications plan, however it was written (file or Slack)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.config import PHASES
from bot.markup import shorten, unescape

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

    def opening(self, limit: int = 80) -> str:
        """How a comms lead knows a post: its first words as written ('Go-live is in {days} days'),
        not its id ('slack-3fa9b1c2d0'). Plain text: whoever shows it escapes it."""
        first = next((line.strip() for line in self.text.splitlines() if line.strip()), self.id)
        return shorten(unescape(first), limit)
