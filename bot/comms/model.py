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


@dataclass(frozen=True)
class Hold:
    """A comms lead's pause of an announcement (a downtime, a major incident): whether it is paused now,
    and who last paused and resumed it, when. Every due time until the resume is skipped, never posted
    late: a countdown or an 'all going well' briefing read after the incident would be wrong."""

    paused: bool = False
    paused_at: datetime | None = None
    paused_by: str | None = None
    resumed_at: datetime | None = None
    resumed_by: str | None = None

    def holds(self, due: datetime) -> bool:
        """Whether a due time is skipped: any while paused, and any up to the resume (a time that
        passed while paused, if no tick recorded it then, as when the bot was down)."""
        return self.paused or (self.resumed_at is not None and due <= self.resumed_at)


RUNNING = Hold()
