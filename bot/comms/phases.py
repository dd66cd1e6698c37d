"""Where the go-live stands on any instant: its phase and how many days to go or in, in local time."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from bot.config import GoLive, OrgConfig

PRELIMINARY, GO_LIVE, MAINTENANCE = "preliminary", "go-live", "maintenance"
PHASE_NAMES = {
    PRELIMINARY: "preliminary",
    GO_LIVE: "go-live (intensive support)",
    MAINTENANCE: "maintenance and support",
}


def phase_at(golive: GoLive, when: datetime) -> str:
    """Before the start it is preliminary; until intensive support ends, go-live; then maintenance.

    Without a go-live date the organisation is still preparing, so the phase is preliminary.
    """
    start, ends = _boundaries(golive)
    if when < start:
        return PRELIMINARY
    return GO_LIVE if when < ends else MAINTENANCE


def within_phases(
    golive: GoLive, phases: Collection[str], after: datetime, until: datetime
) -> list[tuple[datetime, datetime]]:
    """(after, until] cut to the times in these phases, as (after, until] pieces in time order, so
    due times are sought only where they can post, never through a year of a phase that is over."""
    pieces: list[tuple[datetime, datetime]] = []
    for phase, (begins, stops) in _spans(golive).items():  # in time order
        low = max(after, begins - _INSTANT) if begins else after  # the phase begins at `begins`
        high = min(until, stops - _INSTANT) if stops else until  # and has ended at `stops`
        if phase in phases and low < high:
            pieces.append((low, high))
    return pieces


def describe_phases(golive: GoLive, phases: Collection[str], tz: tzinfo) -> str:
    """When these phases run by the config, for a comms lead to check a post's times against:
    'go-live 2027-01-18 07:00 to 2027-02-12 17:00', or 'go-live never' and the date not set."""
    spans = _spans(golive).items()
    return ", ".join(_describe(phase, *span, golive, tz) for phase, span in spans if phase in phases)


def _spans(golive: GoLive) -> dict[str, tuple[datetime | None, datetime | None]]:
    """Each phase's beginning and end in time order, None where it has none."""
    start, ends = _boundaries(golive)
    return {PRELIMINARY: (None, start), GO_LIVE: (start, ends), MAINTENANCE: (ends, None)}


def _describe(phase: str, begins: datetime | None, stops: datetime | None, golive: GoLive, tz: tzinfo) -> str:
    if begins == _NEVER:
        missing = "golive.start" if golive.start is None else "golive.intensive_support_ends"
        return f"{phase} never: {missing} is not set in the config"
    since, until = _local(begins, tz), _local(stops, tz)
    if since and until:
        return f"{phase} {since} to {until}"
    return f"{phase} from {since}" if since else f"{phase} until {until}" if until else f"{phase} always"


def _local(when: datetime | None, tz: tzinfo) -> str | None:
    return None if when is None or when == _NEVER else f"{when.astimezone(tz):%Y-%m-%d %H:%M}"


def _boundaries(golive: GoLive) -> tuple[datetime, datetime]:
    """When go-live starts and when intensive support ends, the phases' two boundaries; a date not set
    yet is never reached, and support cannot end before go-live starts."""
    start = golive.start or _NEVER
    return start, max(start, golive.intensive_support_ends or _NEVER)


_NEVER = datetime.max.replace(tzinfo=UTC)  # when a date not set yet comes
_INSTANT = timedelta(microseconds=1)


@dataclass(frozen=True)
class Position:
    """The go-live as people count it: by calendar days on the wall clock, not 24-hour periods."""

    phase: str
    today: date
    days_to_golive: int | None
    days_since_golive: int | None  # None before the go-live date, as well as with none set

    @property
    def golive_day(self) -> int | None:
        """Go-live day counts from 1, as briefings say 'day 3 of go-live'."""
        return None if self.days_since_golive is None else self.days_since_golive + 1

    @property
    def phase_name(self) -> str:
        return PHASE_NAMES[self.phase]

    def describe(self) -> str:
        if self.days_to_golive is None:
            return "No go-live date is set in the config yet."
        if self.days_to_golive > 0:
            plural = "s" if self.days_to_golive != 1 else ""
            return f"{self.days_to_golive} day{plural} to go-live."
        if self.days_to_golive == 0 and self.phase == PRELIMINARY:
            return "Go-live is today."
        return f"Day {self.golive_day} of go-live."


def position_at(org: OrgConfig, when: datetime) -> Position:
    today = when.astimezone(org.timezone).date()
    phase = phase_at(org.golive, when)
    if org.golive.start is None:
        return Position(phase, today, None, None)
    delta = (org.golive.start.astimezone(org.timezone).date() - today).days
    return Position(phase, today, delta, -delta if delta <= 0 else None)  # none since, before go-live
