"""When announcements fall due, computed by APScheduler's triggers in the organisation's time zone.

The triggers do the calendar arithmetic, so 09:00 stays 09:00 on the wall clock across the
clock changes in March and October.
"""

from __future__ import annotations

import copy
import heapq
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger

from bot.comms.model import Announcement

_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")
_STEP = re.compile(r"^(\*|\d+(?:-\d+)?)(?:/(\d+))?$")
_TICK = timedelta(microseconds=1)
FORWARD, BACK = "forward", "back"  # which way the clocks go at a time `clock_change_at` finds


class BadCron(ValueError):
    pass


def _weekdays(field: str) -> str:
    """Standard cron counts Sunday as 0 (or 7); APScheduler counts Monday as 0, so use names."""
    if not any(ch.isdigit() for ch in field):
        return field
    days: list[int] = []
    for part in field.split(","):
        match = _STEP.match(part)
        if not match:
            raise BadCron(f"day of week {part!r} is not understood (use 0-7, ranges such as 1-5, or mon-fri)")
        first, last = (0, 6) if match[1] == "*" else _bounds(match[1])
        first = 0 if first == 7 and last < 7 else first  # '7-1' is Sunday to Monday, as 0-1 is
        if 0 <= last < first <= 6:  # Friday to Monday: cron ranges do not wrap round the week
            wrapped = "two ranges" if match[2] else f"{_span(first, 6)},{_span(0, last)}"
            raise BadCron(f"day of week {part!r} runs backwards: write it as {wrapped} (0 and 7 are Sunday)")
        if not 0 <= first <= last <= 7:
            raise BadCron(f"day of week {part!r} must be within 0-7 (0 and 7 are Sunday)")
        days.extend(range(first, last + 1, int(match[2] or 1)))
    return ",".join(dict.fromkeys(_DAY_NAMES[d] for d in days))


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _bounds(text: str) -> tuple[int, int]:
    first, _, last = text.partition("-")
    return int(first), int(last or first)


def cron_trigger(
    expression: str, tz: ZoneInfo, start: datetime | None = None, end: datetime | None = None
) -> CronTrigger:
    """A trigger from a five-field cron expression; raises BadCron with a reason a person can act on."""
    fields = expression.split()
    if len(fields) != 5:
        raise BadCron(f"{expression!r} needs five fields: minute hour day-of-month month day-of-week")
    minute, hour, day, month, weekday = fields
    if not day.startswith("*") and not weekday.startswith("*"):
        raise BadCron(
            f"{expression!r} limits both the day of the month and the day of the week: standard cron posts "
            "on either, this scheduler only when both match; write two announcements instead"
        )
    try:
        return CronTrigger(
            minute=minute, hour=hour, day=day, month=month, day_of_week=_weekdays(weekday),
            start_date=start, end_date=end, timezone=tz,
        )  # fmt: skip
    except ValueError as exc:
        raise BadCron(f"{expression!r} is not a valid cron expression: {exc}") from exc


def trigger_for(announcement: Announcement, tz: ZoneInfo) -> BaseTrigger:
    if announcement.cron:
        return cron_trigger(announcement.cron, tz, announcement.start, announcement.until)
    if announcement.at is None:
        raise ValueError(f"announcement {announcement.id} has neither cron nor at")
    return DateTrigger(run_date=announcement.at, timezone=tz)


def due_times(trigger: BaseTrigger, after: datetime, until: datetime) -> Iterator[datetime]:
    """Real instants in (after, until], earliest first and each once, in the trigger's time zone.

    A wall-clock time the clocks skip in March is posted when it would have been on the old offset
    (01:20 becomes 02:20 BST); one that happens twice in October is posted the first time only.
    """
    after, until = after.astimezone(UTC), until.astimezone(UTC)
    if isinstance(trigger, DateTrigger):
        run = trigger.run_date.astimezone(UTC)
        if after < run <= until:
            yield run.astimezone(trigger.run_date.tzinfo or UTC)
        return
    tz, previous = trigger.timezone, after
    for instant in _instants(trigger, after - _skipped_just_before(after, tz)):
        if instant > until:
            return
        if instant > previous:  # a skipped time and the real one an hour on are one post
            yield instant.astimezone(tz)
            previous = instant


def _instants(trigger: CronTrigger, since: datetime) -> Iterator[datetime]:
    """The UTC instants of the trigger's wall-clock times from `since` on, in order.

    The cron is walked on a clock that never changes (UTC standing in for the wall clock), so each
    wall-clock time comes exactly once, in order, and is then placed on the real clock. A time skipped
    in March lands an hour on, after wall-clock times that follow it, so it is held back until they
    have passed. Everything compares in UTC: aware times in one zone compare by wall clock.
    """
    tz, wall = trigger.timezone, _on_wall_clock(trigger)
    held: list[datetime] = []
    when = wall.get_next_fire_time(None, _wall(since, tz))
    while when is not None:
        instant = when.replace(tzinfo=tz).astimezone(UTC)  # fold 0: the first of a repeated time
        if _wall(instant, tz) != when:  # skipped: it posts an hour on
            heapq.heappush(held, instant)
        else:
            while held and held[0] <= instant:
                yield heapq.heappop(held)
            yield instant
        when = wall.get_next_fire_time(when, when + _TICK)
    yield from sorted(held)


def _on_wall_clock(trigger: CronTrigger) -> CronTrigger:
    """The same cron and bounds on a clock that never changes: no wall-clock time is skipped or repeated."""
    wall = copy.copy(trigger)
    wall.timezone = UTC
    wall.start_date, wall.end_date = (
        _wall(d, trigger.timezone) if d else None for d in (trigger.start_date, trigger.end_date)
    )
    return wall


def _wall(when: datetime, tz: tzinfo) -> datetime:
    """The wall-clock time in `tz` at `when`, written as UTC; fold is dropped, or it would carry into
    the cron's results and pick the second of a repeated time."""
    return when.astimezone(tz).replace(tzinfo=UTC, fold=0)


def clock_change_at(when: datetime) -> str | None:
    """FORWARD when the wall-clock time `when` (aware, in its zone) is one the clocks jump over, BACK when
    they go through it twice, None for an ordinary time: a one-off post then goes out an hour on, or
    at the first of the two, not quite when its writer read it."""
    naive = when.replace(tzinfo=None, fold=0)
    if when.astimezone(UTC).astimezone(when.tzinfo).replace(tzinfo=None, fold=0) != naive:
        return FORWARD
    if when.replace(fold=0).utcoffset() != when.replace(fold=1).utcoffset():
        return BACK
    return None


def _skipped_just_before(when: datetime, tz: tzinfo) -> timedelta:
    """How far the clocks jumped forward in the day before `when`: the search starts that much
    earlier, or a wall-clock time inside the skipped hour would never be found."""
    now, before = when.astimezone(tz).utcoffset(), (when - timedelta(days=1)).astimezone(tz).utcoffset()
    return max(timedelta(0), (now or timedelta(0)) - (before or timedelta(0)))
